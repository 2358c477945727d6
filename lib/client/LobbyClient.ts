import { io, type Socket } from 'socket.io-client';
import type * as z from 'zod/mini';
import {
  DEFAULT_GAME,
  ErrorCode,
  IceGrantSchema,
  PROTOCOL_VERSION,
  RelayMessage,
  SignalMessage,
  fail,
  ok,
  type ClientToServerEvents,
  type CreateLobbyInput,
  type IceGrant,
  type IceServer,
  type JoinLobbyInput,
  type JoinOrCreateInput,
  type Joined,
  type KickInput,
  type LobbySummary,
  type LobbyView,
  type Meta,
  type QuickJoined,
  type RemovedReason,
  type Result,
  type ServerToClientEvents,
  type SignalError,
  type SignalInput,
  type UpdateSettingsInput,
} from '../protocol';
import { Emitter } from '../events/emitter';
import { ProtocolVersionError } from './errors';
import { IceRefresher } from './iceRefresh';
import { defaultStorage, type KeyValueStore } from './storage';

export type { KeyValueStore } from './storage';

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** `outdated`: the server speaks another protocol version; only a reload helps. */
export type ConnectionStatus = 'connecting' | 'connected' | 'reconnecting' | 'outdated' | 'closed';

export interface LobbyClientEvents {
  status: (status: ConnectionStatus) => void;
  /** Only ever a newer version than the last one emitted. */
  lobby: (lobby: LobbyView | null, selfId: string | null) => void;
  removed: (reason: RemovedReason | 'connection-lost') => void;
  browser: (lobbies: LobbySummary[]) => void;
  /** WebRTC signaling for the Mesh; `from` is the server-stamped sender. */
  signal: (message: SignalMessage) => void;
  /** A server-relayed mesh frame (fallback route). */
  relay: (from: string, data: Uint8Array) => void;
  /** The server rejected a `signal` or `relay` we sent. */
  signalError: (error: SignalError) => void;
  /** New ICE servers (a fresh TURN credential): on every join, resume and refresh. */
  iceServers: (iceServers: IceServer[]) => void;
  /** The server speaks another protocol version; the status is `outdated` from now on. */
  outdated: (error: ProtocolVersionError) => void;
}

/** Command inputs: what the server's zod schemas accept (defaults optional, text cleaned there). */
/** The game is the client's own (LobbyClientOptions.game), never a command's. */
type WithoutGame<T> = T extends unknown ? Omit<T, 'game'> : never;
export type CreateLobbyOptions = WithoutGame<z.input<typeof CreateLobbyInput>>;
export type JoinLobbyOptions = WithoutGame<z.input<typeof JoinLobbyInput>>;
export type JoinOrCreateOptions = WithoutGame<z.input<typeof JoinOrCreateInput>>;
export type KickOptions = z.input<typeof KickInput>;
export type LobbySettings = z.input<typeof UpdateSettingsInput>;

export interface LobbyClientOptions {
  /** Server origin, e.g. `https://play.example.com`. Required outside a page; a page's own origin when omitted. */
  url?: string;
  /**
   * Where the device key persists (a ban outlives a new player id). Default: `localStorage` in a page,
   * else memory, i.e. a new device on every new LobbyClient (`storageIsPersistent` says which).
   */
  storage?: KeyValueStore;
  /**
   * Per-tab storage of the seat record that takes a seat back after a refresh or a dropped connection.
   * Default: `sessionStorage` in a page, else memory (a reconnect of this client still resumes).
   */
  sessionStorage?: KeyValueStore;
  /** How long a command waits for its answer before resolving as UNAVAILABLE. Default 8000 ms. */
  ackTimeoutMs?: number;
  /** Default true: a lost connection is retried with backoff (and the seat resumed). False: it is final. */
  reconnection?: boolean;
  /**
   * The game this client plays (a slug, e.g. `pong`): its lobbies are created, joined and browsed in
   * that game only. Defaults to the built-in game (DEFAULT_GAME).
   */
  game?: string;
}

/** The socket as `timeout()` returns it: `emitWithAck` rejects when no answer comes in time. */
type TimedSocket = ReturnType<ClientSocket['timeout']>;

