import type { Logger } from 'pino';
import type { LobbyService } from '../lobby/service';
import type { Lobby } from '../lobby/types';
import type { Publish } from '../socket/publisher';
import type { LobbyStore } from '../lobby/LobbyStore';
import { instanceOf } from '../lobby/connectionId';
import type { InstanceRegistry } from './instances';

export const JANITOR_INTERVAL_MS = 5_000;

/**
 * No socket.io adapter cleans up after a dead node (docs/RELIABILITY.md R9), so every instance sweeps:
 * members seated on an instance whose heartbeat expired are dropped, and seats held past the grace
 * window are freed — also those whose timer died with the instance that held it.
 */
export class Janitor {
  private timer: NodeJS.Timeout | null = null;
  private running = false;

  constructor(
    private readonly deps: {
      store: LobbyStore;
      lobbies: LobbyService;
      instances: InstanceRegistry;
      publish: Publish;
      graceMs: number;
      log: Pick<Logger, 'warn'>;
      now?: () => number;
    },
  ) {}

  start(intervalMs = JANITOR_INTERVAL_MS) {
    this.timer = setInterval(() => void this.sweep(), intervalMs);
    this.timer.unref();
  }

  /** One pass over every lobby. Concurrent sweeps (other instances) are safe: commands are idempotent. */
  async sweep(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      const alive = new Map<string, boolean>();
      const isAlive = async (id: string) => {
        if (!alive.has(id)) alive.set(id, await this.deps.instances.isAlive(id));
        return alive.get(id)!;
      };
      for (const lobby of await this.deps.store.listAll()) await this.sweepLobby(lobby, isAlive);
    } catch (err) {
      this.deps.log.warn({ err }, 'janitor sweep failed');
    } finally {
      this.running = false;
    }
  }

  private async sweepLobby(lobby: Lobby, isAlive: (id: string) => Promise<boolean>) {
    const now = (this.deps.now ?? Date.now)();
    for (const m of lobby.members) {
      if (m.presence.kind === 'present') {
        const instance = instanceOf(m.connectionId);
        if (!instance || (await isAlive(instance))) continue;
        const r = await this.deps.lobbies.run(lobby.id, {
          type: 'drop',
          playerId: m.id,
          connectionId: m.connectionId,
          now,
        });
        if (r.ok) this.deps.publish(lobby.id, r.data, lobby.game);
      } else if (now - m.presence.since >= this.deps.graceMs) {
        const r = await this.deps.lobbies.run(lobby.id, {
          type: 'expire',
          playerId: m.id,
          since: m.presence.since,
        });
        if (r.ok) this.deps.publish(lobby.id, r.data, lobby.game);
      }
    }
  }

  close() {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
