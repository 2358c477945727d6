import { describe, expect, it } from 'vitest';
import { INTERP_DELAY_MS, MAX_EXTRAPOLATION_MS, SnapshotBuffer, TELEPORT_U, TickClock } from '../../lib/game/interpolation';
import { TICK_MS } from '../../lib/game/constants';
import { playing, place } from './game-helpers';

const at = (tick: number, x: number, vx = 0) => ({ ...place(playing([0, 1]), { 0: { x, y: 0, vx, vy: 0 } }), tick });

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

  it('the tick clock follows the least-delayed arrivals and renders INTERP_DELAY_MS behind', () => {
    const c = new TickClock();
    expect(c.renderTick(0)).toBeNull();
    c.observe(100, 1000); // host tick 100 seen at local 1000 ms
    c.observe(102, 1033.3 + 30); // a late packet: must not pull the clock back much
    expect(c.hostTick(1000)).toBeCloseTo(100, 0);
    c.observe(104, 1000 + 4 * TICK_MS - 5); // an early one: moves the clock forward at once
    expect(c.hostTick(1000)).toBeCloseTo(100 + 5 / TICK_MS, 3);
    expect(c.renderTick(1000)! - c.hostTick(1000)!).toBeCloseTo(-INTERP_DELAY_MS / TICK_MS);
  });
});
