import { describe, expect, it } from 'vitest';
import { renderArena, worldScale } from '../../components/game/renderArena';
import { ARENA_START_RADIUS_U } from '../../lib/game/constants';
import type { RenderPuck, RenderState } from '../../lib/game/renderState';
import type { Phase } from '../../lib/game/types';

/** A CanvasRenderingContext2D stand-in that records every call and property write. */
function recordingContext() {
  const calls: { name: string; args: unknown[] }[] = [];
  const gradient = { addColorStop: () => {} };
  const ctx = new Proxy({} as Record<string, unknown>, {
    get(target, prop: string) {
      if (prop in target) return target[prop];
      return (...args: unknown[]) => {
        calls.push({ name: prop, args });
        // measureText: about 0.6 em per character of the 44 px headline font.
        if (prop === 'measureText') return { width: String(args[0]).length * 26 };
        return prop.startsWith('create') ? gradient : undefined;
      };
    },
    set(target, prop: string, value) {
      target[prop] = value;
      calls.push({ name: `set:${prop}`, args: [value] });
      return true;
    },
  });
  return { ctx: ctx as unknown as CanvasRenderingContext2D, calls };
}

const puck = (slot: number, extra: Partial<RenderPuck> = {}): RenderPuck => ({
  slot,
  x: slot * 50,
  y: 0,
  vx: 100,
  vy: 0,
  status: 'alive',
  dashing: false,
  color: '#ff0000',
  nickname: `p${slot}`,
  isSelf: slot === 0,
  trail: [],
  ...extra,
});

const frame = (phase: Phase, extra: Partial<RenderState> = {}): RenderState => ({
  phase,
  secondsLeft: 3,
  round: 1,
  roundsTotal: 5,
  arenaRadius: 300,
  arenaStartRadius: ARENA_START_RADIUS_U,
  shrinking: true,
  selfSlot: 0,
  dashReady: 0.5,
  pucks: [
    puck(0),
    puck(1, {
      dashing: true,
      trail: [
        { x: 10, y: 0 },
        { x: 20, y: 0 },
      ],
    }),
    puck(2, { status: 'out', x: 400 }),
    puck(3, { status: 'spectator' }),
  ],
  bursts: [{ x: 400, y: 0, color: '#00ff00', ageMs: 200, seed: 17 }],
  winners: [1],
  scoreboard: [0, 1, 2, 3].map((slot) => ({
    slot,
    nickname: `p${slot}`,
    color: '#fff',
    score: slot,
    knockouts: 0,
    roundWins: 0,
    isSelf: slot === 0,
  })),
  ...extra,
});

const VIEW = { width: 800, height: 600, devicePixelRatio: 2 };

describe('renderArena', () => {
  it('draws every phase; labels are text (fillText), spectators are not drawn', () => {
    for (const phase of ['countdown', 'play', 'roundOver', 'matchOver'] as const) {
      const { ctx, calls } = recordingContext();
      renderArena(ctx, frame(phase), VIEW, 1234);
      const texts = calls.filter((c) => c.name === 'fillText').map((c) => c.args[0]);
      expect(texts).toContain('p0');
      expect(texts).toContain('p2');
      // Spectator p3 has no label over a puck (only its scoreboard line "p3  3", where it fits).
      expect(texts).not.toContain('p3');
      const saves = calls.filter((c) => c.name === 'save').length;
      expect(calls.filter((c) => c.name === 'restore').length).toBe(saves);
    }
  });

  it('is a pure function of its inputs: same arguments, same drawing calls', () => {
    const a = recordingContext();
    const b = recordingContext();
    renderArena(a.ctx, frame('play'), VIEW, 5000);
    renderArena(b.ctx, frame('play'), VIEW, 5000);
    const plain = (calls: typeof a.calls) =>
      JSON.stringify(calls.map((c) => [c.name, c.args.map((x) => (typeof x === 'object' ? 'gradient' : x))]));
    expect(plain(a.calls)).toEqual(plain(b.calls));
    expect(a.calls.length).toBeGreaterThan(50);
  });

  it('the ring pulses over time', () => {
    const widths = [0, 110, 220].map((t) => {
      const r = recordingContext();
      renderArena(r.ctx, frame('play'), VIEW, t);
      return r.calls.filter((c) => c.name === 'set:lineWidth').map((c) => c.args[0])[1];
    });
    expect(new Set(widths).size).toBeGreaterThan(1);
  });

  it('the headline shrinks to fit a narrow (phone) arena instead of being clipped', () => {
    const headlineSizes = (width: number) => {
      const { ctx, calls } = recordingContext();
      const long = frame('roundOver', {
        winners: [1],
        scoreboard: [
          {
            slot: 1,
            nickname: 'Bartholomew',
            color: '#fff',
            score: 3,
            knockouts: 0,
            roundWins: 1,
            isSelf: false,
          },
        ],
      });
      renderArena(ctx, long, { width, height: width, devicePixelRatio: 2 }, 0);
      return calls
        .filter((c) => c.name === 'set:font' && String(c.args[0]).startsWith('800'))
        .map((c) => parseInt(String(c.args[0]).slice(4), 10));
    };
    expect(Math.min(...headlineSizes(1200))).toBe(44);
    expect(Math.min(...headlineSizes(360))).toBeLessThan(30);
  });

  it('a script-like nickname is drawn as literal text', () => {
    const { ctx, calls } = recordingContext();
    renderArena(ctx, frame('play', { pucks: [puck(0, { nickname: '<b>x</b>' })] }), VIEW, 0);
    expect(calls.some((c) => c.name === 'fillText' && c.args[0] === '<b>x</b>')).toBe(true);
  });

  it('fits the start ring in the shorter side of the viewport', () => {
    const s = worldScale(VIEW, ARENA_START_RADIUS_U);
    expect(ARENA_START_RADIUS_U * s * 2).toBeLessThanOrEqual(600);
    expect(ARENA_START_RADIUS_U * s * 2).toBeGreaterThan(500);
  });
});

