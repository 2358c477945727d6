import { io, type Socket } from 'socket.io-client';
import {
  ErrorCode,
  PROTOCOL_VERSION,
  RelayMessage,
  SignalMessage,
  fail,
  type ClientToServerEvents,
  type Joined,
  type LobbySummary,
  type LobbyView,
  type RemovedReason,
  type Result,
  type ServerToClientEvents,
  type SignalError,
  type SignalInput,
  type UpdateSettingsInput,
  type Visibility,
} from '../protocol';
import { Emitter } from './emitter';

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
  ackTimeoutMs?: number;
}

const DEVICE_KEY = 'peerlobby.deviceKey';
const DEFAULT_ACK_TIMEOUT_MS = 8000;

/** Owns the socket.io-client socket: connection state, lobby commands and their typed results. */
export class LobbyClient {
  readonly socket: ClientSocket;
  private readonly events = new Emitter<LobbyClientEvents>();
  private readonly ackTimeoutMs: number;
  private status: ConnectionStatus = 'connecting';
  private lobby: LobbyView | null = null;
  private selfId: string | null = null;
  private joined: Joined | null = null;
  private nickname: string | null = null;
  private watchingBrowser = false;

  constructor(options: LobbyClientOptions = {}) {
    this.ackTimeoutMs = options.ackTimeoutMs ?? DEFAULT_ACK_TIMEOUT_MS;
    const storage = options.storage;
    const opts = {
      // Websocket only: no long-polling handshake, half the memory per player on the server.
      transports: ['websocket'],
      auth: (cb: (data: object) => void) =>
        cb({ protocolVersion: PROTOCOL_VERSION, deviceKey: storage?.get(DEVICE_KEY) ?? undefined }),
    };
    this.socket = options.url ? io(options.url, opts) : io(opts);

    this.socket.on('session', ({ deviceKey }) => storage?.set(DEVICE_KEY, deviceKey));
    this.socket.on('connect', () => this.onConnect());
    this.socket.on('disconnect', () => this.setStatus('reconnecting'));
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
    this.socket.on('browser:list', (rows) => this.events.emit('browser', rows));
    // Parsed here too (zod at every entry); anything malformed is dropped.
    this.socket.on('signal', (raw) => {
      const parsed = SignalMessage.safeParse(raw);
      if (parsed.success) this.events.emit('signal', parsed.data);
    });
    this.socket.on('relay', (raw) => {
      const parsed = RelayMessage.safeParse(raw);
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
  /** ICE servers from the last join ack. */
  get iceServers() {
    return this.joined?.iceServers ?? [];
  }

  /** Fire-and-forget; a rejection arrives as `signalError`. */
  signal(input: SignalInput) {
    this.socket.emit('signal', input);
  }

  /** One mesh frame through the server, for pairs that cannot connect directly. */
  relay(to: string, data: Uint8Array) {
    this.socket.emit('relay', { to, data });
  }

  async create(input: { nickname: string; name: string; visibility: Visibility; maxPlayers?: number }) {
    return this.enter(await this.request('lobby:create', input), input.nickname);
  }

  async join(input: { nickname: string; code: string } | { nickname: string; invite: string }) {
    return this.enter(await this.request('lobby:join', input), input.nickname);
  }

  async leave(): Promise<Result<null>> {
    const result = await this.request<null>('lobby:leave', {});
    this.forget();
    return result;
  }

  setReady = (ready: boolean) => this.request<null>('lobby:ready', { ready });
  kick = (playerId: string, ban = false) => this.request<null>('lobby:kick', { playerId, ban });
  setLocked = (locked: boolean) => this.request<null>('lobby:lock', { locked });
  transferHost = (playerId: string) => this.request<null>('lobby:transfer', { playerId });
  updateSettings = (settings: UpdateSettingsInput) => this.request<null>('lobby:settings', settings);
  start = () => this.request<null>('lobby:start', {});
  endGame = () => this.request<null>('lobby:end', {});

  async watchBrowser(watch: boolean): Promise<Result<LobbySummary[]>> {
    this.watchingBrowser = watch;
    const result = await this.request<LobbySummary[]>('browser:watch', { watch });
    if (result.ok && watch) this.events.emit('browser', result.data);
    return result;
  }

  close() {
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

  private enter(result: Result<Joined>, nickname: string): Result<Joined> {
    if (!result.ok) return result;
    this.joined = result.data;
    this.nickname = nickname;
    this.selfId = result.data.selfId;
    this.lobby = null;
    this.setLobby(result.data.lobby);
    return result;
  }

  private setLobby(lobby: LobbyView) {
    // Broadcasts and acks can cross; a version never goes back.
    if (this.lobby && (this.lobby.id !== lobby.id || lobby.version <= this.lobby.version)) return;
    this.lobby = lobby;
    this.events.emit('lobby', lobby, this.selfId);
  }

  private forget() {
    this.joined = null;
    this.lobby = null;
    this.selfId = null;
    this.events.emit('lobby', null, null);
  }

  private onConnect() {
    this.setStatus('connected');
    if (this.watchingBrowser) void this.watchBrowser(true);
    // The server drops a member whose connection is lost; rejoin with the invite we hold.
    const previous = this.joined;
    if (previous && this.nickname) {
      const nickname = this.nickname;
      this.forget();
      void this.join({ nickname, invite: previous.lobby.inviteToken }).then((r) => {
        if (!r.ok) this.events.emit('removed', 'connection-lost');
      });
    }
  }

  private setStatus(status: ConnectionStatus) {
    if (this.status === status) return;
    this.status = status;
    this.events.emit('status', status);
  }
}
