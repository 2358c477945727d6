'use client';

import { useId, useState } from 'react';
import type { PeerStats, Route } from '@/lib/client/mesh';
import type { LobbyView, MemberView } from '@/lib/protocol';
import { hasTurnServer } from '@/lib/client/mesh/iceServers';
import { useAppStore, useLobbyClient } from '../LobbyProvider';
import { Card } from '../ui/Card';
import { formatRate, formatRtt, relayReasonText, ROUTE_TEXT, stateText } from '../format/meshFormat';

const ROUTES: Route[] = ['direct', 'turn', 'relay'];

/**
 * How this browser reaches every other player: a one-line summary at a glance, and per peer on
 * demand the state, route, selected ICE candidate pair, round trip and traffic (from the Mesh's
 * snapshots, refreshed every second).
 */
export function ConnectionsPanel({ lobby, selfId }: { lobby: LobbyView; selfId: string }) {
  const peers = useAppStore((s) => s.peers);
  const [open, setOpen] = useState(false);
  const detailsId = useId();
  const others = lobby.members.filter((m) => m.id !== selfId);
  const byId = new Map(peers.map((p) => [p.id, p]));
  const counts = ROUTES.map((route) => ({ route, n: peers.filter((p) => p.route === route).length })).filter(
    (c) => c.n > 0,
  );
  const pending = others.length - counts.reduce((sum, c) => sum + c.n, 0);
  const client = useLobbyClient();
  const hideIp = useAppStore((s) => s.hideIp);
  const hasTurn = hasTurnServer({ iceServers: client?.iceServers });
  const relayed = counts.find((c) => c.route === 'relay')?.n ?? 0;

  return (
    <Card
      title="Connections"
      actions={
        others.length > 0 && (
          <button
            type="button"
            aria-expanded={open}
            aria-controls={detailsId}
            onClick={() => setOpen(!open)}
            className="min-h-10 rounded-lg px-3 text-sm font-semibold text-indigo-300 hover:bg-slate-800 hover:text-white"
          >
            {open ? 'Hide details' : 'Show details'}
          </button>
        )
      }
    >
      <p
        className="flex flex-wrap items-center gap-x-4 gap-y-1 text-sm text-slate-300"
        data-testid="connections-summary"
      >
        {others.length === 0 && <span className="text-slate-400">No other players yet.</span>}
        {counts.map(({ route, n }) => (
          <span key={route} className="inline-flex items-center gap-1.5">
            <span aria-hidden className={`size-2 rounded-full ${ROUTE_TEXT[route].dot}`} />
            {n} {ROUTE_TEXT[route].label.toLowerCase()}
          </span>
        ))}
        {pending > 0 && (
          <span className="inline-flex items-center gap-1.5 text-slate-400">
            <span aria-hidden className="size-2 animate-pulse rounded-full bg-slate-500" />
            {pending} connecting
          </span>
        )}
      </p>
      {relayed > 0 && (
        <p className="mt-2 text-xs text-slate-300" data-testid="relay-reason">
          {relayReasonText({ relayed, hasTurn, hideIp })}
        </p>
      )}
      {open && (
        <ul id={detailsId} className="mt-3 space-y-2" aria-label="Connection details">
          {others.map((m) => (
            <ConnectionRow key={m.id} member={m} peer={byId.get(m.id)} />
          ))}
        </ul>
      )}
    </Card>
  );
}

function ConnectionRow({ member, peer }: { member: MemberView; peer: PeerStats | undefined }) {
  const look = peer?.route ? ROUTE_TEXT[peer.route] : null;
  const state =
    member.presence === 'dropped'
      ? 'Reconnecting to the lobby…'
      : peer
        ? stateText(peer.state)
        : 'Connecting…';
  const pair = peer?.candidates
    ? `${peer.candidates.local} ↔ ${peer.candidates.remote}`
    : peer?.route === 'relay'
      ? 'none (server relay)'
      : '—';
  return (
    <li
      data-testid="connection-row"
      data-peer-id={member.id}
      data-route={peer?.route ?? undefined}
      data-state={peer?.state ?? 'none'}
      className="rounded-xl bg-slate-950/60 p-3 ring-1 ring-slate-800"
    >
      <div className="flex flex-wrap items-center justify-between gap-x-3 gap-y-1">
        <span className="min-w-0 truncate font-semibold text-white">{member.nickname}</span>
        <span className="inline-flex items-center gap-1.5 text-sm text-slate-200">
          <span aria-hidden className={`size-2 rounded-full ${look?.dot ?? 'animate-pulse bg-slate-500'}`} />
          {look?.label ?? 'No route yet'}
        </span>
      </div>
      <p className="mt-0.5 text-xs text-slate-400">{state}</p>
      <dl className="mt-2 grid grid-cols-2 gap-x-4 gap-y-1.5 text-xs">
        <Stat label="ICE pair" value={pair} testId="ice-pair" />
        <Stat label="Round trip" value={formatRtt(peer?.rttMs ?? null)} testId="rtt" />
        <Stat label="ICE restarts" value={peer ? String(peer.iceRestarts) : '—'} testId="ice-restarts" />
        <Stat
          label="In"
          value={peer ? `${peer.messagesInPerS} msg/s · ${formatRate(peer.bytesInPerS)}` : '—'}
        />
        <Stat
          label="Out"
          value={peer ? `${peer.messagesOutPerS} msg/s · ${formatRate(peer.bytesOutPerS)}` : '—'}
        />
      </dl>
    </li>
  );
}

function Stat({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <div className="min-w-0">
      <dt className="text-slate-400">{label}</dt>
      <dd className="truncate text-slate-200 tabular-nums" data-testid={testId}>
        {value}
      </dd>
    </div>
  );
}
