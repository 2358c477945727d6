'use client';

import type { LobbyView } from '@/lib/protocol';
import { ChatPanel } from './ChatPanel';
import { ConnectionsPanel } from './ConnectionsPanel';

/** What rides on the peer-to-peer mesh in the lobby: the chat, and how each pair is connected. */
export function PeerSection({ lobby, selfId }: { lobby: LobbyView; selfId: string }) {
  return (
    <div className="grid items-start gap-4 lg:grid-cols-[minmax(0,1.3fr)_minmax(0,1fr)]">
      <ChatPanel lobby={lobby} selfId={selfId} />
      <ConnectionsPanel lobby={lobby} selfId={selfId} />
    </div>
  );
}
