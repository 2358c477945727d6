'use client';

import { useEffect, useRef } from 'react';
import type { LobbyView } from '@/lib/protocol';
import { ConnectionAlert } from '../ConnectionAlert';
import { setArriving } from '../useLobbyNavigation';
import { ConnectionCheckCard } from '../connectionCheck/ConnectionCheckCard';
import { GamePanel } from '../game/GamePanel';
import { HostSettings } from './HostSettings';
import { ChatPanel } from './ChatPanel';
import { ConnectionsPanel } from './ConnectionsPanel';
import { InvitePanel } from './InvitePanel';
import { MemberList } from './MemberList';
import { PrivacyToggle } from './PrivacyToggle';
import { ReadyBar } from './ReadyBar';

export function LobbyRoom({
  lobby,
  selfId,
  onLeave,
}: {
  lobby: LobbyView;
  selfId: string;
  onLeave: () => void;
}) {
  const isHost = lobby.hostId === selfId;
  const heading = useRef<HTMLHeadingElement>(null);
  // Arriving in the lobby (created, joined, reloaded) puts focus on its name, not on the old page's button.
  useEffect(() => {
    setArriving(false);
    heading.current?.focus();
  }, []);
  return (
    <div className="space-y-4">
      <ConnectionAlert />
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div className="min-w-0">
          <p className="text-xs font-semibold tracking-wider text-indigo-300 uppercase">
            {lobby.visibility === 'private' ? 'Private lobby' : 'Public lobby'}
          </p>
          <h1
            ref={heading}
            tabIndex={-1}
            className="truncate text-2xl font-bold text-white focus:outline-none sm:text-3xl"
            data-testid="lobby-name"
          >
            {lobby.name}
          </h1>
        </div>
        <div className="flex flex-wrap items-center gap-2 text-sm">
          {lobby.visibility === 'public' && (
            <span
              className="rounded-lg bg-slate-800 px-2.5 py-1 font-mono tracking-widest text-white"
              aria-label={`Lobby code ${lobby.code}`}
            >
              {lobby.code}
            </span>
          )}
          {lobby.locked && (
            <span className="rounded-lg bg-amber-500/15 px-2.5 py-1 text-amber-300">Locked</span>
          )}
          <span
            data-testid="lobby-phase"
            data-phase={lobby.phase}
            className={`rounded-lg px-2.5 py-1 ${lobby.phase === 'in-game' ? 'bg-sky-500/15 text-sky-300' : 'bg-emerald-500/15 text-emerald-300'}`}
          >
            {lobby.phase === 'in-game' ? 'In game' : 'Waiting for players'}
          </span>
        </div>
      </div>
      {/* The game (components/game/): always mounted so it sees a match start; shown while in-game. */}
      <GamePanel lobby={lobby} selfId={selfId} />
      <div className="grid grid-cols-1 gap-4 lg:grid-cols-[minmax(0,1.3fr)_minmax(0,1fr)]">
        <div className="space-y-4">
          <MemberList lobby={lobby} selfId={selfId} />
          <ReadyBar lobby={lobby} selfId={selfId} onLeave={onLeave} />
          {/* Peer to peer: the chat rides on the mesh's reliable channel. */}
          <ChatPanel lobby={lobby} selfId={selfId} />
        </div>
        <div className="space-y-4">
          <InvitePanel lobby={lobby} isHost={isHost} />
          <ConnectionsPanel lobby={lobby} selfId={selfId} />
          <ConnectionCheckCard />
          <PrivacyToggle />
          {/* Keyed by version so the form starts from the server's settings after any change. */}
          {isHost && <HostSettings key={`${lobby.id}:${lobby.hostId}`} lobby={lobby} />}
        </div>
      </div>
    </div>
  );
}
