import type { Logger } from 'pino';
import { ErrorCode, type ClientEventName, type Result } from '../../lib/protocol';
import type { Metrics } from '../metrics';
import type { HandshakeInfos } from './handshakeInfo';
import type { Limiter, LimiterFactory, Limits } from './limits';
import type { IoServer, IoSocket } from './types';

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
  /** Address and Host of each session, copied before its handshake request was let go. */
  handshakes: HandshakeInfos;
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

  constructor(private readonly deps: SocketGuardsDeps) {
    const { limits, limiter } = deps;
    this.socketEvents = limiter({
      name: 'ev:socket',
      points: limits.playerEventPoints,
      windowS: limits.playerEventWindowS,
    });
    this.ipEvents = limiter({ name: 'ev:ip', points: limits.ipEventPoints, windowS: limits.ipEventWindowS });
    this.failedJoins = limiter({
      name: 'join-fail:ip',
      points: limits.failedJoinPoints,
      windowS: limits.failedJoinWindowS,
    });
    this.playerResumes = limiter({
      name: 'resume:player',
      points: limits.resumePlayerPoints,
      windowS: limits.resumeWindowS,
    });
    this.addressResumes = limiter({
      name: 'resume:ip',
      points: limits.resumeAddressPoints,
      windowS: limits.resumeWindowS,
    });
  }

  /**
   * socket.io middleware, first in line. The per-address connection cap is the EngineGuard's (every
   * engine.io session counts, whatever the transport); here one engine.io session carries at most one
   * socket of ours, even if a second CONNECT got past the engine-level check (another namespace).
   */
  readonly middleware = (socket: IoSocket, next: (err?: Error) => void) => {
    const conn = socket.conn;
    const info = this.deps.handshakes.take(conn);
    // Taken once per session: no info means this session already carried a socket.
    if (!info) {
      this.deps.metrics.rejections.inc({ reason: ErrorCode.RATE_LIMITED });
      const err: ConnectError = new Error(ErrorCode.RATE_LIMITED);
      err.data = { code: ErrorCode.RATE_LIMITED };
      conn.close(true);
      return next(err);
    }
    // Every field a player's socket will have, in one literal: one shape for every socket (the hot path's
    // reads stay monomorphic) with its fields in the object itself (no separate property array).
    socket.data = {
      deviceId: '',
      address: info.address,
      host: info.host,
      lobbyId: undefined,
      playerId: undefined,
      game: undefined,
      browsing: undefined,
    };
    next();
  };

  /** On connection: guards the socket's events (its idle deadline is the sweep's, see `sweepIdle`). */
  attach(socket: IoSocket) {
    guards.set(socket, new AttachedGuard(this, socket, socket.data.address ?? ''));
  }

  /**
   * The per-connection and per-address event budgets and the failed-guess budget, for one connection
   * keyed `connectionKey` from address `ip`: sockets (their id), and the Godot endpoint's connections (a
   * Godot JOIN is a `lobby:join`, its SEAL a `lobby:lock`), so both transports draw on the same budgets.
   */
  guardFor(connectionKey: string, ip: string): Pick<EventGuard, 'admit' | 'answered'> {
    return {
      admit: (event) => this.admit(connectionKey, ip, event),
      answered: (event, result) => this.answered(connectionKey, ip, event, result),
    };
  }

  async admit(connectionKey: string, ip: string, event: ClientEventName): Promise<ErrorCode | null> {
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
  }

  async admitResume(ip: string, playerId: string): Promise<ErrorCode | null> {
    try {
      // Every budget is charged, so a refused resume still counts against the next.
      const taken = await Promise.all([
        this.ipEvents.take(ip),
        this.addressResumes.take(ip),
        this.playerResumes.take(playerId),
        this.failedJoins.spent(ip).then((spent) => !spent),
      ]);
      const refused = taken.includes(false);
      if (refused) this.deps.metrics.rejections.inc({ reason: ErrorCode.RATE_LIMITED });
      return refused ? ErrorCode.RATE_LIMITED : null;
    } catch (err) {
      this.deps.log.warn({ err }, 'rate limiter unavailable; resume let through');
      return null;
    }
  }

  resumeAnswered(ip: string, error: ErrorCode | null) {
    if (error === null || error === ErrorCode.RATE_LIMITED) return;
    this.deps.metrics.rejections.inc({ reason: error });
    if (error === ErrorCode.NOT_FOUND) void this.spendGuess(ip);
  }

  answered(connectionKey: string, ip: string, event: ClientEventName, result: Result<unknown>) {
    if (result.ok) return;
    this.deps.metrics.rejections.inc({ reason: result.error });
    // Event name and code only: never the payload (S12).
    this.deps.log.debug({ connection: connectionKey, event, reason: result.error }, 'request refused');
    if (result.error === ErrorCode.NOT_FOUND && GUESSABLE_EVENTS.has(event)) void this.spendGuess(ip);
  }

  /**
   * Idle deadline: every half deadline, a socket connected for at least the deadline that is in no
   * lobby and not watching the browser is closed (so one is closed between one and one and a half
   * deadlines after it connected or left its lobby). One sweep per app rather than a timer per socket.
   */
  sweepIdle(io: IoServer): () => void {
    const ms = this.deps.limits.idleSocketDeadlineMs;
    const timer = setInterval(
      () => {
        const now = Date.now();
        for (const socket of io.of('/').sockets.values()) {
          if (now - socket.handshake.issued < ms || socket.data.lobbyId || socket.data.browsing) continue;
          this.deps.log.debug({ socket: socket.id }, 'idle socket disconnected');
          socket.disconnect(true);
        }
      },
      Math.max(1, ms / 2),
    );
    timer.unref();
    return () => clearInterval(timer);
  }

  private async spendGuess(ip: string) {
    try {
      await this.failedJoins.take(ip);
      if (await this.failedJoins.spent(ip))
        await this.failedJoins.block(ip, this.deps.limits.failedJoinBlockS);
    } catch (err) {
      this.deps.log.warn({ err }, 'failed-join budget unavailable');
    }
  }
}

/** One socket's guard: a small record; the logic is SocketGuards' (no closures per connection). */
class AttachedGuard implements EventGuard {
  constructor(
    private readonly owner: SocketGuards,
    private readonly socket: IoSocket,
    private readonly ip: string,
  ) {}

  admit(event: ClientEventName) {
    return this.owner.admit(this.socket.id, this.ip, event);
  }

  answered(event: ClientEventName, result: Result<unknown>) {
    this.owner.answered(this.socket.id, this.ip, event, result);
  }

  admitResume(playerId: string) {
    return this.owner.admitResume(this.ip, playerId);
  }

  resumeAnswered(error: ErrorCode | null) {
    this.owner.resumeAnswered(this.ip, error);
  }
}
