import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { io as connect, type ManagerOptions, type SocketOptions } from 'socket.io-client';
import { PROTOCOL_VERSION, type Joined, type LobbyView, type Result } from '../../lib/protocol';
import type { ClientSocket } from '../../lib/client/LobbyClient';
import type { Lobby } from '../../server/lobby/types';
import { MemoryLobbyStore } from '../../server/store/memory';
import { connectClient, nextEvent, request, startTestServer, type TestServer } from './server';

/**
 * The memory store, counting inserts (so a test can prove a refused create stored nothing) and
 * letting a test wait for a state of the store rather than for time.
 */
export class CountingStore extends MemoryLobbyStore {
  inserts = 0;
  private readonly lobbyRecords = new Map<string, Lobby>();
  private readonly waiters = new Set<() => void>();

  override async insert(lobby: Lobby) {
    this.inserts++;
    const done = await super.insert(lobby);
    if (done) this.lobbyRecords.set(lobby.id, lobby);
    this.changed();
    return done;
  }

  override async update(id: string, fn: (lobby: Lobby) => Result<Lobby | null>) {
    const result = await super.update(id, fn);
    if (result.ok && result.data) this.lobbyRecords.set(id, result.data);
    if (result.ok && !result.data) this.lobbyRecords.delete(id);
    this.changed();
    return result;
  }

  /** Live lobbies, synchronously. */
  get live(): Lobby[] {
    return [...this.lobbyRecords.values()];
  }

  /** Resolves once `holds` is true of the store, checked now and after every change. */
  until(holds: (store: CountingStore) => boolean): Promise<void> {
    if (holds(this)) return Promise.resolve();
    return new Promise((resolve) => {
      const check = () => {
        if (!holds(this)) return;
        this.waiters.delete(check);
        resolve();
      };
      this.waiters.add(check);
    });
  }

  private changed() {
    for (const check of [...this.waiters]) check();
  }
}

/** Owns every socket a test opens; `closeAll()` in afterEach. */
export class Clients {
  private readonly sockets = new Set<ClientSocket>();

  constructor(private readonly url: () => string) {}

  async connect(auth: object = { protocolVersion: PROTOCOL_VERSION }): Promise<ClientSocket> {
    const socket = await connectClient(this.url(), auth);
    this.sockets.add(socket);
    return socket;
  }

  /** A socket not yet connected, closed by `closeAll()`: listeners attached now miss nothing. */
  open(
    auth: object = { protocolVersion: PROTOCOL_VERSION },
    opts: Partial<ManagerOptions & SocketOptions> = {},
  ): ClientSocket {
    const socket: ClientSocket = connect(this.url(), {
      transports: ['websocket'],
      auth,
      reconnection: false,
      forceNew: true,
      ...opts,
      autoConnect: false,
    });
    this.sockets.add(socket);
    return socket;
  }

  /**
   * Connects without a valid device key and waits for the server-issued one (`session` follows
   * `connect`). `deviceKey` lets a test present a forged key.
   */
  async connectWithSession(deviceKey?: string): Promise<{ socket: ClientSocket; deviceKey: string }> {
    const socket = this.open({ protocolVersion: PROTOCOL_VERSION, deviceKey });
    const session = nextEvent<{ deviceKey: string }>(socket, 'session');
    await connectNow(socket);
    return { socket, deviceKey: (await session).deviceKey };
  }

  closeAll() {
    for (const s of this.sockets) s.close();
    this.sockets.clear();
  }
}

/** Connects an `open()`ed socket; rejects with the connect_error. */
export function connectNow(socket: ClientSocket): Promise<void> {
  const connected = new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  socket.connect();
  return connected;
}

export function expectOk<T>(result: Result<T>): T {
  expect(result).toMatchObject({ ok: true });
  return (result as { ok: true; data: T }).data;
}

export const createLobby = async (socket: ClientSocket, input: Record<string, unknown> = {}) =>
  expectOk(
    await request<Joined>(socket, 'lobby:create', {
      nickname: 'Host',
      name: 'Room',
      visibility: 'public',
      ...input,
    }),
  );

