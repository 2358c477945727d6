import { randomBytes, randomInt } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { WebSocketServer } from 'ws';
import * as z from 'zod/mini';
import {
  DEFAULT_LOBBY_SIZE,
  ErrorCode,
  GameSlug,
  InviteToken,
  LobbyCode,
  LobbyName,
  MAX_SIGNAL_BYTES,
  MaxPlayers,
  Nickname,
  Visibility,
  type IceGrant,
  type JoinLobbyInput,
  type Result,
} from '../../lib/protocol';
import type { Metrics } from '../metrics';
import { connectionIdOf } from '../lobby/connectionId';
import type { LobbyQuota } from '../lobby/quota';
import type { LobbyService } from '../lobby/service';
import type { Lobby } from '../lobby/types';
import { addressKey, clientIp } from '../socket/clientIp';
import type { BrowserFeed } from '../socket/browserFeed';
import type { EngineGuard } from '../socket/engineGuard';
import type { SocketGuards } from '../socket/guard';
import type { Membership } from '../socket/membership';
import type { Publish } from '../socket/publisher';
import type { SignalLimiters } from '../socket/signalHandlers';
import type { IoServer } from '../socket/types';
import { GodotConnection } from './connection';
import {
  HOST_PEER,
  noticesFor,
  snapshotOf,
  visiblePeers,
  type LobbySnapshot,
  type Seat,
  type Told,
} from './roster';
import { MAX_PEER_ID, type Decoded, type GodotVersion, type Outbound, type RelayKind } from './wire';

export const GODOT_PATH = '/godot';
export const LOBBIES_PATH = '/godot/lobbies';
/** Godot lobbies belong to this game unless the URL names another (`?game=`): never the built-in game's. */
export const GODOT_GAME = 'godot';
/** Godot lobbies are named this unless the URL says (`?lobby_name=`). */
const DEFAULT_LOBBY_NAME = 'Godot lobby';
/** A JSON frame around a full-size signal. */
const MAX_FRAME_BYTES = MAX_SIGNAL_BYTES + 1024;
/** Relays held per sender until its PEER_CONNECT is sent (an offer and its first candidates). */
const MAX_PENDING_RELAYS = 32;
/** Attempts at a fresh peer id when a random one is already taken in the lobby (2^31 ids, ≤ 16 members). */
const PEER_ID_ATTEMPTS = 4;

/**
 * PeerLobby's extensions ride in the URL's query, so a stock client changes only the URL it connects to.
 * Every parameter is optional; a bad one closes the connection with INVALID_PAYLOAD naming it.
 */
const Query = z.object({
  /** The game the lobby belongs to (GAMES decides which are hosted); `godot` unless named. */
  game: z._default(GameSlug, GODOT_GAME),
  /** A player name (unique in the lobby) instead of "Peer <id>". */
  name: z.optional(Nickname),
  /** For a JOIN that creates: the lobby's name, visibility (public: listed) and size. */
  lobby_name: z.optional(LobbyName),
  visibility: z.optional(Visibility),
  max: z.optional(
    z
      .pipe(z.string().check(z.regex(/^\d{1,2}$/)), z.transform(Number))
      .check(z.refine((n) => MaxPlayers.safeParse(n).success, '2–16')),
  ),
  /** `1`: send the ICE servers (built-in STUN, TURN credentials) right after the JOIN reply. */
  ice: z.optional(z.enum(['0', '1'])),
  /** `3` or `4`: the protocol version, when the first frame should not be the one to tell. */
  v: z.optional(z.enum(['3', '4'])),
});
type Query = z.infer<typeof Query>;

export interface GodotEndpointDeps {
  io: IoServer;
  lobbies: LobbyService;
  feed: BrowserFeed;
  publish: Publish;
  membership: Membership;
  signalLimiters: SignalLimiters;
  guards: SocketGuards;
  engineGuard: EngineGuard;
  quota: LobbyQuota;
  metrics: Metrics;
  log: Logger;
  iceServers: (playerId: string, hostHeader: string | undefined) => IceGrant;
  instanceId: string;
  multiInstance: boolean;
  trustProxyHops: number;
  originAllowed: (req: IncomingMessage) => boolean;
  accepting: () => boolean;
  sealCloseMs: number;
  joinDeadlineMs: number;
  pingIntervalMs: number;
  maxOutgoingBytes: number;
}

