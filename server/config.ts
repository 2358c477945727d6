import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { DEFAULT_SEAT_GRACE_MS, GAME_SLUG_PATTERN, SIGNAL_RATE_POINTS } from '../lib/protocol/limits';
import { DEFAULT_KEY_PREFIX } from './store/redisKeys';

/** Godot's demo ends a sealed lobby 10 s after the SEAL. */
export const GODOT_SEAL_CLOSE_MS_DEFAULT = 10_000;

const list = z
  .string()
  .optional()
  .transform((s) =>
    s
      ? s
          .split(',')
          .map((x) => x.trim())
          .filter(Boolean)
      : [],
  );

const EnvSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().min(1).default('0.0.0.0'),
    /** Base of invite links, e.g. https://play.example.com. Defaults to the page's own origin. */
    PUBLIC_URL: z.url().optional(),
    /**
     * The games this server hosts: a comma list of slugs (e.g. `ring-out,pong`), or `*` (the default):
     * any. A create, join, quick play or browse of another game is refused with UNKNOWN_GAME.
     */
    GAMES: z
      .string()
      .optional()
      .transform((s) =>
        s === undefined || s.trim() === '' || s.trim() === '*'
          ? ('*' as const)
          : s
              .split(',')
              .map((x) => x.trim())
              .filter(Boolean),
      )
      .refine((g) => g === '*' || g.every((slug) => GAME_SLUG_PATTERN.test(slug)), {
        message: `each game must match ${GAME_SLUG_PATTERN} (or set * for any)`,
      }),
    /** Extra origins allowed to open a socket (the page's own origin and PUBLIC_URL always are). */
    ALLOWED_ORIGINS: list,
    /** Further STUN servers handed to members, after the built-in one, e.g. stun:stun.example.com:3478. */
    STUN_URLS: list,
    /** UDP port of the built-in STUN responder (server/stun), on HOST's addresses; 0 turns it off. */
    STUN_PORT: z.coerce.number().int().min(0).max(65535).default(3478),
    /**
     * Second port of the same responder, used only by `connection:check`: a NAT that maps a new port per
     * destination shows two different mapped ports (symmetric NAT). Defaults to STUN_PORT+1; 0 = off.
     */
    STUN_ALT_PORT: z.coerce.number().int().min(0).max(65535).optional(),
    /** Signs device keys; random per process unless set (set it when running several instances). */
    SESSION_SECRET: z.string().min(16).optional(),
    /** How long a dropped member keeps the seat; 0 = a lost connection leaves at once. */
    SEAT_GRACE_MS: z.coerce.number().int().min(0).max(600_000).default(DEFAULT_SEAT_GRACE_MS),
    /** socket.io heartbeat: a dead client is noticed within interval + timeout. */
    PING_INTERVAL_MS: z.coerce.number().int().min(100).default(10_000),
    PING_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
    /**
     * Where the in-memory store saves its lobbies (and the session secret when SESSION_SECRET is unset), so a
     * restart does not end them. Relative to the working directory; `off` keeps everything in memory only.
     */
    DATA_DIR: z.string().min(1).default('.data'),
    /** With it, lobbies live in Redis and socket.io uses the Redis Streams adapter: run N instances. */
    REDIS_URL: z.url().optional(),
    /** Key namespace in Redis, so deployments (or test runs) can share one server. */
    REDIS_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9:_-]{1,40}$/)
      .default(DEFAULT_KEY_PREFIX),
    /** How often each instance sweeps for ghosts of dead instances and expired seats. */
    /** An instance whose heartbeat is older than this is dead; its members are dropped. */
    INSTANCE_TTL_MS: z.coerce.number().int().min(300).default(10_000),
    JANITOR_INTERVAL_MS: z.coerce.number().int().min(100).default(5_000),
    /** Serve the Next.js pages too (off: socket.io and /healthz only, for signaling-only nodes and tests). */
    SERVE_PAGES: z.enum(['true', 'false']).default('true'),
    /** Signals a player may send per 10 s (a newcomer to a lobby of 16 sends ≈ 165 at once). */
    SIGNAL_RATE_PER_10S: z.coerce.number().int().min(10).max(1_000_000).default(SIGNAL_RATE_POINTS),
    /** Open sockets per client IP (raise it behind a large NAT, or for load tests). */
    MAX_CONNECTIONS_PER_IP: z.coerce.number().int().min(1).max(1_000_000).optional(),
    /** Signal and relay budgets per client address, in players' worth (several players share one NAT). */
    ADDRESS_BUDGET_FACTOR: z.coerce.number().int().min(1).max(1_000_000).optional(),
    /** Live lobbies one client address may have created; dropped-but-held lobbies count until they expire. */
    MAX_LOBBIES_PER_ADDRESS: z.coerce.number().int().min(1).max(1_000_000).optional(),
    /** Bytes one connection may have waiting to go out; a client that stops reading is cut off past it. */
    MAX_OUTGOING_BYTES: z.coerce
      .number()
      .int()
      .min(64 * 1024)
      .max(1024 * 1024 * 1024)
      .optional(),
    /** Lobby events per client IP per 10 s. */
    IP_EVENT_RATE_PER_10S: z.coerce.number().int().min(1).max(10_000_000).optional(),
    /** When set, /metrics answers only `Authorization: Bearer <token>` (401 otherwise). */
    METRICS_TOKEN: z.string().min(16).optional(),
    /**
     * A sealed Godot lobby (server/godot) ends this long after its host's SEAL, as in Godot's demo server
     * (10 s). Lower only for tests.
     */
    GODOT_SEAL_CLOSE_MS: z.coerce.number().int().min(100).max(600_000).default(GODOT_SEAL_CLOSE_MS_DEFAULT),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** coturn URLs handed to lobby members, e.g. turn:turn.example.com:3478?transport=udp,turns:turn.example.com:5349. */
    TURN_URLS: list.pipe(z.array(z.string().regex(/^turns?:[^\s]+$/, 'must start with turn: or turns:'))),
    /** coturn's `static-auth-secret`. Server-side only: members get per-player HMAC credentials, never this. */
    TURN_SECRET: z.string().min(16).optional(),
    /**
     * Lifetime of a TURN credential; a leaked one dies within it. coturn checks expiry only when an
     * allocation is made, and members fetch a fresh credential (`ice:refresh`) at about 3/4 of the lifetime,
     * so links made or ICE-restarted later still allocate. The floor is low (10 s) so tests can watch a
     * credential expire; keep production values well above the clock skew between this server and coturn
     * (every member refreshes once per 3/4 TTL: an hour costs nothing).
     */
    TURN_TTL_S: z.coerce.number().int().min(10).max(86_400).default(3600),
    /**
     * Reverse proxies in front of the server: the client IP for per-IP limits is taken this many entries from
     * the right of X-Forwarded-For. 0 (default): the socket's own address; never trust the header unasked.
     */
    TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(5).default(0),
  })
  .refine((c) => c.TURN_URLS.length > 0 === (c.TURN_SECRET !== undefined), {
    message: 'TURN_URLS and TURN_SECRET go together: set both or neither',
    path: ['TURN_SECRET'],
  })
  .refine(
    (c) =>
      c.STUN_PORT === 0 ||
      stunAltPort(c) === 0 ||
      (stunAltPort(c) !== c.STUN_PORT && stunAltPort(c) <= 65535),
    {
      message: 'must differ from STUN_PORT and be at most 65535 (it defaults to STUN_PORT+1)',
      path: ['STUN_ALT_PORT'],
    },
  );

