/** In-memory mesh for game tests: per-message latency with jitter; the unreliable channel loses and reorders. */
import type { ManualScheduler } from '../../lib/game/session/scheduler';
import type {
  GameChannel,
  GameMessageHandler,
  GamePayload,
  GameTransport,
} from '../../lib/game/session/transport';
import { nextRandom } from '../../lib/game/rng';

export interface LinkProfile {
  latencyMs: number;
  jitterMs: number;
  /** Probability in [0, 1] that an unreliable message is lost. */
  loss: number;
}

export class FakeNetwork {
  private readonly peers = new Map<string, Set<GameMessageHandler>>();
  private rng: number;
  delivered = 0;
  dropped = 0;

  constructor(
    private readonly scheduler: ManualScheduler,
    public profile: LinkProfile = { latencyMs: 0, jitterMs: 0, loss: 0 },
    seed = 1,
  ) {
    this.rng = seed;
  }

  private random(): number {
    const r = nextRandom(this.rng);
    this.rng = r.state;
    return r.value;
  }

  /** Disconnects a peer: nothing more reaches it or leaves it. */
  remove(id: string): void {
    this.peers.delete(id);
  }

  join(selfId: string): GameTransport {
    const handlers = new Set<GameMessageHandler>();
    this.peers.set(selfId, handlers);
    const deliver = (to: string, channel: GameChannel, data: GamePayload) => {
      if (!this.peers.has(selfId) || to === selfId) return;
      if (channel === 'unreliable' && this.random() < this.profile.loss) {
        this.dropped++;
        return;
      }
      // Reliable stays ordered: no jitter on it.
      const jitter = channel === 'unreliable' ? this.random() * this.profile.jitterMs : 0;
      const copy = typeof data === 'string' ? data : data.slice();
      this.scheduler.after(this.profile.latencyMs + jitter, () => {
        const target = this.peers.get(to);
        if (!target || !this.peers.has(selfId)) return;
        this.delivered++;
        for (const fn of [...target]) fn(selfId, channel, copy);
      });
    };
    return {
      selfId,
      send: (peerId, channel, data) => deliver(peerId, channel, data),
      broadcast: (channel, data) => {
        for (const id of this.peers.keys()) deliver(id, channel, data);
      },
      onMessage: (fn) => {
        handlers.add(fn);
        return () => void handlers.delete(fn);
      },
    };
  }
}
