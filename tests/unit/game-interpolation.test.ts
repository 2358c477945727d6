import { describe, expect, it } from 'vitest';
import {
  AdaptiveDelay,
  JITTER_WINDOW,
  MAX_EXTRAPOLATION_MS,
  MAX_INTERP_DELAY_MS,
  MIN_INTERP_DELAY_MS,
  SNAPSHOT_INTERVAL_MS,
  SnapshotBuffer,
  TELEPORT_U,
  TickClock,
} from '../../lib/game/interpolation';
import { nextRandom } from '../../lib/game/rng';
import { TICK_MS } from '../../lib/game/constants';
import { playing, place } from './game-helpers';

const at = (tick: number, x: number, vx = 0) => ({
  ...place(playing([0, 1]), { 0: { x, y: 0, vx, vy: 0 } }),
  tick,
});

describe('interpolation', () => {
  it('samples between the two surrounding snapshots', () => {
    const b = new SnapshotBuffer();
    b.push(at(10, 0));
    b.push(at(12, 20));
    expect(b.sample(11).get(0)!.x).toBeCloseTo(10);
    expect(b.sample(11.5).get(0)!.x).toBeCloseTo(15);
    expect(b.sample(5).get(0)!.x).toBe(0);
  });

  it('accepts out-of-order arrivals and ignores duplicates', () => {
    const b = new SnapshotBuffer();
    b.push(at(10, 0));
    b.push(at(14, 40));
    b.push(at(12, 20));
    b.push(at(12, 999));
    expect(b.size).toBe(3);
    expect(b.sample(13).get(0)!.x).toBeCloseTo(30);
  });

  it('extrapolates past the newest snapshot along the velocity, capped, then holds', () => {
    const b = new SnapshotBuffer();
    b.push(at(10, 0, 60));
    const oneTickS = TICK_MS / 1000;
    expect(b.sample(11).get(0)!.x).toBeCloseTo(60 * oneTickS);
    const capS = MAX_EXTRAPOLATION_MS / 1000;
    expect(b.sample(1000).get(0)!.x).toBeCloseTo(60 * capS);
  });

  it('snaps across teleports (respawns) instead of sliding', () => {
    const b = new SnapshotBuffer();
    b.push(at(10, 0));
    b.push(at(12, TELEPORT_U + 50));
    expect(b.sample(11).get(0)!.x).toBe(TELEPORT_U + 50);
  });

  it('the tick clock follows the least-delayed arrivals and renders the adaptive delay behind', () => {
    const c = new TickClock();
    expect(c.renderTick(0)).toBeNull();
    c.observe(100, 1000); // host tick 100 seen at local 1000 ms
    c.observe(102, 1033.3 + 30); // a late packet: must not pull the clock back much
    expect(c.hostTick(1000)).toBeCloseTo(100, 0);
    c.observe(104, 1000 + 4 * TICK_MS - 5); // an early one: moves the clock forward at once
    expect(c.hostTick(1000)).toBeCloseTo(100 + 5 / TICK_MS, 3);
    expect(c.renderTick(1000)! - c.hostTick(1000)!).toBeCloseTo(-c.delay.delayMs / TICK_MS);
    // The late packet (30 ms) is in the window: the delay allows for it.
    expect(c.delay.jitterMs).toBeGreaterThan(29);
    expect(c.delay.delayMs).toBeGreaterThan(SNAPSHOT_INTERVAL_MS + 29);
  });
});

/** Arrivals of snapshots (one per SNAPSHOT_INTERVAL_MS) with a uniformly random extra delay of up to `jitterMs`; returns the clock time. */
function feed(clock: TickClock, fromTick: number, count: number, jitterMs: number, seed = 1) {
  let rng = seed;
  let now = 0;
  for (let i = 0; i < count; i++) {
    const tick = fromTick + i * 2;
    const r = nextRandom(rng);
    rng = r.state;
    now = tick * TICK_MS + 20 + r.value * jitterMs;
    clock.observe(tick, now);
  }
  return now;
}

describe('adaptive interpolation delay', () => {
  it('on a steady link it is one snapshot interval plus a margin, far below the old fixed 100 ms', () => {
    const c = new TickClock();
    feed(c, 0, 200, 0);
    expect(c.delay.delayMs).toBeCloseTo(MIN_INTERP_DELAY_MS, 6);
    expect(c.delay.delayMs).toBeLessThan(40);
  });

  it('covers the jitter it measures: a drawn moment always has a snapshot after it', () => {
    const c = new TickClock();
    const newestArrived: number[] = [];
    let rng = 9;
    for (let i = 0; i < 600; i++) {
      const tick = i * 2;
      const r = nextRandom(rng);
      rng = r.state;
      const now = tick * TICK_MS + 20 + r.value * 30;
      c.observe(tick, now);
      newestArrived.push(tick);
      if (i > JITTER_WINDOW)
        expect(c.renderTick(now)!).toBeLessThanOrEqual(Math.max(...newestArrived.slice(-3)));
    }
    expect(c.delay.jitterMs).toBeGreaterThan(20);
    expect(c.delay.jitterMs).toBeLessThanOrEqual(30);
    expect(c.delay.delayMs).toBeGreaterThan(SNAPSHOT_INTERVAL_MS + 20);
    expect(c.delay.delayMs).toBeLessThanOrEqual(SNAPSHOT_INTERVAL_MS + 30 + 4);
  });

  it('a rare stall does not hold every remote puck back: the delay covers most arrivals, not the worst', () => {
    const d = new AdaptiveDelay();
    let t = 0;
    for (let i = 0; i < JITTER_WINDOW; i++) d.observe(i % 30 === 29 ? 150 : 3, (t += SNAPSHOT_INTERVAL_MS));
    expect(d.jitterMs).toBe(3);
    expect(d.delayMs).toBeLessThan(MIN_INTERP_DELAY_MS + 5);
    // When late arrivals are common (one in five), the delay follows them.
    for (let i = 0; i < JITTER_WINDOW; i++) d.observe(i % 5 === 4 ? 40 : 3, (t += SNAPSHOT_INTERVAL_MS));
    expect(d.jitterMs).toBe(40);
    expect(d.delayMs).toBeGreaterThan(SNAPSHOT_INTERVAL_MS + 40);
  });

  it('is bounded above, and comes back down slowly once the link calms', () => {
    const d = new AdaptiveDelay();
    d.observe(1000, 0);
    expect(d.delayMs).toBe(MAX_INTERP_DELAY_MS);
    // Calm arrivals for 2 s flush the window: the delay falls, but at a bounded rate, not in one jump.
    let t = 0;
    for (let i = 0; i < JITTER_WINDOW; i++) d.observe(0, (t += SNAPSHOT_INTERVAL_MS));
    const afterWindow = d.delayMs;
    expect(afterWindow).toBeLessThan(MAX_INTERP_DELAY_MS);
    expect(afterWindow).toBeGreaterThan(MAX_INTERP_DELAY_MS - 60);
    for (let i = 0; i < 300; i++) d.observe(0, (t += SNAPSHOT_INTERVAL_MS));
    expect(d.delayMs).toBe(MIN_INTERP_DELAY_MS);
    d.observe(-5, t);
    expect(d.delayMs).toBe(MIN_INTERP_DELAY_MS);
  });
});
