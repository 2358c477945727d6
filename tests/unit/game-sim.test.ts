import { describe, expect, it } from 'vitest';
import {
  ARENA_MIN_RADIUS_U,
  ARENA_START_RADIUS_U,
  COUNTDOWN_TICKS,
  DASH_COOLDOWN_TICKS,
  KO_CREDIT_TICKS,
  POINTS_PER_KO,
  POINTS_PER_ROUND_WIN,
  PUCK_RADIUS_U,
  ROUND_MAX_TICKS,
  ROUND_OVER_TICKS,
  SHRINK_END_TICKS,
} from '../../lib/game/constants';
import {
  addPlayer,
  arenaRadiusAt,
  cloneState,
  createMatch,
  rematch,
  removePlayer,
  step,
} from '../../lib/game/sim';
import { NO_SLOT } from '../../lib/game/types';
import { place, playing, puck, randomInputs, runTicks } from './game-helpers';

const ALL8 = [0, 1, 2, 3, 4, 5, 6, 7];

describe('Ring Out sim: determinism and purity', () => {
  it('same seed and inputs give deep-equal states after 3,000 ticks with 8 players', () => {
    const run = () => {
      const inputs = randomInputs(42);
      return runTicks(createMatch({ seed: 1234, slots: ALL8 }), 3000, (s) =>
        inputs(s.players.map((p) => p.slot)),
      );
    };
    const a = run();
    const b = run();
    expect(a.state).toEqual(b.state);
    expect(a.events).toEqual(b.events);
    // The run really played: someone was knocked out and time moved on.
    expect(a.events.some((e) => e.type === 'knockout')).toBe(true);
    expect(a.state.tick).toBe(3000);
  });

  it('a different seed gives a different layout', () => {
    const a = createMatch({ seed: 1, slots: [0, 1, 2] });
    const b = createMatch({ seed: 2, slots: [0, 1, 2] });
    expect(a.players.map((p) => [p.x, p.y])).not.toEqual(b.players.map((p) => [p.x, p.y]));
  });

  it('step never mutates its input state', () => {
    const s = playing([0, 1]);
    const frozen = cloneState(s);
    step(s, new Map([[0, { x: 1, y: 0, dash: true }]]));
    expect(s).toEqual(frozen);
  });

  it('garbage inputs (NaN, huge) are sanitized, never poison the state', () => {
    const s = playing([0, 1]);
    const r = step(s, new Map([[0, { x: NaN, y: 1e9, dash: true }]]));
    for (const p of r.state.players) expect(Number.isFinite(p.x) && Number.isFinite(p.vy)).toBe(true);
  });
});