const stunAltPort = (c: { STUN_PORT: number; STUN_ALT_PORT?: number | undefined }) =>
  c.STUN_ALT_PORT ?? c.STUN_PORT + 1;

export type Config = ReturnType<typeof loadConfig>;

export class ConfigError extends Error {}

/** Reads and validates the environment; throws a ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env) {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const c = parsed.data;
  return {
    dev: c.NODE_ENV === 'development',
    port: c.PORT,
    host: c.HOST,
    publicUrl: c.PUBLIC_URL?.replace(/\/$/, ''),
    allowedOrigins: c.ALLOWED_ORIGINS,
    games: c.GAMES,
    stunUrls: c.STUN_URLS,
    stun: c.STUN_PORT === 0 ? null : { port: c.STUN_PORT, altPort: stunAltPort(c) || null },
    sessionSecret: c.SESSION_SECRET ?? randomBytes(32).toString('hex'),
    /** False when the secret above is random for this process (DATA_DIR may then keep one across restarts). */
    sessionSecretSet: c.SESSION_SECRET !== undefined,
    logLevel: c.LOG_LEVEL,
    seatGraceMs: c.SEAT_GRACE_MS,
    limits: {
      ...(c.MAX_CONNECTIONS_PER_IP ? { maxConnectionsPerIp: c.MAX_CONNECTIONS_PER_IP } : {}),
      ...(c.MAX_OUTGOING_BYTES ? { maxOutgoingBytes: c.MAX_OUTGOING_BYTES } : {}),
      ...(c.MAX_LOBBIES_PER_ADDRESS ? { maxLobbiesPerAddress: c.MAX_LOBBIES_PER_ADDRESS } : {}),
      ...(c.ADDRESS_BUDGET_FACTOR ? { addressBudgetFactor: c.ADDRESS_BUDGET_FACTOR } : {}),
      ...(c.IP_EVENT_RATE_PER_10S ? { ipEventPoints: c.IP_EVENT_RATE_PER_10S, ipEventWindowS: 10 } : {}),
    },
    signalRatePer10s: c.SIGNAL_RATE_PER_10S,
    dataDir: c.DATA_DIR === 'off' ? null : c.DATA_DIR,
    redisUrl: c.REDIS_URL,
    redisPrefix: c.REDIS_PREFIX,
    janitorIntervalMs: c.JANITOR_INTERVAL_MS,
    instanceTtlMs: c.INSTANCE_TTL_MS,
    servePages: c.SERVE_PAGES === 'true',
    pingIntervalMs: c.PING_INTERVAL_MS,
    pingTimeoutMs: c.PING_TIMEOUT_MS,
    turn: c.TURN_SECRET ? { urls: c.TURN_URLS, secret: c.TURN_SECRET, ttlS: c.TURN_TTL_S } : null,
    trustProxyHops: c.TRUST_PROXY_HOPS,
    metricsToken: c.METRICS_TOKEN ?? null,
    godotSealCloseMs: c.GODOT_SEAL_CLOSE_MS,
  };
}
