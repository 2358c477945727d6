/**
 * Interpolation of remote pucks: the client draws others slightly in the past, between the two snapshots
 * around that moment, so 60 Hz snapshots over a jittery network render smoothly at any frame rate. How
 * far in the past adapts to the network (AdaptiveDelay): one snapshot interval plus the lateness seen
 * recently — about 25 ms on a quiet link, more on a jittery one — instead of a fixed 100 ms.
 */
import { SNAPSHOT_EVERY_TICKS, TICK_MS } from './constants';
import type { GameState, PuckStatus } from './types';

export const SNAPSHOT_INTERVAL_MS = SNAPSHOT_EVERY_TICKS * TICK_MS;
/** Safety on top of the measured lateness (timer granularity of the drawing and tick loops). */
export const JITTER_MARGIN_MS = 4;
/**
 * Bounds of the delay: never less than a snapshot interval (always two snapshots to blend), never more than
 * the fixed delay it replaced: past that, extrapolation along the velocity bridges the gap.
 */
export const MIN_INTERP_DELAY_MS = SNAPSHOT_INTERVAL_MS + JITTER_MARGIN_MS;
export const MAX_INTERP_DELAY_MS = 100;
/** Lateness is judged over the last this many arrivals (2 s of snapshots). */
export const JITTER_WINDOW = Math.round(2000 / SNAPSHOT_INTERVAL_MS);
/**
 * The delay covers this share of recent arrivals, not the worst one: on a busy machine a rare stall of
 * 100+ ms would otherwise hold every remote puck that far back. A snapshot later than that costs a few
 * frames of extrapolation along its velocity (SnapshotBuffer.sample), not a freeze.
 */
export const JITTER_COVERED = 0.9;
/** When the network calms down the delay comes down this fast (a sudden drop would skip motion). */
export const DELAY_FALL_MS_PER_S = 25;
/** Past the newest snapshot, extrapolate along the velocity at most this long, then hold. */
export const MAX_EXTRAPOLATION_MS = 100;
/** A jump longer than this between two snapshots is a respawn: snap, do not slide across the arena. */
export const TELEPORT_U = 120;
export const MAX_BUFFERED_SNAPSHOTS = 32;

export interface PuckSample {
  x: number;
  y: number;
  vx: number;
  vy: number;
  status: PuckStatus;
  dashing: boolean;
}

interface Frame {
  tick: number;
  pucks: Map<number, PuckSample>;
}

export class SnapshotBuffer {
  private frames: Frame[] = [];

  get size(): number {
    return this.frames.length;
  }

  get newestTick(): number | null {
    return this.frames.length ? this.frames[this.frames.length - 1]!.tick : null;
  }

  /** Add a snapshot; duplicates and out-of-order arrivals older than the buffer are ignored. */
  push(state: GameState): void {
    const frame: Frame = {
      tick: state.tick,
      pucks: new Map(
        state.players.map((p) => [
          p.slot,
          { x: p.x, y: p.y, vx: p.vx, vy: p.vy, status: p.status, dashing: p.dashActiveTicks > 0 },
        ]),
      ),
    };
    const first = this.frames[0];
    if (first && frame.tick < first.tick) return;
    let i = this.frames.length;
    while (i > 0 && this.frames[i - 1]!.tick > frame.tick) i--;
    if (i > 0 && this.frames[i - 1]!.tick === frame.tick) return;
    this.frames.splice(i, 0, frame);
    if (this.frames.length > MAX_BUFFERED_SNAPSHOTS) this.frames.shift();
  }

  clear(): void {
    this.frames = [];
  }

