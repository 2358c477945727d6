/**
 * Interpolation of remote pucks: the client draws others slightly in the past (INTERP_DELAY_MS), between
 * the two snapshots around that moment, so 30 Hz snapshots over a jittery network render smoothly at
 * any frame rate.
 */
import { TICK_MS } from './constants';
import type { GameState, PuckStatus } from './types';

export const INTERP_DELAY_MS = 100;
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
        state.players.map((p) => [p.slot, { x: p.x, y: p.y, vx: p.vx, vy: p.vy, status: p.status, dashing: p.dashActiveTicks > 0 }]),
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
 * Estimates the host's tick from the local clock. The offset follows the fastest arrivals (least
 * delayed) at once and drifts down slowly, so one late packet does not pull the render clock back.
 */
export const CLOCK_DRIFT_DOWN_FRACTION = 0.02;

export class TickClock {
  private offsetMs: number | null = null;

  observe(tick: number, nowMs: number): void {
    const sample = tick * TICK_MS - nowMs;
    if (this.offsetMs === null || sample > this.offsetMs) this.offsetMs = sample;
    else this.offsetMs += (sample - this.offsetMs) * CLOCK_DRIFT_DOWN_FRACTION;
  }

  /** The host's current tick (fractional), or null before the first snapshot. */
  hostTick(nowMs: number): number | null {
    return this.offsetMs === null ? null : (nowMs + this.offsetMs) / TICK_MS;
  }

  /** The tick to draw remote pucks at: INTERP_DELAY_MS behind the host. */
  renderTick(nowMs: number): number | null {
    const t = this.hostTick(nowMs);
    return t === null ? null : t - INTERP_DELAY_MS / TICK_MS;
  }

  reset(): void {
    this.offsetMs = null;
  }
}
