import * as z from 'zod/mini';
import {
  ErrorCode,
  MAX_RELAY_BYTES,
  RELAY_RATE_BYTES,
  RELAY_RATE_MESSAGES,
  RELAY_RATE_WINDOW_MS,
  RelayInput,
  SIGNAL_RATE_POINTS,
  SIGNAL_RATE_WINDOW_MS,
  SignalInput,
  type SignalError,
} from '../../lib/protocol';
import type { Metrics } from '../metrics';
import type { LocalPlayers } from './localPlayers';
import type { Membership } from './membership';
import type { EventTable } from './eventTable';
import { playerRoom, type IoServer, type IoSocket } from './types';
import { WindowCounter } from './windowCounter';

/** One RATE_LIMITED error per socket per this window. */
const RATE_LIMITED_NOTICE_INTERVAL_MS = 1000;

export interface SignalBudgetSpec {
  /** Signals per player (and per connection) per SIGNAL_RATE_WINDOW_MS. */
  signalPoints: number;
  /** Relay frames and bytes per player (and per connection) per RELAY_RATE_WINDOW_MS. */
  relayMessagePoints: number;
  relayBytePoints: number;
  /** An address gets this many players' worth of each budget (several players can share one NAT). */
  addressFactor: number;
}

/**
 * Signal and relay budgets, shared by all sockets of this process. Each frame is charged to the
 * server-assigned player id, to the connection, and to the client's address: leaving and rejoining
 * (a new player id) does not refill the connection's budget, and a second socket does not refill the
 * address's. In-process fixed windows (windowCounter.ts): synchronous, so forwarding keeps the
 * sender's order without a promise per signal.
 */
export class SignalLimiters {
  private readonly signalsPerPlayer: WindowCounter;
  private readonly signalsPerConnection: WindowCounter;
  private readonly signalsPerAddress: WindowCounter;
  private readonly relayMessages: WindowCounter[];
  private readonly relayBytes: WindowCounter[];

  constructor(spec: SignalBudgetSpec) {
    const f = spec.addressFactor;
    this.signalsPerPlayer = new WindowCounter(spec.signalPoints, SIGNAL_RATE_WINDOW_MS);
    this.signalsPerConnection = new WindowCounter(spec.signalPoints, SIGNAL_RATE_WINDOW_MS);
    this.signalsPerAddress = new WindowCounter(spec.signalPoints * f, SIGNAL_RATE_WINDOW_MS);
    // [player, connection, address]
    this.relayMessages = [1, 1, f].map(
      (k) => new WindowCounter(spec.relayMessagePoints * k, RELAY_RATE_WINDOW_MS),
    );
    this.relayBytes = [1, 1, f].map((k) => new WindowCounter(spec.relayBytePoints * k, RELAY_RATE_WINDOW_MS));
  }

  /** True if every budget had a point left (each budget is charged either way). */
  signal(player: string, connection: string, address: string): boolean {
    const p = this.signalsPerPlayer.take(player);
    const c = this.signalsPerConnection.take(connection);
    const a = this.signalsPerAddress.take(address);
    return p && c && a;
  }

  relay(player: string, connection: string, address: string, bytes: number): boolean {
    const [mp, mc, ma] = this.relayMessages as [WindowCounter, WindowCounter, WindowCounter];
    const [bp, bc, ba] = this.relayBytes as [WindowCounter, WindowCounter, WindowCounter];
    const m1 = mp.take(player);
    const m2 = mc.take(connection);
    const m3 = ma.take(address);
    const b1 = bp.take(player, bytes);
    const b2 = bc.take(connection, bytes);
    const b3 = ba.take(address, bytes);
    return m1 && m2 && m3 && b1 && b2 && b3;
  }
}

/** The production budgets; `signalPoints` comes from SIGNAL_RATE_PER_10S. */
export function createSignalLimiters(
  signalPoints = SIGNAL_RATE_POINTS,
  overrides: Partial<SignalBudgetSpec> = {},
): SignalLimiters {
  return new SignalLimiters({
    signalPoints,
    relayMessagePoints: RELAY_RATE_MESSAGES,
    relayBytePoints: RELAY_RATE_BYTES,
    addressFactor: 4,
    ...overrides,
  });
}

