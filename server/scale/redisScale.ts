import { createAdapter } from '@socket.io/redis-streams-adapter';
import type { Logger } from 'pino';
import { createClient } from 'redis';
import { RedisLobbyStore } from '../store/redis';
import { RedisInstanceRegistry } from './instances';
import { redisLimiterFactory } from './redisLimiter';

/**
 * Everything an instance needs to share lobbies with its siblings through Redis: the lobby store,
 * the heartbeat registry the janitor reads, and socket.io's Redis Streams adapter (which survives
 * Redis blips and, unlike the pub/sub adapter, supports connection-state recovery).
 */
export async function startRedisScale(opts: {
  url: string;
  prefix: string;
  instanceTtlMs: number;
  log: Logger;
}) {
  const store = await RedisLobbyStore.connect({ url: opts.url, keyPrefix: opts.prefix, logger: opts.log });
  const instances = await RedisInstanceRegistry.start({
    url: opts.url,
    prefix: opts.prefix,
    ttlMs: opts.instanceTtlMs,
    log: opts.log,
  });
  // The adapter gets its own queueing client: it runs a blocking XREAD loop of its own, and the store's
  // fail-fast client would make that loop spin during an outage.
  const adapterClient = createClient({ url: opts.url });
  adapterClient.on('error', (err) => opts.log.debug({ err }, 'socket.io adapter redis error'));
  await adapterClient.connect();
  const adapter = createAdapter(adapterClient, { streamName: `${opts.prefix}socket.io` });
  const limiter = await redisLimiterFactory(opts.url, opts.prefix);
  return {
    store,
    instances,
    adapter,
    limiter: limiter.factory,
    async close() {
      await instances.close();
      await limiter.close();
      await adapterClient.close().catch(() => adapterClient.destroy());
    },
  };
}