describe('Ring Out sim: physics', () => {
  it('pucks hold still during the countdown', () => {
    const s = createMatch({ seed: 3, slots: [0, 1] });
    const after = runTicks(s, COUNTDOWN_TICKS - 1, () => new Map([[0, { x: 1, y: 0, dash: true }]])).state;
    expect(puck(after, 0).x).toBe(puck(s, 0).x);
    expect(after.phase).toBe('countdown');
  });

  it('overlapping pucks are pushed apart and bounce away from each other', () => {
    let s = playing([0, 1]);
    s = place(s, { 0: { x: -10, y: 0, vx: 200, vy: 0 }, 1: { x: 10, y: 0, vx: -200, vy: 0 } });
    const after = step(s, new Map()).state;
    const a = puck(after, 0);
    const b = puck(after, 1);
    expect(Math.hypot(b.x - a.x, b.y - a.y)).toBeGreaterThanOrEqual(2 * PUCK_RADIUS_U - 0.1);
    expect(a.vx).toBeLessThan(0);
    expect(b.vx).toBeGreaterThan(0);
    expect(a.lastHitBy).toBe(1);
    expect(b.lastHitBy).toBe(0);
  });

  it('a dashing puck is heavier: it wins a head-on bump', () => {
    const bump = (dashing: boolean) => {
      let s = playing([0, 1]);
      s = place(s, {
        0: { x: -30, y: 0, vx: 300, vy: 0, dashActiveTicks: dashing ? 10 : 0 },
        1: { x: 30, y: 0, vx: -300, vy: 0 },
      });
      const after = runTicks(s, 6).state;
      return { a: puck(after, 0).vx, b: puck(after, 1).vx };
    };
    const even = bump(false);
    expect(Math.abs(even.b)).toBeCloseTo(Math.abs(even.a), 0);
    const dash = bump(true);
    expect(Math.abs(dash.b)).toBeGreaterThan(3 * Math.abs(dash.a));
  });

  it('a puck left alone comes to rest (no creeping on the velocity grid)', () => {
    let s = playing([0, 1]);
    s = place(s, { 0: { x: 0, y: 0, vx: 37, vy: -11 } });
    const after = runTicks(s, 120).state;
    expect(puck(after, 0)).toMatchObject({ vx: 0, vy: 0 });
    const x = puck(after, 0).x;
    expect(puck(runTicks(after, 60).state, 0).x).toBe(x);
  });

  it('dash has a cooldown', () => {
    let s = playing([0, 1]);
    s = place(s, { 0: { x: 0, y: 0, vx: 0, vy: 0 }, 1: { x: 200, y: 200 } });
    const dash = new Map([[0, { x: 1, y: 0, dash: true }]]);
    const s1 = step(s, dash).state;
    expect(puck(s1, 0).dashCooldownTicks).toBe(DASH_COOLDOWN_TICKS);
    const v1 = puck(s1, 0).vx;
    const s2 = step(s1, dash).state;
    // Second press during cooldown: only ordinary acceleration (and drag), no second impulse.
    expect(puck(s2, 0).vx).toBeLessThan(v1 + 50);
  });

  it('the arena shrinks from the start radius to the minimum', () => {
    expect(arenaRadiusAt(0)).toBe(ARENA_START_RADIUS_U);
    expect(arenaRadiusAt(SHRINK_END_TICKS)).toBe(ARENA_MIN_RADIUS_U);
    const mid = arenaRadiusAt((SHRINK_END_TICKS * 2) / 3);
    expect(mid).toBeLessThan(ARENA_START_RADIUS_U);
    expect(mid).toBeGreaterThan(ARENA_MIN_RADIUS_U);
  });
});

describe('Ring Out sim: knockouts and scoring', () => {
  it('leaving the ring eliminates; with nobody touching, nobody is credited', () => {
    let s = playing([0, 1, 2]);
    s = place(s, { 0: { x: ARENA_START_RADIUS_U - 1, y: 0, vx: 300, vy: 0 } });
    const r = step(s, new Map());
    expect(puck(r.state, 0).status).toBe('out');
    expect(r.events).toContainEqual({ type: 'knockout', victim: 0, by: null });
    expect(r.state.players.every((p) => p.score === 0)).toBe(true);
  });

  it('credits the last player who touched the victim', () => {
    let s = playing([0, 1, 2]);
    // 1 shoves 0 toward the edge at +x.
    s = place(s, {
      0: { x: ARENA_START_RADIUS_U - 60, y: 0, vx: 0, vy: 0 },
      1: { x: ARENA_START_RADIUS_U - 60 - 2 * PUCK_RADIUS_U + 2, y: 0, vx: 600, vy: 0 },
      2: { x: -200, y: 0 },
    });
    const r = runTicks(s, 30);
    expect(puck(r.state, 0).status).toBe('out');
    expect(r.events).toContainEqual({ type: 'knockout', victim: 0, by: 1 });
    expect(puck(r.state, 1).knockouts).toBe(1);
    expect(puck(r.state, 1).score).toBe(POINTS_PER_KO);
  });

  it('a touch older than the credit window earns nothing', () => {
    let s = playing([0, 1, 2]);
    s = place(s, {
      0: {
        x: ARENA_START_RADIUS_U - 1,
        y: 0,
        vx: 300,
        vy: 0,
        lastHitBy: 1,
        lastHitAgeTicks: KO_CREDIT_TICKS,
      },
      1: { x: -100, y: 0 },
      2: { x: -200, y: 100 },
    });
    const r = step(s, new Map());
    expect(r.events).toContainEqual({ type: 'knockout', victim: 0, by: null });
    expect(puck(r.state, 1).score).toBe(0);
  });

  it('the last one in the ring wins the round, then the next round counts down with everyone back', () => {
    let s = playing([0, 1]);
    s = place(s, { 1: { x: ARENA_START_RADIUS_U - 1, y: 0, vx: 300, vy: 0 } });
    const r = step(s, new Map());
    expect(r.state.phase).toBe('roundOver');
    expect(r.events).toContainEqual({ type: 'roundEnd', round: 1, winners: [0] });
    expect(puck(r.state, 0).score).toBe(POINTS_PER_ROUND_WIN);
    expect(puck(r.state, 0).roundWins).toBe(1);
    const next = runTicks(r.state, ROUND_OVER_TICKS);
    expect(next.state.phase).toBe('countdown');
    expect(next.state.round).toBe(2);
    expect(next.state.players.every((p) => p.status === 'alive')).toBe(true);
    expect(next.state.arenaRadius).toBe(ARENA_START_RADIUS_U);
  });

  it('at the time limit everyone still in wins', () => {
    let s = playing([0, 1, 2]);
    s = { ...place(s, { 2: { status: 'out' } }), phaseTicks: ROUND_MAX_TICKS - 1 };
    s = place(s, { 0: { x: -40, y: 0 }, 1: { x: 40, y: 0 } });
    const r = step(s, new Map());
    expect(r.events).toContainEqual({ type: 'roundEnd', round: 1, winners: [0, 1] });
  });

  it('plays a whole match to matchOver, then a rematch resets scores', () => {
    let s = createMatch({ seed: 9, slots: [0, 1], roundsTotal: 2 });
    const events = [];
    for (let round = 0; round < 2; round++) {
      s = runTicks(s, COUNTDOWN_TICKS).state;
      s = place(s, { 1: { x: ARENA_START_RADIUS_U - 1, y: 0, vx: 300, vy: 0 } });
      const r = runTicks(s, 1 + ROUND_OVER_TICKS);
      s = r.state;
      events.push(...r.events);
    }
    expect(s.phase).toBe('matchOver');
    expect(events).toContainEqual({ type: 'matchEnd', winners: [0] });
    expect(puck(s, 0).score).toBe(2 * POINTS_PER_ROUND_WIN);
    const again = rematch(s);
    expect(again.phase).toBe('countdown');
    expect(again.round).toBe(1);
    expect(again.players.every((p) => p.score === 0 && p.status === 'alive')).toBe(true);
    expect(rematch(playing([0, 1]))).toEqual(playing([0, 1]));
  });
});

