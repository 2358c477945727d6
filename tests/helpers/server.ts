import { io as connect } from 'socket.io-client';
import { createApp, type App } from '../../server/app';
import { loadConfig } from '../../server/config';
import type { Logger } from 'pino';
import { createLogger } from '../../server/logger';
import type { Limits } from '../../server/socket/limits';
import type { LobbyStore } from '../../server/lobby/LobbyStore';
import { PROTOCOL_VERSION, type Result } from '../../lib/protocol';
import type { ClientSocket } from '../../lib/client/LobbyClient';

export interface TestServer {
  app: App;
  url: string;
  close(): Promise<void>;
}

/**
 * Every test client comes from 127.0.0.1, so production per-IP budgets would throttle the suite itself;
 * tests of the limits pass their own (low) ones.
 */
export const ROOMY_TEST_LIMITS: Partial<Limits> = {
  playerEventPoints: 10_000,
  ipEventPoints: 100_000,
  maxConnectionsPerIp: 10_000,
  failedJoinPoints: 10_000,
  addressBudgetFactor: 1_000,
  resumePlayerPoints: 10_000,
  resumeAddressPoints: 10_000,
  maxLobbiesPerAddress: 10_000,
};

/** A real socket.io server on a free loopback port, no Next.js. */
export async function startTestServer(
  opts: {
    store?: LobbyStore;
    env?: Record<string, string>;
    limits?: Partial<Limits>;
    logger?: Logger;
    host?: string;
  } = {},
): Promise<TestServer> {
  // Seat grace 0 unless a test asks: most tests want a lost connection to leave at once. STUN off unless
  // a test asks (with ports from tests/helpers/stun.ts): parallel test files must not all grab UDP 3478.
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    SEAT_GRACE_MS: '0',
    STUN_PORT: '0',
    ...opts.env,
  });
  const app = createApp({
    config,
    store: opts.store,
    logger: opts.logger ?? createLogger('silent'),
    limits: { ...ROOMY_TEST_LIMITS, ...opts.limits },
  });
  const url = await app.listen(0, opts.host ?? '127.0.0.1');
  return { app, url, close: () => app.close() };
}

/** A real socket.io-client connected to the server; resolves once connected. */
export async function connectClient(
  url: string,
  auth: object = { protocolVersion: PROTOCOL_VERSION },
): Promise<ClientSocket> {
  const socket: ClientSocket = connect(url, {
    transports: ['websocket'],
    auth,
    reconnection: false,
    forceNew: true,
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return socket;
}

/** Emits an acked event with any payload (tests send malformed ones on purpose). */
export function request<T = unknown>(
  socket: ClientSocket,
  event: string,
  payload: unknown,
): Promise<Result<T>> {
  return (
    socket.timeout(5000) as unknown as { emitWithAck(e: string, p: unknown): Promise<Result<T>> }
  ).emitWithAck(event, payload);
}

/** Resolves with the next matching event. */
export function nextEvent<T>(
  socket: ClientSocket,
  event: string,
  match: (v: T) => boolean = () => true,
): Promise<T> {
  return new Promise((resolve) => {
    const listener = (value: T) => {
      if (!match(value)) return;
      (socket as unknown as { off(e: string, f: unknown): void }).off(event, listener);
      resolve(value);
    };
    (socket as unknown as { on(e: string, f: unknown): void }).on(event, listener);
  });
}
