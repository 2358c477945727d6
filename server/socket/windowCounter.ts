/**
 * Fixed-window budgets per key, in this process. The same rule as rate-limiter-flexible's
 * RateLimiterMemory (a key's window opens at its first point; past `points` within it the key is
 * refused until the window ends, and refused points still count; `block` refuses a key for a while),
 * at a fraction of the cost: RateLimiterMemory arms one timer per key (a Timeout, a closure and a
 * record per player, connection and address) and answers every point with a promise and a result
 * object, and the signal path charges three budgets per relayed signal. Here a key is one small
 * record in a Map, answers are synchronous, and one unref'd sweep per counter forgets ended windows.
 */
interface Window {
  used: number;
  endsAt: number;
}

export class WindowCounter {
  private readonly windows = new Map<string, Window>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly points: number,
    private readonly windowMs: number,
  ) {
    this.sweeper = setInterval(() => this.sweep(), Math.max(1000, windowMs));
    this.sweeper.unref();
  }

  /** Charges `n` points to `key` (even when refused); true while the key is within its budget. */
  take(key: string, n = 1): boolean {
    const now = Date.now();
    let w = this.windows.get(key);
    if (w === undefined) {
      w = { used: 0, endsAt: now + this.windowMs };
      this.windows.set(key, w);
    } else if (w.endsAt <= now) {
      w.used = 0;
      w.endsAt = now + this.windowMs;
    }
    w.used += n;
    return w.used <= this.points;
  }

  /** Whether the key's budget is used up (or the key is blocked), without charging it. */
  spent(key: string): boolean {
    const w = this.windows.get(key);
    return w !== undefined && w.endsAt > Date.now() && w.used >= this.points;
  }

  /** Refuses the key for `ms`, whatever its budget (a new window of that length, already over). */
  block(key: string, ms: number) {
    this.windows.set(key, { used: this.points + 1, endsAt: Date.now() + ms });
  }

  close() {
    clearInterval(this.sweeper);
  }

  private sweep() {
    const now = Date.now();
    for (const [key, w] of this.windows) if (w.endsAt <= now) this.windows.delete(key);
  }
}