describe('Ring Out sim: joining and leaving', () => {
  it('a mid-round joiner spectates (does not move or collide) until the next round', () => {
    let s = playing([0, 1, 2]);
    s = addPlayer(s, 5);
    expect(puck(s, 5).status).toBe('spectator');
    const later = runTicks(s, 30, () => new Map([[5, { x: 1, y: 0, dash: true }]])).state;
    expect(puck(later, 5)).toMatchObject({ x: 0, y: 0, status: 'spectator' });
    // End the round: two fall out.
    const ended = runTicks(
      place(later, { 1: { x: 400, vx: 300 }, 2: { x: -400, vx: -300 } }),
      1 + ROUND_OVER_TICKS,
    ).state;
    expect(ended.phase).toBe('countdown');
    expect(puck(ended, 5).status).toBe('alive');
  });

  it('joining during the countdown enters the round at once', () => {
    const s = addPlayer(createMatch({ seed: 5, slots: [0, 1] }), 2);
    expect(puck(s, 2).status).toBe('alive');
    expect(Math.hypot(puck(s, 2).x, puck(s, 2).y)).toBeGreaterThan(100);
  });

  it('joining a lone player mid-round restarts the countdown so nobody waits a whole round', () => {
    const s = addPlayer(playing([0]), 1);
    expect(s.phase).toBe('countdown');
    expect(puck(s, 1).status).toBe('alive');
  });

  it('rejects duplicate and invalid slots', () => {
    const s = playing([0, 1]);
    expect(addPlayer(s, 1)).toBe(s);
    expect(addPlayer(s, 8)).toBe(s);
    expect(addPlayer(s, -1)).toBe(s);
  });

  it('a player leaving mid-round can end it and is never credited', () => {
    let s = playing([0, 1, 2]);
    s = place(s, { 0: { lastHitBy: 2, lastHitAgeTicks: 0 } });
    s = removePlayer(s, 2);
    expect(s.players.map((p) => p.slot)).toEqual([0, 1]);
    expect(puck(s, 0).lastHitBy).toBe(NO_SLOT);
    s = removePlayer(s, 1);
    const r = step(s, new Map());
    // Only one participant is left: the round keeps going until they fall or time runs out.
    expect(r.state.phase).toBe('play');
    expect(removePlayer(s, 6)).toBe(s);
  });
});
