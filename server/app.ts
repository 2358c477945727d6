import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { Server, type ServerOptions } from 'socket.io';
import { ErrorCode, HandshakeAuth, MAX_PACKET_BYTES, PROTOCOL_VERSION, type IceServer } from '../lib/protocol';
import type { Config } from './config';
import { DeviceKeys } from './identity';
import { LobbyService } from './lobby/service';
import { createLogger } from './logger';
import { BrowserFeed } from './socket/browserFeed';
import { createPublisher } from './socket/publisher';
import { SeatKeeper } from './socket/seats';
import { createLobbyHandlers } from './socket/lobbyHandlers';
import { Membership } from './socket/membership';
import { originAllowed } from './socket/origin';
import { createSignalLimiters, registerSignalHandlers } from './socket/signalHandlers';
import type { IoServer } from './socket/types';
import type { LobbyStore } from './store/LobbyStore';
import { MemoryLobbyStore } from './store/memory';
import { Janitor } from './scale/janitor';
import { singleInstance, type InstanceRegistry } from './scale/instances';

type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export interface AppDeps {
  config: Config;
  store?: LobbyStore;
  logger?: Logger;
  /** Next.js's request handler; tests of the socket layer run without it. */
  pages?: RequestHandler;
  /** Several instances: the shared heartbeat registry (starts the janitor) and socket.io adapter. */
  instances?: InstanceRegistry;
  adapter?: ServerOptions['adapter'];
}

export interface App {
  http: HttpServer;
  io: IoServer;
  listen(port?: number, host?: string): Promise<string>;
  close(): Promise<void>;
}

/** Builds the one http server that carries Next.js pages and socket.io, with injected store. */
export function createApp(deps: AppDeps): App {
  const { config } = deps;
  const log = deps.logger ?? createLogger(config.logLevel);
  const store = deps.store ?? new MemoryLobbyStore();
  const lobbies = new LobbyService(store);
  const deviceKeys = new DeviceKeys(config.sessionSecret);
  const allowedOrigins = new Set([...config.allowedOrigins, ...(config.publicUrl ? [config.publicUrl] : [])]);
  const iceServers = (): IceServer[] => (config.stunUrls.length ? [{ urls: config.stunUrls }] : []);

  const http = createServer((req, res) => {
    if (req.url === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
      return;
    }
    if (deps.pages) return void deps.pages(req, res);
    res.writeHead(404).end();
  });

  const io: IoServer = new Server(http, {
    maxHttpBufferSize: MAX_PACKET_BYTES,
    ...(deps.adapter ? { adapter: deps.adapter } : {}),
    pingInterval: config.pingIntervalMs,
    pingTimeout: config.pingTimeoutMs,
    allowRequest: (req, cb) => cb(null, originAllowed(req, allowedOrigins)),
    serveClient: false,
  });
  const feed = new BrowserFeed(io, lobbies);
  const membership = new Membership();
  const limiters = createSignalLimiters();
  const publish = createPublisher(io, feed, membership, Boolean(deps.adapter));
  const seats = new SeatKeeper(lobbies, publish, log, config.seatGraceMs);
  const instances = deps.instances ?? singleInstance();
  const janitor = deps.instances
    ? new Janitor({ store, lobbies, instances, publish, graceMs: config.seatGraceMs, log })
    : null;
  janitor?.start(config.janitorIntervalMs);

  const registerLobbyHandlers = createLobbyHandlers({ io, lobbies, feed, publish, seats, instanceId: instances.selfId, log, iceServers, publicUrl: config.publicUrl ?? null });

  io.use((socket, next) => {
    const auth = HandshakeAuth.safeParse(socket.handshake.auth);
    if (!auth.success || auth.data.protocolVersion !== PROTOCOL_VERSION) {
      const err = new Error(ErrorCode.PROTOCOL_MISMATCH) as Error & { data?: unknown };
      err.data = { code: ErrorCode.PROTOCOL_MISMATCH, serverVersion: PROTOCOL_VERSION };
      return next(err);
    }
    socket.data.deviceId = deviceKeys.verify(auth.data.deviceKey) ?? '';
    socket.data.resume = auth.data.resume;
    next();
  });

  io.on('connection', (socket) => {
    // A missing or forged device key gets a fresh one (emitted once connected, not from middleware).
    if (!socket.data.deviceId) {
      const issued = deviceKeys.issue();
      socket.data.deviceId = issued.deviceId;
      socket.emit('session', { deviceKey: issued.key });
    }
    registerLobbyHandlers(socket);
    registerSignalHandlers(socket, { io, membership, limiters });
  });

  return {
    http,
    io,
    listen(port = config.port, host = config.host) {
      return new Promise((resolve, reject) => {
        http.once('error', reject);
        http.listen(port, host, () => {
          const addr = http.address() as AddressInfo;
          const shownHost = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
          resolve(`http://${shownHost === '0.0.0.0' ? 'localhost' : shownHost}:${addr.port}`);
        });
      });
    },
    async close() {
      feed.close();
      seats.close();
      janitor?.close();
      await io.close();
      await store.close();
    },
  };
}
