import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { WebSocketServer } from 'ws';
import { ErrorCode, MAX_SIGNAL_BYTES, type IceGrant } from '../../lib/protocol';
import type { Metrics } from '../metrics';
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
import { serveLobbyList } from './lobbyList';
import { GODOT_GAME, Query } from './query';
import { JOIN_WORDS, takeSeat } from './seating';
import {
  HOST_PEER,
  noticesFor,
  snapshotOf,
  visiblePeers,
  type LobbySnapshot,
  type Seat,
  type Told,
} from './roster';
import type { Decoded, GodotVersion, Outbound, RelayKind } from './wire';

export const GODOT_PATH = '/godot';
/** A JSON frame around a full-size signal. */
const MAX_FRAME_BYTES = MAX_SIGNAL_BYTES + 1024;
/** Relays held per sender until its PEER_CONNECT is sent (an offer and its first candidates). */
const MAX_PENDING_RELAYS = 32;

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

  /** `GET /godot/lobbies` (see lobbyList.ts); returns false for any other path. */
  handleRequest(req: IncomingMessage, res: ServerResponse): boolean {
    return serveLobbyList(req, res, this.deps);
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
    const result = await takeSeat(this.deps, client, lobbyArg, mesh);
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
