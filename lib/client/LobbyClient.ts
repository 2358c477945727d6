import { io, type Socket } from 'socket.io-client';
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
  type ConnectionCheckServers,
  type IceGrant,
  type IceServer,
  type Joined,
  type LobbySummary,
  type LobbyView,
  type Meta,
  type RemovedReason,
  type Result,
  type ServerToClientEvents,
  type SignalError,
  type SignalInput,
  type UpdateSettingsInput,
  type Visibility,
} from '../protocol';
import { Emitter } from './emitter';
import { IceRefresher } from './iceRefresh';

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
}

export interface KeyValueStore {
  get(key: string): string | null;
  set(key: string, value: string): void;
}

export interface LobbyClientOptions {
  /** Server origin; the page's own origin when omitted. */
  url?: string;
  /** Where the device key persists (localStorage in browsers). */
  storage?: KeyValueStore;
  /** Per-tab storage for the seat's resume token (sessionStorage in browsers): survives a refresh. */
  sessionStorage?: KeyValueStore;
  ackTimeoutMs?: number;
  /**
   * The game this client plays (a slug, e.g. `pong`): its lobbies are created, joined and browsed in
   * that game only. Defaults to the built-in game (DEFAULT_GAME).
   */
  game?: string;
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
  { from: 'primer00', negotiationId: 0, signal: { type: 'description', description: { type: 'offer', sdp: 'v=0' } } },
  { from: 'primer00', negotiationId: 0, signal: { type: 'candidate', candidate: { candidate: '', sdpMid: '0', sdpMLineIndex: 0 } } },
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
  readonly socket: ClientSocket;
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
  private readonly session: KeyValueStore | undefined;
  private settle: (() => void) | null = null;
  /** Resolves once a seat held from before (refresh, blip) is back or known to be gone. */
  readonly settled: Promise<void>;

  constructor(options: LobbyClientOptions = {}) {
    this.ackTimeoutMs = options.ackTimeoutMs ?? DEFAULT_ACK_TIMEOUT_MS;
    this.game = options.game ?? DEFAULT_GAME;
    const storage = options.storage;
    this.session = options.sessionStorage;
    this.settled = this.readSeat() ? new Promise((resolve) => (this.settle = resolve)) : Promise.resolve();
    const opts = {
      // Websocket only: no long-polling handshake, half the memory per player on the server.
      transports: ['websocket'],
      // Called on every (re)connection, so a reconnect always carries the latest resume token.
      auth: (cb: (data: object) => void) =>
        cb({
          protocolVersion: PROTOCOL_VERSION,
          deviceKey: storage?.get(DEVICE_KEY) ?? undefined,
          resume: this.readSeat() ?? undefined,
        }),
    };
    this.socket = options.url ? io(options.url, opts) : io(opts);

    this.socket.on('session', ({ deviceKey }) => storage?.set(DEVICE_KEY, deviceKey));
    this.socket.on('connect', () => this.onConnect());
    this.socket.on('disconnect', (reason) => {
      this.setStatus('reconnecting');
      // socket.io does not retry after a server-side disconnect (shutdown, seat taken by another tab);
      // we do: a stale seat token is then refused and the player is told, instead of hanging.
      if (reason === 'io server disconnect') this.socket.connect();
    });
    this.socket.on('connect_error', (err) => {
      const data = (err as Error & { data?: { code?: string } }).data;
      if (data?.code === ErrorCode.PROTOCOL_MISMATCH) {
        this.socket.disconnect();
        this.setStatus('outdated');
      } else if (this.status !== 'connecting') this.setStatus('reconnecting');
    });
    this.socket.on('lobby:state', (lobby) => this.setLobby(lobby));
    this.socket.on('lobby:removed', ({ lobbyId, reason }) => {
      if (this.lobby?.id !== lobbyId) return;
      this.forget();
      this.events.emit('removed', reason);
    });
    this.socket.on('lobby:resumed', (joined) => {
      this.enter({ ok: true, data: joined });
      this.markSettled();
    });
    this.socket.on('lobby:resume-failed', ({ error }) => {
      // Too many resumes from here for now: the server still holds the seat. Keep it and try again in a
      // few seconds (a new connection carries the same seat), rather than forgetting a seat that is ours.
      if (error === ErrorCode.RATE_LIMITED && this.status !== 'closed') {
        this.socket.disconnect();
        this.resumeRetry ??= setTimeout(() => {
          this.resumeRetry = null;
          if (this.status !== 'closed') this.socket.connect();
        }, RESUME_RETRY_MS + Math.random() * RESUME_RETRY_MS);
        return;
      }
      const hadLobby = this.lobby !== null;
      this.forget();
      if (hadLobby) this.events.emit('removed', 'connection-lost');
      this.markSettled();
    });
    this.socket.on('browser:list', (rows) => this.events.emit('browser', rows));
    // Parsed here too (zod at every entry); anything malformed is dropped.
    this.socket.on('signal', (raw) => {
      const parsed = SignalMessage.safeParse(raw, { jitless: true });
      if (parsed.success) this.events.emit('signal', parsed.data);
    });
    this.socket.on('relay', (raw) => {
      const parsed = RelayMessage.safeParse(raw, { jitless: true });
      if (!parsed.success) return;
      const { from, data } = parsed.data;
      this.events.emit('relay', from, data instanceof Uint8Array ? data : new Uint8Array(data));
    });
    this.socket.on('signal:error', (error) => this.events.emit('signalError', error));
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
    this.socket.emit('signal', input);
  }