/** The server's connect_error data when it refuses our protocol version (server/app.ts). */
function readMismatch(data: unknown): { serverVersion: number | null } | null {
  if (
    typeof data !== 'object' ||
    data === null ||
    !('code' in data) ||
    data.code !== ErrorCode.PROTOCOL_MISMATCH
  )
    return null;
  return {
    serverVersion:
      'serverVersion' in data && typeof data.serverVersion === 'number' ? data.serverVersion : null,
  };
}

const DEVICE_KEY = 'peerlobby.deviceKey';
const SEAT_KEY = 'peerlobby.seat';

interface SeatRecord {
  lobbyId: string;
  playerId: string;
  token: string;
}
const DEFAULT_ACK_TIMEOUT_MS = 8000;
/** A resume refused as RATE_LIMITED is tried again after this long plus up to as much again (jitter). */
const RESUME_RETRY_MS = 5000;

/** Both kinds of signal, well-formed, for priming the parser (see primeSignalParserSoon). */
const PRIMING_SIGNALS = [
  {
    from: 'primer00',
    negotiationId: 0,
    signal: { type: 'description', description: { type: 'offer', sdp: 'v=0' } },
  },
  {
    from: 'primer00',
    negotiationId: 0,
    signal: { type: 'candidate', candidate: { candidate: '', sdpMid: '0', sdpMLineIndex: 0 } },
  },
];
let signalParserPrimed = false;

/**
 * Zod builds a schema's parser on first use, and V8 compiles zod's code then: a few ms in a busy
 * page, otherwise paid when the first offer or answer arrives, on that pair's critical path. Run
 * in a task of its own once we are seated: after the offers the join sets off (their answers take
 * a round trip and ICE gathering), and never while the socket handshake or the join is pending.
 */
function primeSignalParserSoon() {
  if (signalParserPrimed) return;
  signalParserPrimed = true;
  setTimeout(() => {
    for (const message of PRIMING_SIGNALS) SignalMessage.safeParse(message, { jitless: true });
  }, 0);
}

/** Owns the socket.io-client socket: connection state, lobby commands and their typed results. */
export class LobbyClient {
  readonly #socket: ClientSocket;
  private readonly events = new Emitter<LobbyClientEvents>();
  private readonly ackTimeoutMs: number;
  /** The game every create, join and browse names. */
  readonly game: string;
  private status: ConnectionStatus = 'connecting';
  private lobby: LobbyView | null = null;
  private selfId: string | null = null;
  private joined: Joined | null = null;
  /** The latest ICE servers: the ack's, then each refresh's. */
  private ice: IceGrant | null = null;
  private resumeRetry: ReturnType<typeof setTimeout> | null = null;
  private readonly iceRefresher = new IceRefresher({
    fetch: () => this.fetchIceServers(),
    onGrant: (grant) => this.setIce(grant),
  });
  private watchingBrowser = false;
  private readonly session: KeyValueStore;
  private versionError: ProtocolVersionError | null = null;
  /** False when a default storage fell back to memory (no page): device key and seat last only as long as this client. */
  readonly storageIsPersistent: boolean;
  private settle: (() => void) | null = null;
  /** Resolves once a seat held from before (refresh, blip) is back or known to be gone. */
  readonly settled: Promise<void>;

