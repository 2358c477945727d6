import { afterEach, describe, expect, it } from 'vitest';
import { COUNTDOWN_TICKS, TICK_MS } from '../../lib/game/constants';
import { ManualScheduler } from '../../lib/game/session/scheduler';
import { withLoopback } from '../../lib/game/session/transport';
import type { PlayerInput } from '../../lib/game/types';
import { gameAuthority } from '../../lib/game/session/authority';
import { AUTHORITY_SILENCE_MS, GameSession, WATCHDOG_EVERY_MS } from '../../lib/game/session/GameSession';
import { FakeNetwork } from './game-fakeNetwork';
import { FakeLobby } from './game-fakeLobby';

const COUNTDOWN_MS = COUNTDOWN_TICKS * TICK_MS;

function setup(ids: string[]) {
  const sched = new ManualScheduler();
  const net = new FakeNetwork(sched, { latencyMs: 20, jitterMs: 10, loss: 0.05 }, 3);
  const lobby = new FakeLobby(ids);
  const inputs = new Map<string, PlayerInput>(ids.map((id) => [id, { x: 0, y: 0, dash: false }]));
  const sessions = new Map<string, GameSession>();
  for (const id of ids) {
    const s = new GameSession({
      lobby: lobby.source(id),
      transport: withLoopback(net.join(id)),
      scheduler: sched,
      readInput: () => inputs.get(id)!,
      roundsTotal: 2,
      randomSeed: () => 42,
    });
    s.start();
    sessions.set(id, s);
  }
  const get = (id: string) => sessions.get(id)!;
  /** Position of `slot` as page `id` draws it now. */
  const seen = (id: string, slot: number) =>
    get(id)
      .frame(sched.now())!
      .pucks.find((p) => p.slot === slot)!;
  return {
    sched,
    net,
    lobby,
    inputs,
    get,
    seen,
    close: () => [...sessions.values()].forEach((s) => s.close()),
  };
}

let cleanup: (() => void) | null = null;
afterEach(() => {
  cleanup?.();
  cleanup = null;
});

describe('gameAuthority', () => {
  it('is the lobby host while present, else the first present member in join order', () => {
    const lobby = new FakeLobby(['A', 'B', 'C']);
    expect(gameAuthority(lobby.view)).toBe('A');
    lobby.update(() => ({ hostId: 'B' }));
    expect(gameAuthority(lobby.view)).toBe('B');
    lobby.member('B', { presence: 'dropped' });
    expect(gameAuthority(lobby.view)).toBe('A');
    lobby.member('A', { presence: 'dropped' });
    expect(gameAuthority(lobby.view)).toBe('C');
    lobby.member('C', { presence: 'dropped' });
    expect(gameAuthority(lobby.view)).toBeNull();
  });

  it('passes over members a page saw stall, unless that leaves nobody', () => {
    const lobby = new FakeLobby(['A', 'B', 'C']);
    expect(gameAuthority(lobby.view, new Set(['A']))).toBe('B');
    expect(gameAuthority(lobby.view, new Set(['A', 'B']))).toBe('C');
    expect(gameAuthority(lobby.view, new Set(['A', 'B', 'C']))).toBe('A');
    lobby.member('C', { presence: 'dropped' });
    expect(gameAuthority(lobby.view, new Set(['A', 'B']))).toBe('A');
  });
});

