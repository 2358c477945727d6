/** A fixed-window counter per key: `take(key)` is false once `limit` were taken in the current window. */
export class RateWindow {
  private readonly counts = new Map<string, { start: number; n: number }>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number,
  ) {}

  take(key: string): boolean {
    const t = this.now();
    const c = this.counts.get(key);
    if (!c || t - c.start >= this.windowMs) {
      this.counts.set(key, { start: t, n: 1 });
      return true;
    }
    if (c.n >= this.limit) return false;
    c.n++;
    return true;
  }
}