interface Client {
  conn: GodotConnection;
  req: IncomingMessage;
  query: Query;
  address: string;
  /** Budget key for this connection (the socket side keys by socket id). */
  key: string;
  guard: ReturnType<SocketGuards['guardFor']>;
  seat: Seat | null;
  told: Told;
  /**
   * Relays from peers this client has not been introduced to yet, by sender: with several instances a
   * newcomer's OFFER can overtake its PEER_CONNECT here (the notice waits for a store read, the relay
   * does not), and a stock client drops a relay from a peer it does not know. Sent right after the notice.
   */
  pending: Map<number, Outbound[]>;
}

/**
 * The Godot signaling endpoint: Godot's `webrtc_signaling` demo protocol (server/godot/wire.ts) on a
 * plain websocket at /godot on the app's own port, over PeerLobby's lobby core and store. The server
 * assigns peer ids (the creator is 1), stamps senders, relays only to members of the sender's lobby it
 * may see, and applies the socket side's budgets, caps and metrics. Works across instances: notices come
 * from lobby changes (here or, through the adapter, elsewhere); relays to a member connected elsewhere
 * go through the adapter's server-side events.
 */
export class GodotEndpoint {
  private readonly wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_FRAME_BYTES,
    perMessageDeflate: false,
  });
  /** Connections on this instance, by player id (joined ones only). */
  private readonly byPlayer = new Map<string, Client>();
  /** Lobbies with a connection on this instance: their clients and the latest state read. */
  private readonly local = new Map<string, { clients: Set<Client>; snap: LobbySnapshot }>();
  private readonly sealTimers = new Map<string, NodeJS.Timeout>();
  private connections = 0;

  constructor(private readonly deps: GodotEndpointDeps) {
    deps.io.on('godot:relay', (to, type, from, data) => this.deliver(to, type, from, data));
    deps.metrics.addGauge({
      name: 'peerlobby_godot_connections',
      help: 'Open Godot signaling connections.',
      read: () => this.connections,
    });
  }

  /**
   * `GET /godot/lobbies?game=<slug>`: the public lobbies of a game (default `godot`) as JSON, for a
   * Godot menu — the rows the web lobby browser shows, each `code` ready for a JOIN. Public data, so any
   * origin may read it (web exports are served from elsewhere); charged to the address's event budget.
   * Returns false for any other path.
   */
  handleRequest(req: IncomingMessage, res: ServerResponse): boolean {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname !== LOBBIES_PATH) return false;
    const json = (status: number, body: unknown) =>
      res
        .writeHead(status, {
          'content-type': 'application/json',
          'cache-control': 'no-store',
          'access-control-allow-origin': '*',
        })
        .end(JSON.stringify(body));
    if (req.method !== 'GET') return (json(405, { error: ErrorCode.INVALID_PAYLOAD }), true);
    const game = GameSlug.safeParse(url.searchParams.get('game') ?? GODOT_GAME);
    if (!game.success) return (json(400, { error: ErrorCode.INVALID_PAYLOAD }), true);
    const address = addressKey(clientIp(req, this.deps.trustProxyHops));
    const guard = this.deps.guards.guardFor(`http:${address}`, address);
    void (async () => {
      const refused = await guard.admit('browser:watch');
      if (refused) return json(429, { error: refused });
      const rows = await this.deps.feed.list(game.data);
      guard.answered('browser:watch', rows);
      if (!rows.ok) return json(rows.error === ErrorCode.UNKNOWN_GAME ? 404 : 400, { error: rows.error });
      json(200, { game: game.data, lobbies: rows.data });
    })().catch((err: unknown) => {
      this.deps.log.warn({ err }, 'godot lobby list failed');
      json(503, { error: ErrorCode.UNAVAILABLE });
    });
    return true;
  }

  /** From the http server's `upgrade`: takes requests for /godot, leaves every other path alone. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname !== GODOT_PATH) return false;
    const refuse = (status: string) => {
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    if (!this.deps.accepting()) return (refuse('503 Service Unavailable'), true);
    if (!this.deps.originAllowed(req)) return (refuse('403 Forbidden'), true);
    const release = this.deps.engineGuard.admitConnection(req);
    if (!release) return (refuse('429 Too Many Requests'), true);
    socket.once('close', release);
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, req, url.searchParams));
    return true;
  }

  private accept(ws: import('ws').WebSocket, req: IncomingMessage, params: URLSearchParams) {
    const parsed = Query.safeParse(Object.fromEntries(params));
    const address = addressKey(clientIp(req, this.deps.trustProxyHops));
    const key = `godot:${randomBytes(9).toString('base64url')}`;
    const { deps } = this;
    this.connections++;
    const client: Client = {
      conn: null as unknown as GodotConnection,
      req,
      query: parsed.success ? parsed.data : { game: GODOT_GAME },
      address,
      key,
      guard: deps.guards.guardFor(key, address),
      seat: null,
      told: { peers: new Set(), sealed: false },
      pending: new Map(),
    };
    client.conn = new GodotConnection(
      ws,
      {
        joinDeadlineMs: deps.joinDeadlineMs,
        pingIntervalMs: deps.pingIntervalMs,
        maxOutgoingBytes: deps.maxOutgoingBytes,
        version: client.query.v ? (Number(client.query.v) as GodotVersion) : null,
        onSlowClient: () => deps.metrics.slowClientsCut.inc(),
        onError: (err) => {
          deps.metrics.rejections.inc({ reason: ErrorCode.UNAVAILABLE });
          deps.log.warn({ err, connection: key }, 'godot message failed');
        },
      },
      (msg) => this.handle(client, msg),
      () => this.closed(client),
    );
    if (!parsed.success) {
      const field = parsed.error.issues[0]?.path.join('.') ?? 'query';
      this.refuse(client, ErrorCode.INVALID_PAYLOAD, `Bad query parameter: ${field}`);
    }
  }

  private refuse(client: Client, code: ErrorCode, words: string) {
    this.deps.metrics.rejections.inc({ reason: code });
    this.deps.log.debug({ connection: client.key, reason: code }, 'godot request refused');
    client.conn.refuse(code, words);
  }

  private async handle(client: Client, decoded: Decoded) {
    if (!decoded.ok) return this.refuse(client, decoded.error, decoded.reason);
    const msg = decoded.msg;
    if (msg.kind === 'join') {
      if (client.seat) return this.refuse(client, ErrorCode.ALREADY_IN_LOBBY, 'Already in a lobby');
      return this.join(client, msg.lobby, msg.mesh);
    }
    const seat = client.seat;
    if (!seat) return this.refuse(client, ErrorCode.NOT_IN_LOBBY, 'Invalid message when not in a lobby');
    if (msg.kind === 'seal') return this.seal(client, seat);
    if (msg.kind === 'ice') return this.sendIce(client, seat);
    return this.relay(client, seat, msg.type, msg.to, msg.data);
  }

  // --- JOIN -----------------------------------------------------------------------------------------

  private async join(client: Client, lobbyArg: string, mesh: boolean) {
    const admitted = await client.guard.admit('lobby:join');
    if (admitted) return this.refuse(client, admitted, 'Slow down');
    const result =
      lobbyArg === '' ? await this.create(client, mesh) : await this.joinExisting(client, lobbyArg);
    client.guard.answered(lobbyArg === '' ? 'lobby:create' : 'lobby:join', result);
    if (!result.ok)
      return client.conn.refuse(result.error, JOIN_WORDS[result.error] ?? 'Lobby does not exists');
    const { lobby, seat } = result.data;
    if (!client.conn.isOpen) {
      // Gone while the store answered: give the seat back at once.
      await this.leave(seat);
      return;
    }
    client.seat = seat;
    client.conn.joined = true;
    this.byPlayer.set(seat.playerId, client);
    const snap = snapshotOf(lobby);
    const entry = this.local.get(lobby.id);
    if (entry) {
      entry.clients.add(client);
      if (snap.version > entry.snap.version) entry.snap = snap;
    } else {
      this.local.set(lobby.id, { clients: new Set([client]), snap });
    }
    // The demo's order: ID, then the peers already there, then the JOIN reply with the lobby.
    client.conn.send({ kind: 'id', id: seat.peer, mesh: snap.topology === 'mesh' });
    for (const p of visiblePeers(snap, seat.peer)) {
      client.told.peers.add(p);
      client.conn.send({ kind: 'peer-connect', id: p });
    }
    // A private lobby's code joins nobody: its reply is the invite token, the string that does.
    client.conn.send({
      kind: 'joined',
      lobby: lobby.visibility === 'public' ? lobby.code : lobby.inviteToken,
    });
    if (client.query.ice === '1') this.sendIce(client, seat);
    this.deps.log.debug({ lobbyId: lobby.id, peer: seat.peer }, 'godot peer joined');
    this.deps.publish(lobby.id, lobby, lobby.game);
  }

  private member(client: Client, peer: number, nickname: string) {
    return {
      id: randomBytes(12).toString('base64url'),
      nickname,
      // No device key on this transport: bans apply to the player id only.
      deviceId: `godot:${randomBytes(9).toString('base64url')}`,
      connectionId: connectionIdOf(this.deps.instanceId, client.key),
      peer,
    };
  }

  private async create(client: Client, mesh: boolean): Promise<Result<{ lobby: Lobby; seat: Seat }>> {
    const { query } = client;
    const member = this.member(client, HOST_PEER, query.name ?? `Peer ${HOST_PEER}`);
    const input = {
      game: query.game,
      nickname: member.nickname,
      name: query.lobby_name ?? DEFAULT_LOBBY_NAME,
      visibility: query.visibility ?? 'public',
      maxPlayers: query.max ?? DEFAULT_LOBBY_SIZE,
    } as const;
    const topology = mesh ? 'mesh' : 'client-server';
    const created = await this.deps.quota.create(client.address, () =>
      this.deps.lobbies.create(member, input, topology),
    );
    if (!created.ok) return created;
    return {
      ok: true,
      data: {
        lobby: created.data,
        seat: { lobbyId: created.data.id, game: query.game, playerId: member.id, peer: HOST_PEER },
      },
    };
  }

  private async joinExisting(client: Client, arg: string): Promise<Result<{ lobby: Lobby; seat: Seat }>> {
    const code = LobbyCode.safeParse(arg);
    const invite = InviteToken.safeParse(arg);
    const target = code.success ? { code: code.data } : invite.success ? { invite: invite.data } : null;
    // Anything else cannot name a lobby: the same answer as a wrong code (and the same guess budget).
    if (!target) return { ok: false, error: ErrorCode.NOT_FOUND };
    let last: Result<Lobby> = { ok: false, error: ErrorCode.UNAVAILABLE };
    for (let attempt = 0; attempt < PEER_ID_ATTEMPTS; attempt++) {
      const peer = randomInt(HOST_PEER + 1, MAX_PEER_ID + 1);
      // A chosen name that is taken gets the peer id after it (stock clients cannot pick another).
      const name = client.query.name;
      const nickname = !name ? `Peer ${peer}` : attempt === 0 ? name : `${name.slice(0, 20)} #${peer}`;
      const member = this.member(client, peer, nickname);
      last = await this.deps.lobbies.join(member, {
        game: client.query.game,
        nickname,
        ...target,
      } as JoinLobbyInput);
      if (last.ok)
        return {
          ok: true,
          data: {
            lobby: last.data,
            seat: { lobbyId: last.data.id, game: last.data.game, playerId: member.id, peer },
          },
        };
      // BAD_STATE: the random peer id is taken in this lobby; NICKNAME_TAKEN: the chosen name is.
      if (last.error !== ErrorCode.BAD_STATE && !(last.error === ErrorCode.NICKNAME_TAKEN && name))
        return last;
    }
    return last;
  }

  // --- SEAL -----------------------------------------------------------------------------------------

  private async seal(client: Client, seat: Seat) {
    const admitted = await client.guard.admit('lobby:lock');
    if (admitted) return this.refuse(client, admitted, 'Slow down');
    const result = await this.deps.lobbies.run(seat.lobbyId, {
      type: 'lock',
      actor: seat.playerId,
      locked: true,
    });
    client.guard.answered('lobby:lock', result);
    if (!result.ok)
      return client.conn.refuse(
        result.error,
        result.error === ErrorCode.FORBIDDEN ? 'Only host can seal the lobby' : 'Seal failed',
      );
    this.deps.publish(seat.lobbyId, result.data, seat.game);
    this.deps.log.info({ lobbyId: seat.lobbyId }, 'godot lobby sealed');
    if (this.sealTimers.has(seat.lobbyId)) return;
    const timer = setTimeout(() => {
      this.sealTimers.delete(seat.lobbyId);
      void this.deps.lobbies
        .run(seat.lobbyId, { type: 'close', actor: seat.playerId })
        .then((r) => r.ok && this.deps.publish(seat.lobbyId, r.data, seat.game))
        .catch((err: unknown) =>
          this.deps.log.warn({ err, lobbyId: seat.lobbyId }, 'sealed godot lobby not closed'),
        );
    }, this.deps.sealCloseMs);
    timer.unref();
    this.sealTimers.set(seat.lobbyId, timer);
  }

  // --- Relays ---------------------------------------------------------------------------------------

  private relay(client: Client, seat: Seat, type: RelayKind, to: number, data: string) {
    const snap = this.local.get(seat.lobbyId)?.snap;
    const target = snap && visiblePeers(snap, seat.peer).includes(to) ? snap.peers.get(to) : undefined;
    // Not a peer this sender may see in its own lobby (another lobby's, itself, a client of a
    // client-server lobby talking to another client): refused like the demo's invalid destination.
    const denied = target
      ? this.deps.membership.check(seat.lobbyId, seat.playerId, target)
      : ErrorCode.PEER_NOT_FOUND;
    if (denied || !target)
      return this.refuse(client, denied ?? ErrorCode.PEER_NOT_FOUND, 'Invalid destination');
    if (!this.deps.signalLimiters.signal(seat.playerId, client.key, client.address)) {
      return this.refuse(client, ErrorCode.RATE_LIMITED, 'Too many messages');
    }
    this.deps.metrics.signalsRelayed.inc();
    if (this.byPlayer.has(target)) this.deliver(target, type, seat.peer, data);
    else if (this.deps.multiInstance)
      this.deps.io.serverSideEmit('godot:relay', target, type, seat.peer, data);
  }

  private deliver(to: string, type: RelayKind, from: number, data: string) {
    const client = this.byPlayer.get(to);
    if (!client?.seat) return;
    const msg: Outbound = { kind: 'relay', type, from, data };
    if (client.told.peers.has(from)) return client.conn.send(msg);
    const held = client.pending.get(from) ?? [];
    if (held.length >= MAX_PENDING_RELAYS) return;
    held.push(msg);
    client.pending.set(from, held);
    // The sender's PEER_CONNECT is on its way (the store read of its join); make sure a read happens.
    const lobbyId = client.seat.lobbyId;
    void this.deps.lobbies.get(lobbyId).then(
      (fresh) => fresh && this.apply(fresh),
      (err: unknown) => this.deps.log.warn({ err, lobbyId }, 'godot lobby not read'),
    );
  }

  private sendIce(client: Client, seat: Seat) {
    const grant = this.deps.iceServers(seat.playerId, client.req.headers.host);
    // The shape WebRTCPeerConnection.initialize() takes, plus how long the TURN credential lasts.
    client.conn.send({
      kind: 'ice',
      json: JSON.stringify({ iceServers: grant.iceServers, ttlMs: grant.iceServersTtlMs }),
    });
  }

  // --- Lobby changes (here or elsewhere) → notices --------------------------------------------------

  /** The publisher's hook: every lobby change on this instance, and other instances' through the adapter. */
  readonly lobbyChanged = (lobbyId: string, lobby: Lobby | 'remote' | null, version: number) => {
    const entry = this.local.get(lobbyId);
    if (!entry) return;
    if (lobby === null) return this.ended(lobbyId);
    if (lobby !== 'remote') return this.apply(lobby);
    if (version <= entry.snap.version) return;
    void this.deps.lobbies.get(lobbyId).then(
      (fresh) => (fresh ? this.apply(fresh) : this.ended(lobbyId)),
      (err: unknown) => this.deps.log.warn({ err, lobbyId }, 'godot lobby not read'),
    );
  };

  private apply(lobby: Lobby) {
    const entry = this.local.get(lobby.id);
    if (!entry || lobby.version < entry.snap.version) return;
    const snap = snapshotOf(lobby);
    entry.snap = snap;
    const hostHere = snap.peers.has(HOST_PEER);
    for (const client of entry.clients) {
      const seat = client.seat!;
      if (!snap.members.has(seat.playerId)) {
        client.conn.refuse(ErrorCode.NOT_IN_LOBBY, 'Removed from the lobby');
        continue;
      }
      // The demo ends a lobby with its host: a client-server game has no server left, a mesh no creator.
      if (!hostHere) {
        client.conn.refuse(ErrorCode.NOT_FOUND, 'Room host has disconnected');
        continue;
      }
      const { gone, added, seal } = noticesFor(snap, seat.peer, client.told);
      for (const p of gone) {
        client.told.peers.delete(p);
        client.conn.send({ kind: 'peer-disconnect', id: p });
      }
      for (const p of added) {
        client.told.peers.add(p);
        client.conn.send({ kind: 'peer-connect', id: p });
        for (const msg of client.pending.get(p) ?? []) client.conn.send(msg);
        client.pending.delete(p);
      }
      // Held relays from a member this client may not see (client-server) will never be wanted.
      for (const p of client.pending.keys())
        if (snap.peers.has(p) && !client.told.peers.has(p)) client.pending.delete(p);
      if (seal) {
        client.told.sealed = true;
        client.conn.send({ kind: 'sealed' });
      }
    }
  }

  /** The lobby is gone from the store: a sealed one ended as the demo ends it, anything else otherwise. */
  private ended(lobbyId: string) {
    const entry = this.local.get(lobbyId);
    if (!entry) return;
    for (const client of entry.clients) {
      if (entry.snap.locked) client.conn.close(1000, 'Seal complete');
      else client.conn.refuse(ErrorCode.NOT_FOUND, 'Lobby closed');
    }
  }

  // --- Leaving ----------------------------------------------------------------------------------------

  private async closed(client: Client) {
    this.connections--;
    const seat = client.seat;
    if (!seat) return;
    client.seat = null;
    this.byPlayer.delete(seat.playerId);
    const entry = this.local.get(seat.lobbyId);
    entry?.clients.delete(client);
    if (entry && entry.clients.size === 0) this.local.delete(seat.lobbyId);
    await this.leave(seat);
  }

  /** No seat grace on this transport: the demo's clients never resume, a lost connection leaves. */
  private async leave(seat: Seat) {
    try {
      const result = await this.deps.lobbies.run(seat.lobbyId, { type: 'leave', playerId: seat.playerId });
      if (!result.ok) return;
      this.deps.publish(seat.lobbyId, result.data, seat.game);
      if (!result.data) this.clearSeal(seat.lobbyId);
    } catch (err) {
      this.deps.log.warn({ err, lobbyId: seat.lobbyId }, 'godot leave failed');
    }
  }

  private clearSeal(lobbyId: string) {
    const timer = this.sealTimers.get(lobbyId);
    if (timer) clearTimeout(timer);
    this.sealTimers.delete(lobbyId);
  }

  /** Closes every connection (shutdown) and forgets the timers. */
  close() {
    for (const t of this.sealTimers.values()) clearTimeout(t);
    this.sealTimers.clear();
    for (const ws of this.wss.clients) ws.close(1001, 'Server shutting down');
  }
}

/** The demo's words for JOIN refusals, after PeerLobby's error code. */
const JOIN_WORDS: Partial<Record<ErrorCode, string>> = {
  [ErrorCode.NOT_FOUND]: 'Lobby does not exists',
  [ErrorCode.LOCKED]: 'Lobby is sealed',
  [ErrorCode.FULL]: 'Lobby is full',
  [ErrorCode.TOO_MANY_LOBBIES]: 'Too many lobbies open, disconnecting',
  [ErrorCode.RATE_LIMITED]: 'Slow down',
  [ErrorCode.NICKNAME_TAKEN]: 'Name taken',
  [ErrorCode.BANNED]: 'Banned from this lobby',
  [ErrorCode.WRONG_GAME]: 'Lobby is for another game',
  [ErrorCode.UNKNOWN_GAME]: 'This server does not host that game',
};