describe('GameSession follows the lobby', () => {
  it('nothing runs while the lobby waits; start → every page live; end → every page off', () => {
    const g = setup(['A', 'B', 'C']);
    cleanup = g.close;
    g.sched.advance(200);
    expect(g.get('B').frame(g.sched.now())).toBeNull();
    expect(g.get('B').store.getState().status).toBe('off');

    g.lobby.update(() => ({ phase: 'in-game' }));
    expect(g.get('A').isAuthority).toBe(true);
    expect(g.get('B').isAuthority).toBe(false);
    g.sched.advance(COUNTDOWN_MS + 300);
    for (const id of ['A', 'B', 'C']) {
      const rs = g.get(id).frame(g.sched.now())!;
      expect(rs.phase).toBe('play');
      expect(g.get(id).store.getState()).toMatchObject({
        status: 'live',
        authorityId: 'A',
        phase: 'play',
        role: 'player',
        roundsTotal: 2,
      });
    }
    expect(g.get('C').store.getState().selfSlot).toBe(2);

    // B steers right: A and C see B's puck move right.
    const before = g.seen('C', 1).x;
    g.inputs.set('B', { x: 1, y: 0, dash: false });
    g.sched.advance(500);
    expect(g.seen('C', 1).x - before).toBeGreaterThan(40);
    expect(g.seen('A', 1).x - before).toBeGreaterThan(40);

    g.lobby.update(() => ({ phase: 'waiting' }));
    for (const id of ['A', 'B', 'C']) {
      expect(g.get(id).frame(g.sched.now())).toBeNull();
      expect(g.get(id).store.getState().status).toBe('off');
      expect(g.get(id).isAuthority).toBe(false);
    }
  });

  it('the host drops mid-round: the first present member continues the same match as soon as the host falls silent', () => {
    const g = setup(['A', 'B', 'C']);
    cleanup = g.close;
    g.lobby.update(() => ({ phase: 'in-game' }));
    g.sched.advance(COUNTDOWN_MS + 500);
    const tickBefore = g.get('C').tick!;
    // A's tab closes: its messages stop, the server marks it dropped.
    g.get('A').close();
    g.net.remove('A');
    g.lobby.member('A', { presence: 'dropped' });
    // Dropped by the server, but its last snapshots are fresh: the pages wait for its silence (a member
    // may lose only the server), then move on.
    g.sched.advance(AUTHORITY_SILENCE_MS + WATCHDOG_EVERY_MS);
    expect(g.get('B').isAuthority).toBe(true);
    expect(g.get('C').store.getState().authorityId).toBe('B');
    g.sched.advance(300);
    expect(g.get('C').tick!).toBeGreaterThan(tickBefore);
    // Same match: still round 1 in play (not a fresh countdown); A's puck keeps its seat meanwhile.
    const rs = g.get('C').frame(g.sched.now())!;
    expect(rs).toMatchObject({ phase: 'play', round: 1 });
    expect(rs.pucks.map((p) => p.slot)).toEqual([0, 1, 2]);

    const before = g.seen('B', 2).y;
    g.inputs.set('C', { x: 0, y: 1, dash: false });
    g.sched.advance(500);
    expect(g.seen('B', 2).y - before).toBeGreaterThan(40);

    // The grace window ends: A leaves for good and the lobby host role moves; A's puck goes.
    g.lobby.update((v) => ({ hostId: 'B', members: v.members.filter((m) => m.id !== 'A') }));
    g.sched.advance(200);
    expect(g.get('B').isAuthority).toBe(true);
    expect(
      g
        .get('C')
        .frame(g.sched.now())!
        .pucks.map((p) => p.slot),
    ).toEqual([1, 2]);
  });

  it('a member joining mid-round watches, then plays from the next round; rematch restarts the match', () => {
    const g = setup(['A', 'B']);
    cleanup = g.close;
    g.lobby.update(() => ({ phase: 'in-game' }));
    g.sched.advance(COUNTDOWN_MS + 300);
    g.lobby.update((v) => ({
      members: [
        ...v.members,
        { id: 'N', nickname: 'nick-N', ready: false, presence: 'present', joinedAt: 9, meta: {} },
      ],
    }));
    const late = new GameSession({
      lobby: g.lobby.source('N'),
      transport: withLoopback(g.net.join('N')),
      scheduler: g.sched,
      readInput: () => ({ x: 0, y: 0, dash: false }),
    });
    late.start();
    const prevCleanup = cleanup;
    cleanup = () => {
      late.close();
      prevCleanup();
    };
    g.sched.advance(400);
    late.frame(g.sched.now());
    expect(late.store.getState()).toMatchObject({ status: 'live', role: 'spectator', selfSlot: 2 });

    // B drives straight out: A wins round 1, then round 2 starts with N in the ring.
    for (let ms = 0; ms < 8000 && g.get('A').frame(g.sched.now())!.phase === 'play'; ms += 50) {
      const own = g.seen('B', 1);
      const len = Math.hypot(own.x, own.y) || 1;
      g.inputs.set('B', { x: own.x / len, y: own.y / len, dash: false });
      g.sched.advance(50);
    }
    g.inputs.set('B', { x: 0, y: 0, dash: false });
    expect(g.get('A').frame(g.sched.now())!.phase).toBe('roundOver');
    g.sched.advance(4000);
    late.frame(g.sched.now());
    expect(late.store.getState()).toMatchObject({ phase: 'countdown', round: 2, role: 'player' });

    // Round 2 of 2 ends on the cap or a ring-out; then anyone in the roster may ask for a rematch.
    for (let ms = 0; ms < 60_000 && g.get('A').frame(g.sched.now())!.phase !== 'matchOver'; ms += 500)
      g.sched.advance(500);
    expect(g.get('A').store.getState().phase).toBe('matchOver');
    late.requestRematch();
    g.sched.advance(300);
    expect(g.get('B').frame(g.sched.now())).toMatchObject({ phase: 'countdown', round: 1 });
    expect(
      g
        .get('B')
        .store.getState()
        .scoreboard.every((l) => l.score === 0),
    ).toBe(true);
  });
});