/** Nicknames are unique within a lobby: joins that name nobody get a fresh one each. */
let guests = 0;
const guestName = () => `Guest${++guests}`;

export const joinByCode = (socket: ClientSocket, code: string, nickname = guestName()) =>
  request<Joined>(socket, 'lobby:join', { nickname, code });

export const joinByInvite = (socket: ClientSocket, invite: string, nickname = guestName()) =>
  request<Joined>(socket, 'lobby:join', { nickname, invite });

export interface Recorder<T> {
  /** Every payload received since recording began, in arrival order. */
  readonly items: T[];
  /** The first payload (at index ≥ `from`) matching `match`, already received or still to come. */
  waitFor(match: (v: T) => boolean, from?: number): Promise<T>;
  stop(): void;
}

/** Records every payload of one event from now on. */
export function record<T>(socket: ClientSocket, event: string): Recorder<T> {
  const items: T[] = [];
  const waiters = new Set<{ match: (v: T) => boolean; resolve: (v: T) => void }>();
  const listener = (value: T) => {
    items.push(value);
    for (const w of waiters) {
      if (!w.match(value)) continue;
      waiters.delete(w);
      w.resolve(value);
    }
  };
  const s = socket as unknown as { on(e: string, f: unknown): void; off(e: string, f: unknown): void };
  s.on(event, listener);
  return {
    items,
    waitFor(match, from = 0) {
      const found = items.slice(from).find(match);
      if (found !== undefined) return Promise.resolve(found);
      return new Promise((resolve) => waiters.add({ match, resolve }));
    },
    stop: () => s.off(event, listener),
  };
}

/** A connected player with everything it has been told since it connected. */
export interface Player {
  socket: ClientSocket;
  states: Recorder<LobbyView>;
  removed: Recorder<{ lobbyId: string; reason: string }>;
}

export async function newPlayer(clients: Clients): Promise<Player> {
  const socket = await clients.connect();
  return { socket, states: record(socket, 'lobby:state'), removed: record(socket, 'lobby:removed') };
}

export interface Member extends Player {
  id: string;
}

export interface LobbyFixture {
  host: Member;
  guests: Member[];
  all: Member[];
  /** The lobby as every member has last seen it. */
  lobby: LobbyView;
}

/**
 * A lobby with a host and `guests` joined by invite, in order. Returns once every member has received
 * the final state, so no broadcast from the setup is still in flight to anyone.
 */
export async function setupLobby(
  clients: Clients,
  opts: { guests?: number; input?: Record<string, unknown> } = {},
): Promise<LobbyFixture> {
  const hostPlayer = await newPlayer(clients);
  const created = await createLobby(hostPlayer.socket, opts.input);
  const host = { ...hostPlayer, id: created.selfId };
  const guests: Member[] = [];
  let last = created.lobby;
  for (let i = 0; i < (opts.guests ?? 0); i++) {
    const p = await newPlayer(clients);
    const joined = expectOk(await joinByInvite(p.socket, created.lobby.inviteToken, `Guest${i + 1}`));
    guests.push({ ...p, id: joined.selfId });
    last = joined.lobby;
  }
  const all = [host, ...guests];
  // Everyone but the last to enter (whose ack carried this state) is told of the last join.
  await Promise.all(all.slice(0, -1).map((m) => m.states.waitFor((v) => v.version >= last.version)));
  return { host, guests, all, lobby: last };
}

/** One real server per test file on a free port, a counting store, and sockets closed after each test. */
export function serverPerFile(env?: Record<string, string>) {
  const ctx = {
    store: new CountingStore(),
    server: null as unknown as TestServer,
    clients: null as unknown as Clients,
    get url() {
      return ctx.server.url;
    },
  };
  ctx.clients = new Clients(() => ctx.server.url);
  beforeAll(async () => {
    ctx.server = await startTestServer({ store: ctx.store, env });
  });
  afterEach(() => ctx.clients.closeAll());
  afterAll(() => ctx.server.close());
  return ctx;
}
