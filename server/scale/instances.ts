import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { createClient } from 'redis';

/** An instance is alive while its key exists; refreshed at a third of the TTL. */
export const INSTANCE_TTL_MS = 10_000;

export const newInstanceId = () => randomBytes(6).toString('base64url');

/** Which app instances are alive, through heartbeat keys with a TTL in Redis. */
export interface InstanceRegistry {
  readonly selfId: string;
  isAlive(instanceId: string): Promise<boolean>;
  close(): Promise<void>;
}

/** One process, nothing else to watch: the memory store's registry. */
export function singleInstance(selfId = newInstanceId()): InstanceRegistry {
  return { selfId, isAlive: async (id) => id === selfId, close: async () => {} };
}

export class RedisInstanceRegistry implements InstanceRegistry {
  private timer: NodeJS.Timeout | null = null;

  private constructor(
    private readonly client: ReturnType<typeof createClient>,
    private readonly prefix: string,
    readonly selfId: string,
    private readonly ttlMs: number,
    private readonly log: Pick<Logger, 'warn'>,
  ) {}

  static async start(opts: { url: string; prefix: string; ttlMs?: number; log: Pick<Logger, 'warn'> }) {
    // Fail fast like the store: a heartbeat that cannot be written is retried next beat.
    const client = createClient({
      url: opts.url,
      disableOfflineQueue: true,
      socket: { connectTimeout: 1000 },
    });
    client.on('error', () => {});
    await client.connect();
    const registry = new RedisInstanceRegistry(
      client,
      opts.prefix,
      newInstanceId(),
      opts.ttlMs ?? INSTANCE_TTL_MS,
      opts.log,
    );
    await registry.beat();
    registry.timer = setInterval(() => void registry.beat(), registry.ttlMs / 3);
    registry.timer.unref();
    return registry;
  }

  private key(id: string) {
    return `${this.prefix}instance:${id}`;
  }

  private async beat() {
    try {
      await this.client.set(this.key(this.selfId), String(Date.now()), { PX: this.ttlMs });
    } catch (err) {
      this.log.warn({ err }, 'instance heartbeat failed');
    }
  }

  async isAlive(instanceId: string) {
    if (instanceId === this.selfId) return true;
    return (await this.client.exists(this.key(instanceId))) === 1;
  }

  async close() {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    // A clean stop says so at once; a crash is noticed when the key expires.
    await this.client.del(this.key(this.selfId)).catch(() => {});
    await this.client.close().catch(() => this.client.destroy());
  }
}
