'use client';

import type { PeerStats } from '@/lib/client/mesh/types';
import { ROUTE_TEXT } from '../format/meshFormat';

/** Compact per-member connection state: how this browser reaches that player, and the round trip. */
export function PeerBadge({ peer }: { peer: PeerStats | undefined }) {
  if (!peer || !peer.route || peer.state === 'connecting' || peer.state === 'closed') {
    return (
      <span
        className="inline-flex items-center gap-1.5 text-xs text-slate-400"
        data-peer-state={peer?.state ?? 'none'}
      >
        <span aria-hidden className="size-2 animate-pulse rounded-full bg-slate-500" />
        Connecting…
      </span>
    );
  }
  const look = ROUTE_TEXT[peer.route];
  return (
    <span
      className="inline-flex items-center gap-1.5 text-xs text-slate-300"
      data-peer-state={peer.state}
      data-rtt-ms={peer.rttMs ?? undefined}
    >
      <span aria-hidden className={`size-2 rounded-full ${look.dot}`} />
      {look.short}
      {peer.rttMs !== null && (
        <span className="text-slate-400 tabular-nums">
          {peer.rttMs < 10 ? peer.rttMs.toFixed(1) : Math.round(peer.rttMs)} ms
        </span>
      )}
    </span>
  );
}
