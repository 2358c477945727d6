import { describe, expect, it } from 'vitest';
import { gameAnnouncements, GameAnnouncer } from '../../components/game/announce';
import type { RenderPuck, RenderState } from '../../lib/game/renderState';

const puck = (slot: number, status: RenderPuck['status'] = 'alive'): RenderPuck => ({
  slot,
  x: 0,
  y: 0,
  vx: 0,
  vy: 0,
  status,
  dashing: false,
  color: '#fff',
  nickname: ['Ann', 'Ben', 'Cat'][slot]!,
  isSelf: slot === 0,
  trail: [],
});

const frame = (extra: Partial<RenderState>): RenderState => ({
  phase: 'play',
  secondsLeft: 3,
  round: 1,
  roundsTotal: 3,
  arenaRadius: 300,
  arenaStartRadius: 300,
  shrinking: false,
  selfSlot: 0,
  dashReady: 1,
  pucks: [puck(0), puck(1), puck(2)],
  bursts: [],
  winners: [],
  scoreboard: [0, 1, 2].map((slot) => ({
    slot,
    nickname: ['Ann', 'Ben', 'Cat'][slot]!,
    color: '#fff',
    score: 0,
    knockouts: 0,
    roundWins: 0,
    isSelf: slot === 0,
  })),
  ...extra,
});

describe('gameAnnouncements', () => {
  it('a countdown once per round, then Go', () => {
    const c3 = frame({ phase: 'countdown', secondsLeft: 3 });
    expect(gameAnnouncements(null, c3)).toEqual(['Round 1 of 3 starts in 3 seconds.']);
    expect(gameAnnouncements(c3, frame({ phase: 'countdown', secondsLeft: 2 }))).toEqual([]);
    expect(gameAnnouncements(c3, frame({ phase: 'play' }))).toEqual(['Go!']);
    expect(gameAnnouncements(frame({ phase: 'roundOver' }), frame({ phase: 'countdown', round: 2 }))).toEqual(
      ['Round 2 of 3 starts in 3 seconds.'],
    );
  });

  it('knock-outs by name, "You" for oneself, once', () => {
    const before = frame({});
    const benOut = frame({ pucks: [puck(0), puck(1, 'out'), puck(2)] });
    expect(gameAnnouncements(before, benOut)).toEqual(['Ben is out.']);
    expect(gameAnnouncements(benOut, benOut)).toEqual([]);
    expect(gameAnnouncements(benOut, frame({ pucks: [puck(0, 'out'), puck(1, 'out'), puck(2)] }))).toEqual([
      'You are out!',
    ]);
  });

  it('round and match winners', () => {
    const play = frame({});
    expect(
      gameAnnouncements(
        play,
        frame({ phase: 'roundOver', winners: [2], pucks: [puck(0), puck(1), puck(2)] }),
      ),
    ).toEqual(['Cat wins round 1.']);
    expect(gameAnnouncements(play, frame({ phase: 'roundOver', winners: [] }))).toEqual([
      'Nobody survived round 1.',
    ]);
    expect(gameAnnouncements(play, frame({ phase: 'matchOver', winners: [0] }))).toEqual([
      'You win the match!',
    ]);
    expect(gameAnnouncements(play, frame({ phase: 'matchOver', winners: [1, 2] }))).toEqual([
      'Ben and Cat share the win!',
    ]);
  });
});

describe('GameAnnouncer', () => {
  it('tells subscribers only when there is something new to say', () => {
    const a = new GameAnnouncer();
    let calls = 0;
    const off = a.subscribe(() => calls++);
    a.observe(frame({ phase: 'countdown' }));
    a.observe(frame({ phase: 'countdown', secondsLeft: 2 }));
    expect(calls).toBe(1);
    expect(a.current()).toBe('Round 1 of 3 starts in 3 seconds.');
    off();
    a.observe(frame({ phase: 'play' }));
    expect(calls).toBe(1);
    expect(a.current()).toBe('Go!');
  });
});
