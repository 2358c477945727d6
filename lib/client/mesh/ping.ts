import { PING_TIMEOUT_MS, RTT_SMOOTHING } from './constants';

/**
 * Application-level RTT over whatever route the pair uses. A ping is 5 bytes and its pong is sent
 * from the receiving channel's message handler, so the measure is close to a raw channel ping.
 */
export class PingTracker {
  private nextId = 1;
  private readonly sent = new Map<number, number>();
  private smoothed: number | null = null;

  constructor(private readonly now: () => number = () => performance.now()) {}

  /** Records a ping about to be sent; returns its id. */
  start(): number {
    const now = this.now();
    // Forget pings that will never be answered (lost on an unreliable channel).
    for (const [id, at] of this.sent) if (now - at > PING_TIMEOUT_MS) this.sent.delete(id);
    const id = this.nextId;
    this.nextId = (this.nextId + 1) >>> 0 || 1;
    this.sent.set(id, now);
    return id;
  }

  /** The round trip of a pong, or null for an unknown or late id. */
  finish(id: number): number | null {
    const at = this.sent.get(id);
    if (at === undefined) return null;
    this.sent.delete(id);
    const rtt = this.now() - at;
    this.smoothed = this.smoothed === null ? rtt : this.smoothed + RTT_SMOOTHING * (rtt - this.smoothed);
    return rtt;
  }

  /** Smoothed RTT in ms, null before the first pong. */
  get rttMs() {
    return this.smoothed;
  }
}