export interface SignalHandlerDeps {
  io: IoServer;
  /** Seated players' sockets on this instance: a signal to one is emitted on it directly. */
  localPlayers: LocalPlayers;
  membership: Membership;
  limiters: SignalLimiters;
  metrics: Pick<Metrics, 'signalsRelayed' | 'relayBytes' | 'rejections'>;
}

/**
 * The hot path's schemas, compiled ahead of time (zod's `compile`: a generated parser with the
 * runtime one as fallback for anything invalid, so errors are the same): ~0.13 µs per candidate
 * instead of ~2 µs. Server only; browsers parse without code generation.
 */
const SignalInputParser = z.compile(SignalInput);
const RelayInputParser = z.compile(RelayInput);

const tooBig = (error: z.core.$ZodError) => error.issues.some((i) => i.code === 'too_big');

/**
 * `signal` and `relay`: forwarded only between members of the same lobby, `from` stamped here,
 * descriptions, candidates and relay bytes passed on as received. This is the hot path: membership
 * comes from the in-memory cache, the budgets are in memory and synchronous, nothing is re-serialized
 * by us, and the two listeners are shared by every socket (`this` is the socket; no closure per
 * connection).
 *
 * No acks (see SignalError): fire-and-forget keeps one packet per signal; the rare rejection is a
 * `signal:error` event back to the sender, and nothing is delivered to anyone.
 */
export function addSignalHandlers(events: EventTable, deps: SignalHandlerDeps) {
  const { io, localPlayers, membership, limiters, metrics } = deps;
  // One RATE_LIMITED notice per socket per interval: a flood must not make us flood back.
  const notices = new WindowCounter(1, RATE_LIMITED_NOTICE_INTERVAL_MS);

  const reject = (socket: IoSocket, event: SignalError['event'], code: ErrorCode, to?: string) => {
    metrics.rejections.inc({ reason: code });
    if (code === ErrorCode.RATE_LIMITED && !notices.take(socket.id)) return;
    socket.emit('signal:error', to === undefined ? { event, code } : { event, code, to });
  };

  // Budgets per player, per connection (the socket id: one socket.io socket per engine.io session,
  // engineGuard.ts, and it stays the same across leave + rejoin) and per address.
  events.add('signal', function signal(this: IoSocket, payload: unknown) {
    const { playerId: from, lobbyId, address } = this.data;
    if (!from || !lobbyId) return reject(this, 'signal', ErrorCode.NOT_IN_LOBBY);
    const parsed = SignalInputParser.safeParse(payload);
    if (!parsed.success)
      return reject(this, 'signal', tooBig(parsed.error) ? ErrorCode.TOO_LARGE : ErrorCode.INVALID_PAYLOAD);
    const { to, negotiationId, signal } = parsed.data;
    const denied = membership.check(lobbyId, from, to);
    if (denied) return reject(this, 'signal', denied, to);
    if (!limiters.signal(from, this.id, address ?? this.id))
      return reject(this, 'signal', ErrorCode.RATE_LIMITED, to);
    metrics.signalsRelayed.inc();
    const message = { from, negotiationId, signal };
    const target = localPlayers.get(to);
    if (target) target.emit('signal', message);
    else io.to(playerRoom(to)).emit('signal', message);
  });

  events.add('relay', function relay(this: IoSocket, payload: unknown) {
    const { playerId: from, lobbyId, address } = this.data;
    if (!from || !lobbyId) return reject(this, 'relay', ErrorCode.NOT_IN_LOBBY);
    const parsed = RelayInputParser.safeParse(payload);
    if (!parsed.success) {
      const data = (payload as { data?: unknown } | null)?.data;
      const oversized =
        (data instanceof Uint8Array || data instanceof ArrayBuffer) && data.byteLength > MAX_RELAY_BYTES;
      return reject(this, 'relay', oversized ? ErrorCode.TOO_LARGE : ErrorCode.INVALID_PAYLOAD);
    }
    const { to, data } = parsed.data;
    const denied = membership.check(lobbyId, from, to);
    if (denied) return reject(this, 'relay', denied, to);
    if (!limiters.relay(from, this.id, address ?? this.id, data.byteLength))
      return reject(this, 'relay', ErrorCode.RATE_LIMITED, to);
    metrics.relayBytes.inc(data.byteLength);
    const target = localPlayers.get(to);
    if (target) target.emit('relay', { from, data });
    else io.to(playerRoom(to)).emit('relay', { from, data });
  });
}
