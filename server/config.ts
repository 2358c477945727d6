import { randomBytes } from 'node:crypto';
import { z } from 'zod';

const list = z
  .string()
  .optional()
  .transform((s) => (s ? s.split(',').map((x) => x.trim()).filter(Boolean) : []));

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  /** Base of invite links, e.g. https://play.example.com. Defaults to the page's own origin. */
  PUBLIC_URL: z.url().optional(),
  /** Extra origins allowed to open a socket (the page's own origin and PUBLIC_URL always are). */
  ALLOWED_ORIGINS: list,
  /** STUN servers handed to browsers, e.g. stun:stun.example.com:3478. None by default: no third party. */
  STUN_URLS: list,
  /** Signs device keys; random per process unless set (set it when running several instances). */
  SESSION_SECRET: z.string().min(16).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** coturn URLs handed to lobby members, e.g. turn:turn.example.com:3478?transport=udp,turns:turn.example.com:5349. */
  TURN_URLS: list.pipe(z.array(z.string().regex(/^turns?:[^\s]+$/, 'must start with turn: or turns:'))),
  /** coturn's `static-auth-secret`. Server-side only: members get per-player HMAC credentials, never this. */
  TURN_SECRET: z.string().min(16).optional(),
  /**
   * Lifetime of a TURN credential. An hour covers the session it was issued for (coturn checks expiry when
   * an allocation is made; every join or resume issues a fresh one) while a leaked one dies within the hour.
   */
  TURN_TTL_S: z.coerce.number().int().min(60).max(86_400).default(3600),
  /**
   * Reverse proxies in front of the server: the client IP for per-IP limits is taken this many entries from
   * the right of X-Forwarded-For. 0 (default): the socket's own address; never trust the header unasked.
   */
  TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(5).default(0),
})
  .refine((c) => (c.TURN_URLS.length > 0) === (c.TURN_SECRET !== undefined), {
    message: 'TURN_URLS and TURN_SECRET go together: set both or neither',
    path: ['TURN_SECRET'],
  });

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
    stunUrls: c.STUN_URLS,
    sessionSecret: c.SESSION_SECRET ?? randomBytes(32).toString('hex'),
    logLevel: c.LOG_LEVEL,
    turn: c.TURN_SECRET ? { urls: c.TURN_URLS, secret: c.TURN_SECRET, ttlS: c.TURN_TTL_S } : null,
    trustProxyHops: c.TRUST_PROXY_HOPS,
  };
}
