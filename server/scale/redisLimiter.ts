import { RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';
import { createClient } from 'redis';
import { asLimiter, type LimiterFactory } from '../socket/limits';

/**
 * Rate-limit budgets shared by every instance (docs/RELIABILITY.md S4 across nodes): rate-limiter-flexible's
 * RateLimiterRedis on a fail-fast node-redis client. During a Redis outage each instance falls back to
 * an in-memory budget of the same size (the insurance limiter) instead of failing or hanging.
 */
export async function redisLimiterFactory(url: string, prefix: string) {
  const client = createClient({ url, disableOfflineQueue: true, socket: { connectTimeout: 1000 } });
  client.on('error', () => {});
  await client.connect();
  const factory: LimiterFactory = (spec) => {
    const insurance = new RateLimiterMemory({
      keyPrefix: spec.name,
      points: spec.points,
      duration: spec.windowS,
    });
    return asLimiter(
      new RateLimiterRedis({
        storeClient: client,
        useRedisPackage: true,
        keyPrefix: `${prefix}rl:${spec.name}`,
        points: spec.points,
        duration: spec.windowS,
        insuranceLimiter: insurance,
      }),
    );
  };
  return { factory, close: () => client.close().catch(() => client.destroy()) };
}