  constructor(options: LobbyClientOptions = {}) {
    this.ackTimeoutMs = options.ackTimeoutMs ?? DEFAULT_ACK_TIMEOUT_MS;
    this.game = options.game ?? DEFAULT_GAME;
    const local = options.storage
      ? { store: options.storage, persistent: true }
      : defaultStorage('localStorage');
    const session = options.sessionStorage
      ? { store: options.sessionStorage, persistent: true }
      : defaultStorage('sessionStorage');
    const storage = local.store;
    this.session = session.store;
    this.storageIsPersistent = local.persistent && session.persistent;
    this.settled = this.readSeat() ? new Promise((resolve) => (this.settle = resolve)) : Promise.resolve();
    const opts = {
      // Websocket only: no long-polling handshake, half the memory per player on the server.
      transports: ['websocket'],
      reconnection: options.reconnection ?? true,
      // Called on every (re)connection, so a reconnect always carries the latest resume token.
      auth: (cb: (data: object) => void) =>
        cb({
          protocolVersion: PROTOCOL_VERSION,
          deviceKey: storage.get(DEVICE_KEY) ?? undefined,
          resume: this.readSeat() ?? undefined,
        }),
    };
    this.#socket = options.url ? io(options.url, opts) : io(opts);

    this.#socket.on('session', ({ deviceKey }) => storage.set(DEVICE_KEY, deviceKey));
    this.#socket.on('connect', () => this.onConnect());
    this.#socket.on('disconnect', (reason) => {
      this.setStatus('reconnecting');
      // socket.io does not retry after a server-side disconnect (shutdown, seat taken by another tab);
      // we do: a stale seat token is then refused and the player is told, instead of hanging.
      if (reason === 'io server disconnect') this.#socket.connect();
    });
    this.#socket.on('connect_error', (err) => {
      const data: unknown = 'data' in err ? err.data : undefined;
      const mismatch = readMismatch(data);
      if (mismatch) {
        this.#socket.disconnect();
        this.versionError = new ProtocolVersionError(PROTOCOL_VERSION, mismatch.serverVersion);
        this.setStatus('outdated');
        this.events.emit('outdated', this.versionError);
      } else if (this.status !== 'connecting') this.setStatus('reconnecting');
    });
    this.#socket.on('lobby:state', (lobby) => this.setLobby(lobby));
    this.#socket.on('lobby:removed', ({ lobbyId, reason }) => {
      if (this.lobby?.id !== lobbyId) return;
      this.forget();
      this.events.emit('removed', reason);
    });
    this.#socket.on('lobby:resumed', (joined) => {
      this.enter({ ok: true, data: joined });
      this.markSettled();
    });
    this.#socket.on('lobby:resume-failed', ({ error }) => {
      // Too many resumes from here for now: the server still holds the seat. Keep it and try again in a
      // few seconds (a new connection carries the same seat), rather than forgetting a seat that is ours.
      if (error === ErrorCode.RATE_LIMITED && this.status !== 'closed') {
        this.#socket.disconnect();
        this.resumeRetry ??= setTimeout(
          () => {
            this.resumeRetry = null;
            if (this.status !== 'closed') this.#socket.connect();
          },
          RESUME_RETRY_MS + Math.random() * RESUME_RETRY_MS,
        );
        return;
      }
      const hadLobby = this.lobby !== null;
      this.forget();
      if (hadLobby) this.events.emit('removed', 'connection-lost');
      this.markSettled();
    });
    this.#socket.on('browser:list', (rows) => this.events.emit('browser', rows));
    // Parsed here too (zod at every entry); anything malformed is dropped.
    this.#socket.on('signal', (raw) => {
      const parsed = SignalMessage.safeParse(raw, { jitless: true });
      if (parsed.success) this.events.emit('signal', parsed.data);
    });
    this.#socket.on('relay', (raw) => {
      const parsed = RelayMessage.safeParse(raw, { jitless: true });
      if (!parsed.success) return;
      const { from, data } = parsed.data;
      this.events.emit('relay', from, data instanceof Uint8Array ? data : new Uint8Array(data));
    });
    this.#socket.on('signal:error', (error) => this.events.emit('signalError', error));
  }

  on<K extends keyof LobbyClientEvents>(event: K, fn: LobbyClientEvents[K]) {
    return this.events.on(event, fn);
  }

  get connectionStatus() {
    return this.status;
  }
  get currentLobby() {
    return this.lobby;
  }
  get playerId() {
    return this.selfId;
  }
  /** The latest ICE servers: from the join/resume ack, or the last refresh (see IceRefresher). */
  get iceServers(): IceServer[] {
    return this.ice?.iceServers ?? [];
  }
  /** When their TURN credential expires (epoch ms, server clock); null without TURN or a seat. */
  get iceServersExpireAt() {
    return this.ice?.iceServersExpireAt ?? null;
  }
  get publicUrl() {
    return this.joined?.publicUrl ?? null;
  }

  /** Fire-and-forget; a rejection arrives as `signalError`. */
  signal(input: SignalInput) {
    this.#socket.emit('signal', input);
  }

  /** One mesh frame through the server, for pairs that cannot connect directly. */
  relay(to: string, data: Uint8Array) {
    this.#socket.emit('relay', { to, data });
  }

  /** Creates a lobby of this client's game and takes its first seat (as host). */
  async create(input: CreateLobbyOptions) {
    return this.enter(await this.call((s) => s.emitWithAck('lobby:create', { game: this.game, ...input })));
  }

  /**
   * Quick play: a seat in the fullest open public lobby of this client's game with `maxPlayers` seats
   * (default DEFAULT_LOBBY_SIZE), or a new public lobby (`name`, `meta`) when none is open. The result
   * says whether this call created it (`created`).
   */
  async joinOrCreate(input: JoinOrCreateOptions): Promise<Result<QuickJoined>> {
    const result = await this.call((s) =>
      s.emitWithAck('lobby:join-or-create', { game: this.game, ...input }),
    );
    this.enter(result);
    return result;
  }

  /** Joins by public code (any case) or by invite token; a lobby of another game answers WRONG_GAME. */
  async join(input: JoinLobbyOptions) {
    return this.enter(await this.call((s) => s.emitWithAck('lobby:join', { game: this.game, ...input })));
  }

  async leave(): Promise<Result<null>> {
    const result = await this.call((s) => s.emitWithAck('lobby:leave', {}));
    this.forget();
    return result;
  }

  setReady = (ready: boolean) => this.call((s) => s.emitWithAck('lobby:ready', { ready }));
  /** Host only; `ban` also refuses this device from now on. */
  kick = (playerId: KickOptions['playerId'], ban: KickOptions['ban'] = false) =>
    this.call((s) => s.emitWithAck('lobby:kick', { playerId, ban }));
  setLocked = (locked: boolean) => this.call((s) => s.emitWithAck('lobby:lock', { locked }));
  /** Host only: replaces the invite link (the new one arrives with the next lobby state). */
  rotateInvite = () => this.call((s) => s.emitWithAck('lobby:rotate-invite', {}));
  transferHost = (playerId: string) => this.call((s) => s.emitWithAck('lobby:transfer', { playerId }));
  /** Host only: any of name, visibility, maxPlayers (at least one). */
  updateSettings = (settings: LobbySettings) => this.call((s) => s.emitWithAck('lobby:settings', settings));
  /** Host only: replaces the lobby's metadata (a JSON object ≤ MAX_LOBBY_META_BYTES, ≤ MAX_META_DEPTH deep). */
  setLobbyMeta = (meta: Meta) => this.call((s) => s.emitWithAck('lobby:set-meta', { meta }));
  /** Replaces this player's own metadata (≤ MAX_PLAYER_META_BYTES), e.g. `{ team: 'red' }`. */
  setPlayerMeta = (meta: Meta) => this.call((s) => s.emitWithAck('lobby:set-player-meta', { meta }));
  start = () => this.call((s) => s.emitWithAck('lobby:start', {}));
  endGame = () => this.call((s) => s.emitWithAck('lobby:end', {}));

  async watchBrowser(watch: boolean): Promise<Result<LobbySummary[]>> {
    this.watchingBrowser = watch;
    const result = await this.call((s) => s.emitWithAck('browser:watch', { watch, game: this.game }));
    if (result.ok && watch) this.events.emit('browser', result.data);
    return result;
  }

  /** The STUN URLs (main, alternate) and whether TURN exists, for a client-side network check. */
  connectionCheckServers = () => this.call((s) => s.emitWithAck('connection:check', {}));

  /**
   * Resolves once connected; rejects with ProtocolVersionError when the server speaks another version,
   * or an Error once closed. Commands do not need it (they wait for the connection themselves).
   */
  connected(): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = (status: ConnectionStatus) => {
        if (status === 'connected') resolve();
        else if (status === 'outdated') reject(this.versionError);
        else if (status === 'closed') reject(new Error('LobbyClient closed'));
        else return false;
        return true;
      };
      if (check(this.status)) return;
      const off = this.events.on('status', (status) => check(status) && off());
    });
  }

  /** Set once the server refused this client's protocol version (status `outdated`). */
  get protocolError(): ProtocolVersionError | null {
    return this.versionError;
  }

  close() {
    this.iceRefresher.stop();
    if (this.resumeRetry) clearTimeout(this.resumeRetry);
    this.resumeRetry = null;
    this.setStatus('closed');
    this.#socket.removeAllListeners();
    this.#socket.disconnect();
    this.events.clear();
  }

  /**
   * Sends one acked event (its answer typed by the protocol's event map, at each call site); a timeout
   * or a dropped connection becomes UNAVAILABLE, a refused protocol version PROTOCOL_MISMATCH (at once:
   * the socket will not reconnect).
   */
  private async call<R>(send: (socket: TimedSocket) => Promise<R>): Promise<R | Result<never>> {
    if (this.versionError) return fail(ErrorCode.PROTOCOL_MISMATCH);
    try {
      return await send(this.#socket.timeout(this.ackTimeoutMs));
    } catch {
      return fail(this.versionError ? ErrorCode.PROTOCOL_MISMATCH : ErrorCode.UNAVAILABLE);
    }
  }

  private enter(result: Result<Joined>): Result<Joined> {
    if (!result.ok) return result;
    this.joined = result.data;
    this.selfId = result.data.selfId;
    this.writeSeat({
      lobbyId: result.data.lobby.id,
      playerId: result.data.selfId,
      token: result.data.resumeToken,
    });
    // Before the lobby event: the Mesh makes its links on it, reading `iceServers`. A resume's ack
    // carries a fresh credential too: the refresh schedule restarts from it.
    this.iceRefresher.schedule(result.data);
    this.setIce(result.data);
    this.lobby = null;
    this.setLobby(result.data.lobby);
    primeSignalParserSoon();
    return result;
  }

  private setIce({ iceServers, iceServersExpireAt, iceServersTtlMs }: IceGrant) {
    this.ice = { iceServers, iceServersExpireAt, iceServersTtlMs };
    this.events.emit('iceServers', iceServers);
  }

  /** `ice:refresh`, its answer parsed (it goes straight into RTCPeerConnection configurations). */
  private async fetchIceServers(): Promise<Result<IceGrant>> {
    const result = await this.call((s) => s.emitWithAck('ice:refresh', {}));
    if (!result.ok) return result;
    const parsed = IceGrantSchema.safeParse(result.data);
    return parsed.success ? ok(parsed.data) : fail(ErrorCode.INVALID_PAYLOAD);
  }

  private setLobby(lobby: LobbyView) {
    // Broadcasts and acks can cross; a version never goes back.
    if (this.lobby && (this.lobby.id !== lobby.id || lobby.version <= this.lobby.version)) return;
    this.lobby = lobby;
    this.events.emit('lobby', lobby, this.selfId);
  }

  private forget() {
    this.iceRefresher.stop();
    this.writeSeat(null);
    this.joined = null;
    this.ice = null;
    this.lobby = null;
    this.selfId = null;
    this.events.emit('lobby', null, null);
  }

  private onConnect() {
    this.setStatus('connected');
    if (this.watchingBrowser) void this.watchBrowser(true);
    // With a seat record the server answers lobby:resumed or lobby:resume-failed; without, done.
    if (!this.readSeat()) this.markSettled();
  }

  private markSettled() {
    this.settle?.();
    this.settle = null;
  }

  private readSeat(): SeatRecord | null {
    try {
      const raw = this.session?.get(SEAT_KEY);
      // Our own record; the server parses it like any other input when it comes back in `auth`.
      return raw ? (JSON.parse(raw) as SeatRecord) : null;
    } catch {
      return null;
    }
  }

  private writeSeat(seat: SeatRecord | null) {
    this.session?.set(SEAT_KEY, seat ? JSON.stringify(seat) : '');
  }

  private setStatus(status: ConnectionStatus) {
    if (this.status === status) return;
    this.status = status;
    this.events.emit('status', status);
  }
}