describe('reduced motion', () => {
  const viewport = { width: 800, height: 500, devicePixelRatio: 1 };
  const draw = (rs: RenderState, t: number, motion: 'full' | 'reduced') => {
    const { ctx, calls } = recordingContext();
    renderArena(ctx, rs, viewport, t, motion);
    return JSON.stringify(calls);
  };

  it('the picture does not change with time (no pulse, beat or blinking ring)', () => {
    for (const phase of ['countdown', 'play', 'roundOver'] as const) {
      expect(draw(frame(phase), 0, 'reduced')).toBe(draw(frame(phase), 333, 'reduced'));
      expect(draw(frame(phase), 0, 'full')).not.toBe(draw(frame(phase), 333, 'full'));
    }
  });

  it('no trails, and a knock-out burst does not fly apart: its shapes stay where they are as it ages', () => {
    const arcs = (ageMs: number) => {
      const { ctx, calls } = recordingContext();
      renderArena(
        ctx,
        frame('play', { bursts: [{ x: 400, y: 0, color: '#00ff00', ageMs, seed: 17 }] }),
        viewport,
        0,
        'reduced',
      );
      return calls.filter((c) => c.name === 'arc').map((c) => c.args);
    };
    expect(arcs(100)).toEqual(arcs(900));
    const full = (ageMs: number) => {
      const { ctx, calls } = recordingContext();
      renderArena(
        ctx,
        frame('play', { bursts: [{ x: 400, y: 0, color: '#00ff00', ageMs, seed: 17 }] }),
        viewport,
        0,
        'full',
      );
      return calls.filter((c) => c.name === 'arc').map((c) => c.args);
    };
    expect(full(100)).not.toEqual(full(900));
    // Puck 1 has a trail: drawn with full motion only (its trail points are at x = 10 and 20).
    const trailArcs = (motion: 'full' | 'reduced') => {
      const { ctx, calls } = recordingContext();
      renderArena(ctx, frame('play', { bursts: [] }), viewport, 0, motion);
      return calls.filter((c) => c.name === 'arc' && (c.args[0] === 10 || c.args[0] === 20)).length;
    };
    expect(trailArcs('full')).toBeGreaterThan(0);
    expect(trailArcs('reduced')).toBe(0);
  });
});

describe('the canvas scoreboard never covers the ring', () => {
  const scoreLines = (width: number, height: number) => {
    const { ctx, calls } = recordingContext();
    renderArena(ctx, frame('play'), { width, height, devicePixelRatio: 2 }, 0);
    return calls.filter((c) => c.name === 'fillText' && String(c.args[0]).startsWith('p3  ')).length;
  };
  it('drawn beside the ring on a wide stage, left out on a square phone stage', () => {
    expect(scoreLines(976, 560)).toBe(1);
    expect(scoreLines(358, 358)).toBe(0);
    expect(scoreLines(592, 370)).toBe(0);
  });
});
