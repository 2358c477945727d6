import type { Logger } from 'pino';
import { ErrorCode, type ClientEventName, type Result } from '../../lib/protocol';
import type { Metrics } from '../metrics';
import { addressKey, clientIp } from './clientIp';
import type { Limiter, LimiterFactory, Limits } from './limits';
import type { IoSocket } from './types';

/**
 * Events whose NOT_FOUND answer means "a guess was wrong" (a code, an invite token). They spend the
 * per-IP failed-join budget (S9), as a wrong resume token does (admitResume / resumeAnswered).
 */
const GUESSABLE_EVENTS: ReadonlySet<ClientEventName> = new Set<ClientEventName>(['lobby:join']);

/** What handle() asks of the guard around every acked event. */
export interface EventGuard {
  /** Before the payload is even parsed: null to go on, or the code to refuse with. */
  admit(event: ClientEventName): Promise<ErrorCode | null>;
  /** Every answer sent, so refusals are counted and failed guesses spend their budget. */
  answered(event: ClientEventName, result: Result<unknown>): void;
  /** A handshake's seat resume, like any command: the address's event budget and its own budgets. */
  admitResume(playerId: string): Promise<ErrorCode | null>;
  /** A resume's outcome: a wrong token spends the failed-guess budget like a wrong invite. */
  resumeAnswered(error: ErrorCode | null): void;
}

const guards = new WeakMap<IoSocket, EventGuard>();

/** The guard of a socket, if the app attached one (handle() runs unguarded otherwise, as in unit tests). */
export const guardOf = (socket: IoSocket): EventGuard | undefined => guards.get(socket);

export interface SocketGuardsDeps {
  limits: Limits;
  limiter: LimiterFactory;
  metrics: Metrics;
  log: Logger;
  trustProxyHops: number;
}

type ConnectError = Error & { data?: { code: ErrorCode } };

/**
 * Per-app abuse bounds around sockets (S4, S9): per-socket and per-IP event budgets, one socket per
 * engine.io session, a failed-guess budget for joins, and a deadline for sockets that do nothing.
 */
export class SocketGuards {
  private readonly socketEvents: Limiter;
  private readonly ipEvents: Limiter;
  private readonly failedJoins: Limiter;
  private readonly playerResumes: Limiter;
  private readonly addressResumes: Limiter;
  /** Engine.io sessions that already carried a socket.io socket. */
  private readonly carrying = new WeakSet<object>();
  private readonly ips = new WeakMap<IoSocket, string>();

  constructor(private readonly deps: SocketGuardsDeps) {
    const { limits, limiter } = deps;
    this.socketEvents = limiter({ name: 'ev:socket', points: limits.playerEventPoints, windowS: limits.playerEventWindowS });
    this.ipEvents = limiter({ name: 'ev:ip', points: limits.ipEventPoints, windowS: limits.ipEventWindowS });
    this.failedJoins = limiter({ name: 'join-fail:ip', points: limits.failedJoinPoints, windowS: limits.failedJoinWindowS });
    this.playerResumes = limiter({ name: 'resume:player', points: limits.resumePlayerPoints, windowS: limits.resumeWindowS });
    this.addressResumes = limiter({ name: 'resume:ip', points: limits.resumeAddressPoints, windowS: limits.resumeWindowS });
  }

  /**
   * socket.io middleware, first in line. The per-address connection cap is the EngineGuard's (every
   * engine.io session counts, whatever the transport); here one engine.io session carries at most one
   * socket of ours, even if a second CONNECT got past the engine-level check (another namespace).
   */
  readonly middleware = (socket: IoSocket, next: (err?: Error) => void) => {
    const address = addressKey(clientIp(socket.request, this.deps.trustProxyHops));
    this.ips.set(socket, address);
    socket.data.address = address;
    const conn = socket.conn;
    if (this.carrying.has(conn)) {
      this.deps.metrics.rejections.inc({ reason: ErrorCode.RATE_LIMITED });
      const err: ConnectError = new Error(ErrorCode.RATE_LIMITED);
      err.data = { code: ErrorCode.RATE_LIMITED };
      conn.close(true);
      return next(err);
    }
    this.carrying.add(conn);
    next();
  };

