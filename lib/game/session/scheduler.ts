/** Time and repetition for the game loops, injected so tests drive time by hand. */
import { TICK_MS } from '../constants';

export interface GameScheduler {
  /** Monotonic milliseconds. */
  now(): number;
  /** Call `fn` every `intervalMs` (best effort); returns the canceller. */
  every(intervalMs: number, fn: () => void): () => void;
}

/** Browser/Node scheduler: performance.now + setInterval. The fixed-tick loop absorbs its jitter. */
export function realScheduler(): GameScheduler {
  return {
    now: () => performance.now(),
    every(intervalMs, fn) {
      const id = setInterval(fn, intervalMs);
      return () => clearInterval(id);
    },
  };
}

/** Deterministic scheduler for tests: time moves only in `advance`; timers fire in time order. */
export class ManualScheduler implements GameScheduler {
  private t = 0;
  private nextId = 0;
  private timers = new Map<number, { at: number; every: number | null; fn: () => void }>();

  now(): number {
    return this.t;
  }

  every(intervalMs: number, fn: () => void): () => void {
    const id = this.nextId++;
    this.timers.set(id, { at: this.t + intervalMs, every: intervalMs, fn });
    return () => void this.timers.delete(id);
  }

  after(delayMs: number, fn: () => void): () => void {
    const id = this.nextId++;
    this.timers.set(id, { at: this.t + delayMs, every: null, fn });
    return () => void this.timers.delete(id);
  }

  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      let dueId = -1;
      let dueAt = Infinity;
      for (const [id, timer] of this.timers) {
        if (timer.at <= end && (timer.at < dueAt || (timer.at === dueAt && id < dueId))) {
          dueId = id;
          dueAt = timer.at;
        }
      }
      if (dueId < 0) break;
      const timer = this.timers.get(dueId)!;
      this.t = Math.max(this.t, dueAt);
      if (timer.every === null) this.timers.delete(dueId);
      else timer.at += timer.every;
      timer.fn();
    }
    this.t = end;
  }
}

/** If the page stalls (background tab), run at most this many catch-up ticks, then drop the rest. */
export const MAX_CATCHUP_TICKS = 8;
/** How often the loop wakes up; finer than a tick so ticks are not late by a whole interval. */
export const LOOP_WAKE_MS = 4;

export interface FixedLoopOptions {
  /** A gap this long between two wake-ups means the page was stalled (frozen, suspended), not just late. */
  stallMs: number;
  /**
   * Called once, instead of catching up, when the loop wakes after a stall: the others have moved on
   * meanwhile (see GameSession: a stalled authority hands over), so replaying missed ticks would only
   * fork the match. The loop then counts from now.
   */
  onStall: (gapMs: number) => void;
}

/** A running fixed-tick loop. */
export interface FixedLoop {
  stop(): void;
  /**
   * Run the next tick now and count the following ones from here: a client calls it when the player's
   * input changes, so the change leaves at once instead of up to a tick later. Ignored within
   * EARLY_TICK_MIN_GAP_MS of the previous tick (that tick sampled nearly the same input).
   */
  tickNow(): void;
}

/** See FixedLoop.tickNow. */
export const EARLY_TICK_MIN_GAP_MS = 4;

/**
 * A fixed-tick loop on any scheduler: counts ticks due since start from the clock, not from the number
 * of callbacks, so timer jitter changes when ticks run but not how many.
 */
export function startFixedLoop(
  scheduler: GameScheduler,
  tick: () => void,
  tickMs: number = TICK_MS,
  opts?: FixedLoopOptions,
): FixedLoop {
  let origin = scheduler.now();
  // Measured from the first wake-up: the wait for the first one (a page busy drawing the new match) is no stall.
  let lastWake: number | null = null;
  let lastTick = -Infinity;
  let done = 0;
  const stop = scheduler.every(Math.min(LOOP_WAKE_MS, tickMs), () => {
    const now = scheduler.now();
    const gap = lastWake === null ? 0 : now - lastWake;
    lastWake = now;
    if (opts && gap > opts.stallMs) {
      origin = now - done * tickMs;
      opts.onStall(gap);
      return;
    }
    let due = Math.floor((now - origin) / tickMs) - done;
    if (due > MAX_CATCHUP_TICKS) {
      origin += (due - MAX_CATCHUP_TICKS) * tickMs;
      due = MAX_CATCHUP_TICKS;
    }
    for (let i = 0; i < due; i++) {
      done++;
      lastTick = now;
      tick();
    }
  });
  return {
    stop,
    tickNow() {
      const now = scheduler.now();
      if (now - lastTick < EARLY_TICK_MIN_GAP_MS) return;
      done++;
      lastTick = now;
      // The next regular tick is one interval from now (not from the skipped slot): no tick twice in a row.
      origin = now - done * tickMs;
      tick();
    },
  };
}