  /** Positions at a fractional server tick. */
  sample(renderTick: number): Map<number, PuckSample> {
    const out = new Map<number, PuckSample>();
    const frames = this.frames;
    if (frames.length === 0) return out;
    const first = frames[0]!;
    if (renderTick <= first.tick) return new Map(first.pucks);
    const last = frames[frames.length - 1]!;
    if (renderTick >= last.tick) {
      const aheadS = Math.min(renderTick - last.tick, MAX_EXTRAPOLATION_MS / TICK_MS) * (TICK_MS / 1000);
      for (const [slot, p] of last.pucks) {
        const moves = p.status !== 'spectator';
        out.set(slot, { ...p, x: moves ? p.x + p.vx * aheadS : p.x, y: moves ? p.y + p.vy * aheadS : p.y });
      }
      return out;
    }
    let bi = 1;
    while (frames[bi]!.tick <= renderTick) bi++;
    const a = frames[bi - 1]!;
    const b = frames[bi]!;
    const f = (renderTick - a.tick) / (b.tick - a.tick);
    for (const [slot, pb] of b.pucks) {
      const pa = a.pucks.get(slot);
      if (!pa || Math.hypot(pb.x - pa.x, pb.y - pa.y) > TELEPORT_U) {
        out.set(slot, { ...pb });
        continue;
      }
      out.set(slot, {
        ...(f < 0.5 ? pa : pb),
        x: pa.x + (pb.x - pa.x) * f,
        y: pa.y + (pb.y - pa.y) * f,
        vx: pa.vx + (pb.vx - pa.vx) * f,
        vy: pa.vy + (pb.vy - pa.vy) * f,
      });
    }
    return out;
  }
}

/**
 * The interpolation delay, from how late snapshots arrive. Lateness = how much later than the fastest
 * recent arrival a snapshot came (TickClock measures it). To have a snapshot newer than the moment drawn,
 * the delay must cover one snapshot interval plus the lateness of JITTER_COVERED of arrivals: it rises to
 * that at once (running dry makes pucks stutter), and falls back slowly once the window is calmer.
 */
export class AdaptiveDelay {
  private readonly late: number[] = [];
  private current = MIN_INTERP_DELAY_MS;
  private lastMs: number | null = null;

  constructor(private readonly intervalMs: number = SNAPSHOT_INTERVAL_MS) {}

  observe(lateMs: number, nowMs: number): void {
    this.late.push(Math.max(0, lateMs));
    if (this.late.length > JITTER_WINDOW) this.late.shift();
    const target = this.target();
    if (target >= this.current) this.current = target;
    else if (this.lastMs !== null)
      this.current = Math.max(target, this.current - ((nowMs - this.lastMs) / 1000) * DELAY_FALL_MS_PER_S);
    this.lastMs = nowMs;
  }

  /** The lateness JITTER_COVERED of the window's arrivals stay within: the jitter the delay allows for. */
  get jitterMs(): number {
    if (this.late.length === 0) return 0;
    const sorted = [...this.late].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * JITTER_COVERED) - 1)]!;
  }

  get delayMs(): number {
    return this.current;
  }

  reset(): void {
    this.late.length = 0;
    this.current = MIN_INTERP_DELAY_MS;
    this.lastMs = null;
  }

  private target(): number {
    return Math.min(
      MAX_INTERP_DELAY_MS,
      Math.max(MIN_INTERP_DELAY_MS, this.intervalMs + this.jitterMs + JITTER_MARGIN_MS),
    );
  }
}

/**
 * Estimates the host's tick from the local clock. The offset follows the fastest arrivals (least
 * delayed) at once and drifts down slowly, so one late packet does not pull the render clock back.
 */
export const CLOCK_DRIFT_DOWN_FRACTION = 0.02;

export class TickClock {
  private offsetMs: number | null = null;
  readonly delay = new AdaptiveDelay();

  observe(tick: number, nowMs: number): void {
    const sample = tick * TICK_MS - nowMs;
    if (this.offsetMs === null || sample > this.offsetMs) this.offsetMs = sample;
    else this.offsetMs += (sample - this.offsetMs) * CLOCK_DRIFT_DOWN_FRACTION;
    this.delay.observe(this.offsetMs - sample, nowMs);
  }

  /** The host's current tick (fractional), or null before the first snapshot. */
  hostTick(nowMs: number): number | null {
    return this.offsetMs === null ? null : (nowMs + this.offsetMs) / TICK_MS;
  }

  /** The tick to draw remote pucks at: the adaptive delay behind the host. */
  renderTick(nowMs: number): number | null {
    const t = this.hostTick(nowMs);
    return t === null ? null : t - this.delay.delayMs / TICK_MS;
  }

  reset(): void {
    this.offsetMs = null;
    this.delay.reset();
  }
}
