import { RELAY_RATE_BYTES, RELAY_RATE_MESSAGES } from '../../lib/protocol/limits';
import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { WindowCounter } from './windowCounter';

/**
 * Abuse bounds for the socket layer (docs/RELIABILITY.md S4, S9). Every number has its unit in its name;
 * `createApp({ limits })` overrides any of them (tests lower them to prove the behaviour).
 */
export interface Limits {
  /** Lobby events one socket may send per window: a burst, then refill (OWASP starts near 100/min). */
  playerEventPoints: number;
  playerEventWindowS: number;
  /** The same per client IP, looser: several players can share one NAT. */
  ipEventPoints: number;
  ipEventWindowS: number;
  /**
   * Open engine.io sessions per client address (IPv6 by /64), any transport, whether or not they ever
   * connect a socket.io socket; one more handshake is refused (HTTP 403 naming RATE_LIMITED).
   */
  maxConnectionsPerIp: number;
  /** An engine.io session that has not sent its socket.io CONNECT by then is closed. */
  connectDeadlineMs: number;
  /** A socket that is neither in a lobby nor watching the browser this long is disconnected. */
  idleSocketDeadlineMs: number;
  /**
   * Failed guesses (NOT_FOUND on a join: wrong code, wrong token, private-by-code) per IP per window.
   * Past the budget every join from that IP is RATE_LIMITED for the block time, found or not, so a
   * guesser learns nothing more (a 30-bit code space at 10 tries a minute takes years).
   */
  failedJoinPoints: number;
  failedJoinWindowS: number;
  failedJoinBlockS: number;
  /**
   * STUN Binding requests per client IP per window (server/stun). A browser sends a handful per ICE
   * gathering (one per local interface, plus a retransmission or two) and never keeps a STUN server's
   * binding alive, so 50 per 10 s leaves room for many tabs behind one NAT while a flood from one
   * source gets at most 5 replies a second.
   */
  stunRequestPoints: number;
  stunRequestWindowS: number;
  /**
   * Seat resumes (a reconnect with a resume token) per player and per address per window. A resume
   * and the drop that follows each change the lobby every member sees, so a loop of connect-resume,
   * disconnect would otherwise be a free broadcast; a page refresh or a network blip takes one.
   */
  resumePlayerPoints: number;
  resumeAddressPoints: number;
  resumeWindowS: number;
  /**
   * Live lobbies one address may have created (MAX_LOBBIES_PER_ADDRESS). A lobby whose members are all
   * dropped still counts until its seats expire; one more create gets TOO_MANY_LOBBIES.
   */
  maxLobbiesPerAddress: number;
  /** Relay frames and bytes per player and per connection per RELAY_RATE_WINDOW_MS (lib/protocol/limits.ts). */
  relayMessagePoints: number;
  relayBytePoints: number;
  /**
   * Bytes one connection may have waiting to go out (queued in engine.io and in the TCP socket's
   * user-space buffer). A client that stops reading (and may still answer heartbeats) is cut off past
   * it and its seat is dropped like any lost connection. Members' state, signals and relay frames
   * from 15 peers fit well within it; memory per connection stays bounded by it.
   */
  maxOutgoingBytes: number;
  /**
   * Signal and relay budgets per address, in players' worth: a household or a classroom behind one
   * NAT relays a few links at once, and a second socket must not double one attacker's budget.
   */
  addressBudgetFactor: number;
}

export const DEFAULT_LIMITS: Limits = {
  playerEventPoints: 30,
  playerEventWindowS: 10,
  ipEventPoints: 120,
  ipEventWindowS: 10,
  maxConnectionsPerIp: 32,
  connectDeadlineMs: 10_000,
  idleSocketDeadlineMs: 60_000,
  failedJoinPoints: 10,
  failedJoinWindowS: 60,
  failedJoinBlockS: 300,
  stunRequestPoints: 50,
  stunRequestWindowS: 10,
  resumePlayerPoints: 6,
  resumeAddressPoints: 30,
  resumeWindowS: 60,
  maxLobbiesPerAddress: 10,
  relayMessagePoints: RELAY_RATE_MESSAGES,
  relayBytePoints: RELAY_RATE_BYTES,
  maxOutgoingBytes: 2 * 1024 * 1024,
  addressBudgetFactor: 4,
};

/**
 * A budget of points per key over a window. The memory implementation is per process; a Redis-backed
 * one (rate-limiter-flexible's RateLimiterRedis has the same shape) shares budgets across nodes.
 */
export interface Limiter {
  /** Takes one point; false when the key is over its budget or blocked. */
  take(key: string): Promise<boolean>;
  /** Whether the key's budget is spent, without taking a point. */
  spent(key: string): Promise<boolean>;
  /** Refuses the key for `seconds`, whatever its budget. */
  block(key: string, seconds: number): Promise<void>;
}

export interface LimiterSpec {
  /** Distinguishes budgets that share a backend (e.g. one Redis). */
  name: string;
  points: number;
  windowS: number;
}

export type LimiterFactory = (spec: LimiterSpec) => Limiter;

/** In-process budgets: the default, right for one node (RateLimiterMemory's rule, cheaper: windowCounter.ts). */
export const memoryLimiter: LimiterFactory = (spec) => {
  const counter = new WindowCounter(spec.points, spec.windowS * 1000);
  return {
    take: (key) => Promise.resolve(counter.take(key)),
    spent: (key) => Promise.resolve(counter.spent(key)),
    block: (key, seconds) => Promise.resolve(counter.block(key, seconds * 1000)),
  };
};

/** Any rate-limiter-flexible limiter (memory, Redis, …) as our Limiter. */
export function asLimiter(rl: RateLimiterAbstract): Limiter {
  return {
    async take(key) {
      try {
        await rl.consume(key);
        return true;
      } catch (err) {
        if (err instanceof RateLimiterRes) return false;
        throw err;
      }
    },
    async spent(key) {
      const res = await rl.get(key);
      return res !== null && res.remainingPoints <= 0;
    },
    async block(key, seconds) {
      await rl.block(key, seconds);
    },
  };
}
