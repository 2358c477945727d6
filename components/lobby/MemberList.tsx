'use client';

import { useState } from 'react';
import { ERROR_MESSAGES, type LobbyView, type MemberView } from '@/lib/protocol';
import { Alert } from '../ui/Alert';
import { Button } from '../ui/Button';
import { Card } from '../ui/Card';
import type { PeerStats } from '@/lib/client/mesh/types';
import { useAppStore } from '../LobbyProvider';
import { Avatar } from './Avatar';
import { PeerBadge } from './PeerBadge';
import { useLobbyAction } from '../hooks/useLobbyAction';

/**
 * Open seats drawn as empty rows, up to this many rows in all: a player joining takes a row that is
 * already there instead of pushing everything below down (no layout shift for small lobbies).
 */
const SEAT_ROWS_RESERVED = 5;
/** Member and open-seat rows share one height: two status lines fit on phones, one beside the avatar on wider screens. */
const ROW_HEIGHT = 'min-h-[4.5rem] sm:min-h-14';

export function MemberList({ lobby, selfId }: { lobby: LobbyView; selfId: string }) {
  const isHost = lobby.hostId === selfId;
  const { run, error } = useLobbyAction();
  const peers = useAppStore((s) => s.peers);
  return (
    <Card
      title="Players"
      actions={
        <span className="text-sm text-slate-400 tabular-nums">
          {lobby.members.length}/{lobby.maxPlayers}
        </span>
      }
    >
      <ul className="space-y-2" aria-label="Players in this lobby">
        {lobby.members.map((m) => (
          <MemberRow
            key={m.id}
            member={m}
            isSelf={m.id === selfId}
            peer={peers.find((p) => p.id === m.id)}
            isMemberHost={m.id === lobby.hostId}
            canManage={isHost && m.id !== selfId}
            onKick={(ban) => run((c) => c.kick(m.id, ban))}
            onMakeHost={() => run((c) => c.transferHost(m.id))}
          />
        ))}
        {Array.from(
          { length: Math.max(0, Math.min(lobby.maxPlayers, SEAT_ROWS_RESERVED) - lobby.members.length) },
          (_, i) => (
            <li
              key={`open-${i}`}
              aria-hidden
              data-testid="open-seat"
              className={`flex items-center rounded-xl border border-dashed border-slate-800 px-3 text-sm text-slate-400 ${ROW_HEIGHT}`}
            >
              Open seat
            </li>
          ),
        )}
      </ul>
      {error && (
        <div className="mt-3">
          <Alert>{ERROR_MESSAGES[error]}</Alert>
        </div>
      )}
    </Card>
  );
}

function MemberRow(props: {
  member: MemberView;
  isSelf: boolean;
  peer: PeerStats | undefined;
  isMemberHost: boolean;
  canManage: boolean;
  onKick: (ban: boolean) => void;
  onMakeHost: () => void;
}) {
  const { member, isSelf, isMemberHost, canManage } = props;
  const [open, setOpen] = useState(false);
  const dropped = member.presence === 'dropped';
  return (
    <li
      data-member-id={member.id}
      data-testid="member"
      data-presence={member.presence}
      data-route={props.peer?.route ?? undefined}
      className={`rounded-xl bg-slate-950/60 px-3 py-2 ring-1 ring-slate-800 ${ROW_HEIGHT}`}
    >
      <div className="flex items-center gap-3">
        <Avatar id={member.id} nickname={member.nickname} />
        <div className="min-w-0 flex-1">
          <p className="flex items-center gap-2">
            {/* Text only: React escapes it, so a nickname can never become markup. */}
            <span className="truncate font-semibold text-white" data-testid="member-name">
              {member.nickname}
            </span>
            {isSelf && (
              <span className="shrink-0 rounded bg-slate-700 px-1.5 text-xs text-slate-200">you</span>
            )}
          </p>
          {/* Two lines reserved on phones, where "Connecting…" and "Not ready" may wrap: no jump when they change. */}
          <p className="flex min-h-8 flex-wrap content-start items-center gap-x-2 text-xs sm:min-h-4">
            {isMemberHost && <span className="font-semibold text-amber-300">★ Host</span>}
            {!isSelf && !dropped && <PeerBadge peer={props.peer} />}
            {dropped ? (
              <span className="text-amber-300">Reconnecting…</span>
            ) : member.ready ? (
              <span className="text-emerald-300">✓ Ready</span>
            ) : (
              <span className="text-slate-400">Not ready</span>
            )}
          </p>
        </div>
        {canManage && (
          <Button
            variant="ghost"
            aria-expanded={open}
            aria-label={`Manage ${member.nickname}`}
            onClick={() => setOpen(!open)}
          >
            Manage
          </Button>
        )}
      </div>
      {canManage && open && (
        <div className="mt-2 flex flex-wrap gap-2 border-t border-slate-800 pt-2">
          <Button variant="secondary" onClick={props.onMakeHost}>
            Make host
          </Button>
          <Button variant="secondary" onClick={() => props.onKick(false)}>
            Kick
          </Button>
          <Button variant="danger" onClick={() => props.onKick(true)}>
            Kick &amp; ban
          </Button>
        </div>
      )}
    </li>
  );
}
