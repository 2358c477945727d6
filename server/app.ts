import {
  createServer,
  type IncomingMessage,
  type Server as HttpServer,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { Server, type ServerOptions } from 'socket.io';
import { ErrorCode, HandshakeAuth, MAX_PACKET_BYTES, PROTOCOL_VERSION } from '../lib/protocol';
import type { Config } from './config';
import { DeviceKeys } from './identity';
import { boundedClose } from './lifecycle';
import { gamePolicy } from './lobby/games';
import { LobbyQuota } from './lobby/quota';
import { LobbyService } from './lobby/service';
import { createLogger } from './logger';
import { Metrics, type StunResult } from './metrics';
import { opsRoutes } from './opsRoutes';
import { Janitor } from './scale/janitor';
import { singleInstance, type InstanceRegistry } from './scale/instances';
import { BrowserFeed } from './socket/browserFeed';
import { EngineGuard } from './socket/engineGuard';
import { HandshakeInfos } from './socket/handshakeInfo';
import { SocketGuards } from './socket/guard';
import { DEFAULT_LIMITS, memoryLimiter, type LimiterFactory, type Limits } from './socket/limits';
import { createLobbyHandlers } from './socket/lobbyHandlers';
import { Membership } from './socket/membership';
import { originAllowed } from './socket/origin';
import { boundedParser } from './socket/parser';
import { createPublisher } from './socket/publisher';
import { SeatKeeper } from './socket/seats';
import { addSignalHandlers, createSignalLimiters } from './socket/signalHandlers';
import { addSocketGauges } from './socket/socketGauges';
import type { IoServer } from './socket/types';
import type { LobbyStore } from './lobby/LobbyStore';
import { MemoryLobbyStore } from './store/memory';
import { StunResponder, type BoundAddress } from './stun/responder';
import { iceServersFor } from './turn';
import { addConnectionCheck } from './socket/connectionCheck';
import { EventTable } from './socket/eventTable';
import { LocalPlayers } from './socket/localPlayers';
import { GodotEndpoint } from './godot/endpoint';

type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export interface AppDeps {
  config: Config;
  store?: LobbyStore;
  logger?: Logger;
  /** Next.js's request handler; tests of the socket layer run without it. */
  pages?: RequestHandler;
  /** Abuse bounds (server/socket/limits.ts); tests lower them. */
  limits?: Partial<Limits>;
  /** Where rate-limit budgets live: in memory by default; a Redis-backed factory shares them across nodes. */
  limiter?: LimiterFactory;
  /** Several instances: the shared heartbeat registry (starts the janitor) and socket.io adapter. */
  instances?: InstanceRegistry;
  adapter?: ServerOptions['adapter'];
}

export interface App {
  http: HttpServer;
  io: IoServer;
  metrics: Metrics;
  /** Starts http + socket.io, then the built-in STUN responder on the same host (which never fails the start). */
  listen(port?: number, host?: string): Promise<string>;
  /** The UDP addresses the built-in STUN responder answers on (empty: off or could not bind). */
  stunBound(): BoundAddress[];
  close(): Promise<void>;
  /**
   * Graceful stop (SIGTERM): refuses new connections, tells every client `server:shutdown`, then closes
   * sockets and the store within SHUTDOWN_TIMEOUT_MS. Resolves false if it had to cut connections.
   */
  shutdown(): Promise<boolean>;
}

/** Builds the one http server that carries Next.js pages and socket.io, with injected store. */
export function createApp(deps: AppDeps): App {
  const { config } = deps;
  const log = deps.logger ?? createLogger(config.logLevel);
  const store = deps.store ?? new MemoryLobbyStore();
  const lobbies = new LobbyService(store, Date.now, gamePolicy(config.games));
  const deviceKeys = new DeviceKeys(config.sessionSecret);
  const allowedOrigins = new Set([...config.allowedOrigins, ...(config.publicUrl ? [config.publicUrl] : [])]);
  let stun: StunResponder | null = null;
  const stunPorts = () => stun?.ports ?? null;
  const iceServers = iceServersFor({
    stunUrls: config.stunUrls,
    turn: config.turn,
    builtInStun: stunPorts,
    publicUrl: config.publicUrl ?? null,
  });
  const metrics = new Metrics();
  metrics.addGauge({
    name: 'peerlobby_stun_sockets',
    help: 'UDP sockets the built-in STUN responder answers on.',
    read: () => stun?.bound.length ?? 0,
  });
  const limits: Limits = { ...DEFAULT_LIMITS, ...config.limits, ...deps.limits };
  const handshakes = new HandshakeInfos(config.trustProxyHops);
  const guards = new SocketGuards({
    limits,
    limiter: deps.limiter ?? memoryLimiter,
    metrics,
    log,
    handshakes,
  });
  const engineGuard = new EngineGuard({
    maxConnectionsPerIp: () => limits.maxConnectionsPerIp,
    maxOutgoingBytes: limits.maxOutgoingBytes,
    trustProxyHops: config.trustProxyHops,
    metrics,
  });
  const ops = opsRoutes({ metrics, store, metricsToken: config.metricsToken });
  let accepting = true;

  const http = createServer((req, res) => {
    if (ops(req, res)) return;
    if (godot?.handleRequest(req, res)) return;
    if (deps.pages) return void deps.pages(req, res);
    res.writeHead(404).end();
  });

  const io: IoServer = new Server(http, {
    maxHttpBufferSize: MAX_PACKET_BYTES,
    parser: boundedParser,
    ...(deps.adapter ? { adapter: deps.adapter } : {}),
    pingInterval: config.pingIntervalMs,
    pingTimeout: config.pingTimeoutMs,
    // Origin first (costs nothing); then the request takes one of its address's session slots.
    allowRequest: (req, cb) => {
      if (!accepting || !originAllowed(req, allowedOrigins, !config.publicUrl)) return cb(null, false);
      if (!engineGuard.admit(req)) return cb(ErrorCode.RATE_LIMITED, false);
      cb(null, true);
    },
    // An engine.io session that never sends a socket.io CONNECT holds its address's slot this long.
    connectTimeout: limits.connectDeadlineMs,
    serveClient: false,
  });
  engineGuard.attach(io.engine);
  handshakes.attach(io.engine); // after the guard: this one lets the handshake request go
  const stopIdleSweep = guards.sweepIdle(io);
  const feed = new BrowserFeed(io, lobbies, Boolean(deps.adapter));
  addSocketGauges(metrics, io, store);
  const membership = new Membership();
  const signalLimiters = createSignalLimiters(config.signalRatePer10s, {
    relayMessagePoints: limits.relayMessagePoints,
    relayBytePoints: limits.relayBytePoints,
    addressFactor: limits.addressBudgetFactor,
  });
  // The Godot endpoint hears every lobby change, here or on another instance (built below: it publishes too).
  let godot: GodotEndpoint | null = null;
  const publish = createPublisher(io, feed, membership, Boolean(deps.adapter), (id, lobby, version) =>
    godot?.lobbyChanged(id, lobby, version),
  );
  const seats = new SeatKeeper(lobbies, publish, log, config.seatGraceMs);
  const instances = deps.instances ?? singleInstance();
  const janitor = deps.instances
    ? new Janitor({ store, lobbies, instances, publish, graceMs: config.seatGraceMs, log })
    : null;
  janitor?.start(config.janitorIntervalMs);
  // One process: seats already dropped when it starts (lobbies read back after a restart) are held for
  // the grace window like any other; with several instances the janitor frees them.
  if (!deps.instances) {
    void store
      .listAll()
      .then((all) => seats.holdDropped(all))
      .catch((err: unknown) => log.warn({ err }, 'held seats of restored lobbies not scheduled'));
  }

  // Every client event's listener, in one table shared by all sockets (eventTable.ts).
  const events = new EventTable();
  // One lobby quota per address, whichever transport creates the lobby.
  const quota = new LobbyQuota(
    async (id) => (await store.get(id)) !== null,
    () => limits.maxLobbiesPerAddress,
  );
  const localPlayers = new LocalPlayers();
  const registerLobbyHandlers = createLobbyHandlers({
    events,
    localPlayers,
    io,
    lobbies,
    feed,
    publish,
    seats,
    quota,
    instanceId: instances.selfId,
    log,
    iceServers,
    publicUrl: config.publicUrl ?? null,
  });
  addConnectionCheck({
    events,
    log,
    stun: stunPorts,
    publicUrl: config.publicUrl ?? null,
    turnConfigured: config.turn !== null,
  });
  addSignalHandlers(events, { io, localPlayers, membership, limiters: signalLimiters, metrics });

  godot = new GodotEndpoint({
    io,
    lobbies,
    feed,
    publish,
    membership,
    signalLimiters,
    guards,
    engineGuard,
    quota,
    metrics,
    log,
    iceServers,
    instanceId: instances.selfId,
    multiInstance: Boolean(deps.adapter),
    trustProxyHops: config.trustProxyHops,
    originAllowed: (req) => originAllowed(req, allowedOrigins, !config.publicUrl),
    accepting: () => accepting,
    sealCloseMs: config.godotSealCloseMs,
    joinDeadlineMs: limits.connectDeadlineMs,
    pingIntervalMs: config.pingIntervalMs,
    maxOutgoingBytes: limits.maxOutgoingBytes,
  });
  const godotEndpoint = godot;
  // Only /godot: socket.io's own path (and anything else) stays engine.io's.
  http.on('upgrade', (req, socket, head) => void godotEndpoint.handleUpgrade(req, socket, head));

  io.use(guards.middleware);
  io.use((socket, next) => {
    const auth = HandshakeAuth.safeParse(socket.handshake.auth);
    if (!auth.success || auth.data.protocolVersion !== PROTOCOL_VERSION) {
      const err = new Error(ErrorCode.PROTOCOL_MISMATCH) as Error & { data?: unknown };
      err.data = { code: ErrorCode.PROTOCOL_MISMATCH, serverVersion: PROTOCOL_VERSION };
      metrics.rejections.inc({ reason: ErrorCode.PROTOCOL_MISMATCH });
      return next(err);
    }
    socket.data.deviceId = deviceKeys.verify(auth.data.deviceKey) ?? '';
    if (auth.data.resume) socket.data.resume = auth.data.resume; // no property at all when absent
    next();
  });

  io.on('connection', (socket) => {
    // A missing or forged device key gets a fresh one (emitted once connected, not from middleware).
    if (!socket.data.deviceId) {
      const issued = deviceKeys.issue();
      socket.data.deviceId = issued.deviceId;
      socket.emit('session', { deviceKey: issued.key });
    }
    guards.attach(socket); // before any handler is registered: the acked listeners look the guard up
    events.attach(socket);
    registerLobbyHandlers(socket);
  });

  let closed: Promise<void> | null = null;
  const close = () =>
    (closed ??= (async () => {
      accepting = false;
      stopIdleSweep();
      godotEndpoint.close();
      feed.close();
      seats.close();
      janitor?.close();
      await stun?.close();
      await io.close();
      await store.close();
    })());

  return {
    http,
    io,
    metrics,
    async listen(port = config.port, host = config.host) {
      const url = await new Promise<string>((resolve, reject) => {
        http.once('error', reject);
        http.listen(port, host, () => {
          const addr = http.address() as AddressInfo;
          const shownHost = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
          resolve(`http://${shownHost === '0.0.0.0' ? 'localhost' : shownHost}:${addr.port}`);
        });
      });
      if (config.stun && !closed) {
        const count = (result: StunResult) => metrics.stunRequests.inc({ result });
        const rate = { ratePoints: limits.stunRequestPoints, rateWindowS: limits.stunRequestWindowS };
        stun = await StunResponder.start({ host, ports: config.stun, log, count, ...rate });
        if (closed) await stun.close(); // closed while binding
      }
      return url;
    },
    stunBound: () => stun?.bound ?? [],
    close,
    async shutdown() {
      accepting = false;
      // Stop listening now; idle keep-alive connections close too, busy ones when done (or at the bound).
      const httpClosed = new Promise<void>((resolve) => http.close(() => resolve()));
      // Written before the transport closes, on the same ordered connection.
      io.emit('server:shutdown');
      return boundedClose(
        http,
        Promise.all([close(), httpClosed]).then(() => undefined),
      );
    },
  };
}
