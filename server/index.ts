import next from 'next';
import { createApp } from './app';
import { ConfigError, loadConfig } from './config';
import { exitOnTermination } from './lifecycle';
import { dataFiles, persistedSessionSecret } from './dataDir';
import { createLogger } from './logger';
import { startRedisScale } from './scale/redisScale';
import { PersistedMemoryStore } from './store/persistedMemory';

/** Production and dev entry: one process, one port, Next.js pages and socket.io together. */
async function main() {
  const dev = process.argv.includes('--dev');
  if (!process.env.NODE_ENV) Object.assign(process.env, { NODE_ENV: dev ? 'development' : 'production' });
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  const log = createLogger(config.logLevel);
  const nextApp = config.servePages ? next({ dev, dir: process.cwd() }) : null;
  await nextApp?.prepare();
  const scale = config.redisUrl
    ? await startRedisScale({
        url: config.redisUrl,
        prefix: config.redisPrefix,
        instanceTtlMs: config.instanceTtlMs,
        log,
      })
    : null;
  // Without Redis, lobbies (and the session secret, unless set) are kept in DATA_DIR across restarts.
  const kept = !scale && config.dataDir ? config.dataDir : null;
  if (kept && !config.sessionSecretSet) config.sessionSecret = await persistedSessionSecret(kept);
  const store =
    scale?.store ?? (kept ? await PersistedMemoryStore.open(dataFiles(kept).lobbies, log) : undefined);
  const app = createApp({
    config,
    logger: log,
    pages: nextApp?.getRequestHandler(),
    store,
    instances: scale?.instances,
    adapter: scale?.adapter,
    limiter: scale?.limiter,
  });
  const url = await app.listen();
  log.info({ url, dev, redis: Boolean(scale) }, `PeerLobby is serving on ${url}`);

  exitOnTermination({
    log,
    shutdown: () => app.shutdown(),
    after: async () => {
      await scale?.close();
      await nextApp?.close?.();
    },
  });
}

void main().catch((err: unknown) => {
  console.error('PeerLobby failed to start:', err instanceof Error ? err.message : err);
  process.exit(1);
});
