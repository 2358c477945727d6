import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { createClient } from 'redis';
import type { LimiterFactory } from '../socket/limits';

/**
 * Rate-limit budgets shared by every instance (RELIABILITY.md S4 across nodes): rate-limiter-flexible's
 * RateLimiterRedis on a fail-fast node-redis client. During a Redis outage each instance falls back to
 * an in-memory budget of the same size (the insurance limiter) instead of failing or hanging.
 */
export async function redisLimiterFactory(url: string, prefix: string) {
  const client = createClient({ url, disableOfflineQueue: true, socket: { connectTimeout: 1000 } });
  client.on('error', () => {});
  await client.connect();
  const factory: LimiterFactory = (spec) => {
    const insurance = new RateLimiterMemory({ keyPrefix: spec.name, points: spec.points, duration: spec.windowS });
    const rl = new RateLimiterRedis({
      storeClient: client,
      useRedisPackage: true,
      keyPrefix: `${prefix}rl:${spec.name}`,
      points: spec.points,
      duration: spec.windowS,
      insuranceLimiter: insurance,
    });
    return {
      async take(key) {
        try {
          await rl.consume(key);
          return true;
        } catch (err) {
          if (err instanceof RateLimiterRes) return false;
          throw err;
        }
      },
      async spent(key) {
        const res = await rl.get(key);
        return res !== null && res.remainingPoints <= 0;
      },
      async block(key, seconds) {
        await rl.block(key, seconds);
      },
    };
  };
  return { factory, close: () => client.close().catch(() => client.destroy()) };
}