describe('GameSession handoff', () => {
  function reopen(g: ReturnType<typeof setup>, id: string) {
    const s = new GameSession({
      lobby: g.lobby.source(id),
      transport: withLoopback(g.net.join(id)),
      scheduler: g.sched,
      readInput: () => g.inputs.get(id)!,
      randomSeed: () => 7,
    });
    s.start();
    return s;
  }

  it('the lobby host reloads: the interim authority hands the match back', () => {
    const g = setup(['A', 'B', 'C']);
    g.lobby.update(() => ({ phase: 'in-game' }));
    g.sched.advance(COUNTDOWN_MS + 500);
    g.get('A').close();
    g.net.remove('A');
    g.lobby.member('A', { presence: 'dropped' });
    g.sched.advance(AUTHORITY_SILENCE_MS + WATCHDOG_EVERY_MS + 300);
    expect(g.get('B').isAuthority).toBe(true);
    const tick = g.get('C').tick!;

    const again = reopen(g, 'A');
    cleanup = () => [again.close(), g.close()];
    expect(again.isAuthority).toBe(false); // waiting: it arrived mid-game with no state
    g.lobby.member('A', { presence: 'present' });
    g.sched.advance(200);
    expect(again.isAuthority).toBe(true);
    expect(g.get('B').isAuthority).toBe(false);
    g.sched.advance(300);
    expect(again.frame(g.sched.now())).toMatchObject({ phase: 'play', round: 1 });
    expect(g.get('C').tick!).toBeGreaterThan(tick);
  });

  it('an authority that reloads before anyone noticed asks for the state; with no answer it starts anew', () => {
    const g = setup(['A', 'B']);
    g.lobby.update(() => ({ phase: 'in-game' }));
    g.sched.advance(COUNTDOWN_MS + 500);
    const tick = g.get('B').tick!;
    g.get('A').close();
    g.net.remove('A');
    const again = reopen(g, 'A');
    g.sched.advance(300);
    expect(again.isAuthority).toBe(true);
    expect(again.frame(g.sched.now())).toMatchObject({ phase: 'play', round: 1 });
    expect(again.tick!).toBeGreaterThan(tick);
    again.close();
    g.get('B').close();
    g.net.remove('A');
    g.net.remove('B');

    // Alone: nobody answers the hello, so after the wait a new match starts (tick from zero).
    const lone = reopen(g, 'A');
    cleanup = () => lone.close();
    g.sched.advance(500);
    expect(lone.isAuthority).toBe(false);
    g.sched.advance(1500);
    expect(lone.isAuthority).toBe(true);
    expect(lone.tick!).toBeLessThan(200);
  });
});
