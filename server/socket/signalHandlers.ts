import { RateLimiterMemory } from 'rate-limiter-flexible';
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
import type { Membership } from './membership';
import { playerRoom, type IoServer, type IoSocket } from './types';

/** One RATE_LIMITED error per socket per this window: a flood must not make us flood back. */
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
 * address's.
 */
export class SignalLimiters {
  private readonly signals: RateLimiterMemory;
  private readonly signalsPerAddress: RateLimiterMemory;
  private readonly relayMessages: RateLimiterMemory;
  private readonly relayBytes: RateLimiterMemory;
  private readonly relayMessagesPerAddress: RateLimiterMemory;
  private readonly relayBytesPerAddress: RateLimiterMemory;

  constructor(spec: SignalBudgetSpec) {
    const limiter = (points: number, windowMs: number) => new RateLimiterMemory({ points, duration: windowMs / 1000 });
    const f = spec.addressFactor;
    this.signals = limiter(spec.signalPoints, SIGNAL_RATE_WINDOW_MS);
    this.signalsPerAddress = limiter(spec.signalPoints * f, SIGNAL_RATE_WINDOW_MS);
    this.relayMessages = limiter(spec.relayMessagePoints, RELAY_RATE_WINDOW_MS);
    this.relayBytes = limiter(spec.relayBytePoints, RELAY_RATE_WINDOW_MS);
    this.relayMessagesPerAddress = limiter(spec.relayMessagePoints * f, RELAY_RATE_WINDOW_MS);
    this.relayBytesPerAddress = limiter(spec.relayBytePoints * f, RELAY_RATE_WINDOW_MS);
  }

  /** Resolves if every budget had a point left, rejects otherwise (each budget is charged either way). */
  signal(k: BudgetKeys): Promise<unknown> {
    return Promise.all([
      this.signals.consume(`p:${k.player}`),
      this.signals.consume(`c:${k.connection}`),
      this.signalsPerAddress.consume(k.address),
    ]);
  }

  relay(k: BudgetKeys, bytes: number): Promise<unknown> {
    return Promise.all([
      this.relayMessages.consume(`p:${k.player}`),
      this.relayMessages.consume(`c:${k.connection}`),
      this.relayMessagesPerAddress.consume(k.address),
      this.relayBytes.consume(`p:${k.player}`, bytes),
      this.relayBytes.consume(`c:${k.connection}`, bytes),
      this.relayBytesPerAddress.consume(k.address, bytes),
    ]);
  }
}

export interface BudgetKeys {
  player: string;
  connection: string;
  address: string;
}

/** The production budgets; `signalPoints` comes from SIGNAL_RATE_PER_10S. */
export function createSignalLimiters(signalPoints = SIGNAL_RATE_POINTS, overrides: Partial<SignalBudgetSpec> = {}): SignalLimiters {
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
 * comes from the in-memory cache, the limiter is in memory, nothing is re-serialized by us.
 *
 * No acks (see SignalError): fire-and-forget keeps one packet per signal; the rare rejection is a
 * `signal:error` event back to the sender, and nothing is delivered to anyone.
 */
export function registerSignalHandlers(socket: IoSocket, deps: SignalHandlerDeps) {
  const { io, membership, limiters, metrics } = deps;
  let lastLimitedNoticeAt = 0;
  // One socket.io socket per engine.io session (engineGuard.ts): the socket id is the connection's,
  // and it stays the same across leave + rejoin.
  const connection = socket.id;
  const address = socket.data.address ?? connection;
  const keys = (player: string): BudgetKeys => ({ player, connection, address });

  const reject = (event: SignalError['event'], code: ErrorCode, to?: string) => {
    metrics.rejections.inc({ reason: code });
    if (code === ErrorCode.RATE_LIMITED) {
      const now = Date.now();
      if (now - lastLimitedNoticeAt < RATE_LIMITED_NOTICE_INTERVAL_MS) return;
      lastLimitedNoticeAt = now;
    }
    socket.emit('signal:error', to === undefined ? { event, code } : { event, code, to });
  };

  socket.on('signal', (payload: unknown) => {
    const { playerId: from, lobbyId } = socket.data;
    if (!from || !lobbyId) return reject('signal', ErrorCode.NOT_IN_LOBBY);
    const parsed = SignalInputParser.safeParse(payload);
    if (!parsed.success) return reject('signal', tooBig(parsed.error) ? ErrorCode.TOO_LARGE : ErrorCode.INVALID_PAYLOAD);
    const { to, negotiationId, signal } = parsed.data;
    const denied = membership.check(lobbyId, from, to);
    if (denied) return reject('signal', denied, to);
    // The memory limiter settles synchronously; its promises resolve in call order, so forwarding
    // keeps the sender's order.
    limiters.signal(keys(from)).then(
      () => {
        metrics.signalsRelayed.inc();
        io.to(playerRoom(to)).emit('signal', { from, negotiationId, signal });
      },
      () => reject('signal', ErrorCode.RATE_LIMITED, to),
    );
  });

  socket.on('relay', (payload: unknown) => {
    const { playerId: from, lobbyId } = socket.data;
    if (!from || !lobbyId) return reject('relay', ErrorCode.NOT_IN_LOBBY);
    const parsed = RelayInputParser.safeParse(payload);
    if (!parsed.success) {
      const data = (payload as { data?: unknown } | null)?.data;
      const oversized = (data instanceof Uint8Array || data instanceof ArrayBuffer) && data.byteLength > MAX_RELAY_BYTES;
      return reject('relay', oversized ? ErrorCode.TOO_LARGE : ErrorCode.INVALID_PAYLOAD);
    }
    const { to, data } = parsed.data;
    const denied = membership.check(lobbyId, from, to);
    if (denied) return reject('relay', denied, to);
    limiters.relay(keys(from), data.byteLength).then(
      () => {
        metrics.relayBytes.inc(data.byteLength);
        io.to(playerRoom(to)).emit('relay', { from, data });
      },
      () => reject('relay', ErrorCode.RATE_LIMITED, to),
    );
  });
}