  /** On connection: guards the socket's events and arms its idle deadline. */
  attach(socket: IoSocket) {
    const ip = this.ips.get(socket) ?? addressKey(clientIp(socket.request, this.deps.trustProxyHops));
    const { limits, metrics } = this.deps;
    const events = this.guardFor(socket.id, ip);
    guards.set(socket, {
      ...events,
      admitResume: async (playerId) => {
        try {
          // Every budget is charged, so a refused resume still counts against the next.
          const taken = await Promise.all([
            this.ipEvents.take(ip),
            this.addressResumes.take(ip),
            this.playerResumes.take(playerId),
            this.failedJoins.spent(ip).then((spent) => !spent),
          ]);
          const refused = taken.includes(false);
          if (refused) metrics.rejections.inc({ reason: ErrorCode.RATE_LIMITED });
          return refused ? ErrorCode.RATE_LIMITED : null;
        } catch (err) {
          this.deps.log.warn({ err }, 'rate limiter unavailable; resume let through');
          return null;
        }
      },
      resumeAnswered: (error) => {
        if (error === null || error === ErrorCode.RATE_LIMITED) return;
        metrics.rejections.inc({ reason: error });
        if (error === ErrorCode.NOT_FOUND) void this.spendGuess(ip);
      },
    });
    this.armIdleDeadline(socket, limits.idleSocketDeadlineMs);
  }

  /**
   * The per-connection and per-address event budgets and the failed-guess budget, for one connection
   * keyed `connectionKey` from address `ip`: sockets, and the Godot endpoint's connections (a Godot JOIN
   * is a `lobby:join`, its SEAL a `lobby:lock`), so both transports draw on the same address budgets.
   */
  guardFor(connectionKey: string, ip: string): Pick<EventGuard, 'admit' | 'answered'> {
    const { metrics } = this.deps;
    return {
      admit: async (event) => {
        try {
          if (!(await this.socketEvents.take(connectionKey))) return ErrorCode.RATE_LIMITED;
          if (!(await this.ipEvents.take(ip))) return ErrorCode.RATE_LIMITED;
          if (GUESSABLE_EVENTS.has(event) && (await this.failedJoins.spent(ip))) return ErrorCode.RATE_LIMITED;
          return null;
        } catch (err) {
          // A shared limiter backend that is down must not take the lobby down with it: fail open, loudly.
          this.deps.log.warn({ err, event }, 'rate limiter unavailable; request let through');
          return null;
        }
      },
      answered: (event, result) => {
        if (result.ok) return;
        metrics.rejections.inc({ reason: result.error });
        // Event name and code only: never the payload (S12).
        this.deps.log.debug({ connection: connectionKey, event, reason: result.error }, 'request refused');
        if (result.error === ErrorCode.NOT_FOUND && GUESSABLE_EVENTS.has(event)) void this.spendGuess(ip);
      },
    };
  }

  private async spendGuess(ip: string) {
    try {
      await this.failedJoins.take(ip);
      if (await this.failedJoins.spent(ip)) await this.failedJoins.block(ip, this.deps.limits.failedJoinBlockS);
    } catch (err) {
      this.deps.log.warn({ err }, 'failed-join budget unavailable');
    }
  }

  /** A socket that is in no lobby and not watching the browser when the deadline passes is closed. */
  private armIdleDeadline(socket: IoSocket, ms: number) {
    let timer: NodeJS.Timeout;
    const check = () => {
      if (socket.data.lobbyId || socket.data.browsing) {
        timer = setTimeout(check, ms);
        return;
      }
      this.deps.log.debug({ socket: socket.id }, 'idle socket disconnected');
      socket.disconnect(true);
    };
    timer = setTimeout(check, ms);
    socket.once('disconnect', () => clearTimeout(timer));
  }
}
