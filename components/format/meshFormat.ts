import type { PeerStateKind, Route } from '../../lib/client/mesh';
import { assertNever } from '../../lib/protocol';

/** Route names and colors shared by the chat and connection panels and the member badges. */
export const ROUTE_TEXT: Record<Route, { label: string; short: string; dot: string }> = {
  direct: { label: 'Direct', short: 'Direct', dot: 'bg-emerald-400' },
  turn: { label: 'Through TURN', short: 'TURN', dot: 'bg-sky-400' },
  relay: { label: 'Relayed through server', short: 'Relayed', dot: 'bg-amber-400' },
};

export function stateText(state: PeerStateKind): string {
  switch (state) {
    case 'connecting':
      return 'Connecting…';
    case 'connected':
      return 'Connected';
    case 'unstable':
      return 'Unstable, holding on';
    case 'relayed':
      return 'Connected, retrying direct in the background';
    case 'closed':
      return 'Closed';
    default:
      return assertNever(state);
  }
}

export function formatRtt(ms: number | null): string {
  if (ms === null) return '—';
  return `${ms < 10 ? ms.toFixed(1) : Math.round(ms)} ms`;
}

const KIB = 1024;
export function formatRate(bytesPerS: number): string {
  if (bytesPerS < KIB) return `${bytesPerS} B/s`;
  if (bytesPerS < KIB * KIB) return `${(bytesPerS / KIB).toFixed(1)} KB/s`;
  return `${(bytesPerS / KIB / KIB).toFixed(1)} MB/s`;
}

/** A stable hue per player id, the same one the Avatar uses. */
export function hueOf(id: string): number {
  let hash = 0;
  for (const ch of id) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  return hash % 360;
}

/**
 * A player's color: the avatar's background under slate-950 text and the chat author's name on the dark
 * panels. At 72 % lightness every hue keeps ≥ 5.2:1 against both (65 % fell to 4.1:1 for blues).
 */
export const playerColor = (id: string) => `hsl(${hueOf(id)} 80% 72%)`;

// Made on first use: building a DateTimeFormat loads locale data (≈20 ms of a page load's main
// thread when done at module load, on the home page too, which shows no time at all).
let time: Intl.DateTimeFormat | null = null;
export const formatTime = (at: number) =>
  (time ??= new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' })).format(at);

/**
 * Why some players are reached through the server, in words: a relayed pair is one where neither a
 * direct path nor TURN opened (or, with "Hide my IP" and no TURN, where the player chose it).
 */
export function relayReasonText({
  relayed,
  hasTurn,
  hideIp,
}: {
  relayed: number;
  hasTurn: boolean;
  hideIp: boolean;
}): string {
  const who = relayed === 1 ? 'one player' : `${relayed} players`;
  if (hideIp && !hasTurn)
    return `“Hide my IP” is on and this server has no TURN relay, so your messages to ${who} go through the game server.`;
  if (hasTurn)
    return `No direct path and no TURN relay got through to ${who} (a firewall may block UDP on one side), so messages go through the game server. PeerLobby keeps trying direct in the background.`;
  return `No direct path to ${who}: your network or theirs does not let peers connect directly (a strict NAT or firewall), and this server has no TURN relay. Messages go through the game server instead, a little slower; PeerLobby keeps trying direct in the background.`;
}

/** How many reachable players each route serves. */
export type RouteCounts = Record<Route, number>;

/**
 * One sentence on where chat messages go. "Straight" only for direct pairs: TURN and the server
 * relay carry the others. "the other player" when there is one, numbers otherwise.
 */
export function chatRouteHint({ direct, turn, relay }: RouteCounts): string {
  const total = direct + turn + relay;
  const whom = (n: number, first: boolean) =>
    total === 1
      ? 'the other player'
      : n === total
        ? n === 2
          ? 'both other players'
          : `all ${n} other players`
        : first
          ? `${n} player${n === 1 ? '' : 's'}`
          : `${n}`;
  const parts: string[] = [];
  if (direct) parts.push(`straight to ${whom(direct, parts.length === 0)}`);
  if (turn) parts.push(`through a TURN server to ${whom(turn, parts.length === 0)}`);
  if (relay) parts.push(`through this server to ${whom(relay, parts.length === 0)}`);
  if (parts.length === 0) return '';
  const sentence = parts.length === 1 ? parts[0]! : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)!}`;
  return `Messages go ${sentence}.`;
}