  /** One mesh frame through the server, for pairs that cannot connect directly. */
  relay(to: string, data: Uint8Array) {
    this.socket.emit('relay', { to, data });
  }

  async create(input: { nickname: string; name: string; visibility: Visibility; maxPlayers?: number; meta?: Meta }) {
    return this.enter(await this.request('lobby:create', { game: this.game, ...input }));
  }

  /** A lobby of another game answers WRONG_GAME. */
  async join(input: { nickname: string; code: string } | { nickname: string; invite: string }) {
    return this.enter(await this.request('lobby:join', { game: this.game, ...input }));
  }

  async leave(): Promise<Result<null>> {
    const result = await this.request<null>('lobby:leave', {});
    this.forget();
    return result;
  }

  setReady = (ready: boolean) => this.request<null>('lobby:ready', { ready });
  kick = (playerId: string, ban = false) => this.request<null>('lobby:kick', { playerId, ban });
  setLocked = (locked: boolean) => this.request<null>('lobby:lock', { locked });
  /** Host only: replaces the invite link (the new one arrives with the next lobby state). */
  rotateInvite = () => this.request<null>('lobby:rotate-invite', {});
  transferHost = (playerId: string) => this.request<null>('lobby:transfer', { playerId });
  updateSettings = (settings: UpdateSettingsInput) => this.request<null>('lobby:settings', settings);
  /** Host only: replaces the lobby's metadata (a JSON object ≤ MAX_LOBBY_META_BYTES, ≤ MAX_META_DEPTH deep). */
  setLobbyMeta = (meta: Meta) => this.request<null>('lobby:set-meta', { meta });
  /** Replaces this player's own metadata (≤ MAX_PLAYER_META_BYTES), e.g. `{ team: 'red' }`. */
  setPlayerMeta = (meta: Meta) => this.request<null>('lobby:set-player-meta', { meta });
  start = () => this.request<null>('lobby:start', {});
  endGame = () => this.request<null>('lobby:end', {});

  async watchBrowser(watch: boolean): Promise<Result<LobbySummary[]>> {
    this.watchingBrowser = watch;
    const result = await this.request<LobbySummary[]>('browser:watch', { watch, game: this.game });
    if (result.ok && watch) this.events.emit('browser', result.data);
    return result;
  }

  /** The STUN URLs (main, alternate) and whether TURN exists, for a client-side network check. */
  connectionCheckServers = () => this.request<ConnectionCheckServers>('connection:check', {});

  close() {
    this.iceRefresher.stop();
    if (this.resumeRetry) clearTimeout(this.resumeRetry);
    this.resumeRetry = null;
    this.setStatus('closed');
    this.socket.removeAllListeners();
    this.socket.disconnect();
    this.events.clear();
  }

  /** Sends one acked event; a timeout or a dropped connection becomes UNAVAILABLE. */
  private async request<T>(event: keyof ClientToServerEvents, payload: object): Promise<Result<T>> {
    try {
      // The event map types payloads as unknown; results are typed per call site.
      const timed = this.socket.timeout(this.ackTimeoutMs) as unknown as {
        emitWithAck(ev: string, p: object): Promise<Result<T>>;
      };
      return await timed.emitWithAck(event, payload);
    } catch {
      return fail(ErrorCode.UNAVAILABLE);
    }
  }

  private enter(result: Result<Joined>): Result<Joined> {
    if (!result.ok) return result;
    this.joined = result.data;
    this.selfId = result.data.selfId;
    this.writeSeat({ lobbyId: result.data.lobby.id, playerId: result.data.selfId, token: result.data.resumeToken });
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
    const result = await this.request<unknown>('ice:refresh', {});
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
