/**
 * GameSession as a state machine (off | client | authority | awaiting-handoff) over an in-memory mesh
 * with latency, jitter and loss: which state each page is in after each lobby change or silence, and
 * which handoff messages it sent. Pages can be frozen (timers and deliveries held) as a browser freezes a tab.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { decodeReliable } from '../../lib/game/codec';
import { COUNTDOWN_TICKS, TICK_MS } from '../../lib/game/constants';
import { AUTHORITY_SILENCE_MS, GameSession } from '../../lib/game/session/GameSession';
import { ManualScheduler, type GameScheduler } from '../../lib/game/session/scheduler';
import { withLoopback, type GameTransport } from '../../lib/game/session/transport';
import type { PlayerInput } from '../../lib/game/types';
import { FakeLobby } from './game-fakeLobby';
import { FakeNetwork } from './game-fakeNetwork';

const COUNTDOWN_MS = COUNTDOWN_TICKS * TICK_MS;

class Page {
  frozen = false;
  muted = false;
  /** Types of the reliable messages this page sent, in order. */
  readonly sent: string[] = [];
  input: PlayerInput = { x: 0, y: 0, dash: false };
  session!: GameSession;
  private held: (() => void)[] = [];
  readonly scheduler: GameScheduler;
  readonly transport: GameTransport;

  constructor(
    readonly id: string,
    sched: ManualScheduler,
    net: FakeNetwork,
  ) {
    this.scheduler = {
      now: () => sched.now(),
      every: (ms, fn) => sched.every(ms, () => void (this.frozen || fn())),
    };
    const inner = net.join(id);
    const record = (channel: string, data: string | Uint8Array) => {
      if (channel !== 'reliable' || typeof data !== 'string') return;
      const msg = decodeReliable(data);
      if (msg.ok) this.sent.push(msg.value.t);
    };
    this.transport = withLoopback({
      selfId: id,
      send: (to, channel, data) => {
        record(channel, data);
        if (!this.muted) inner.send(to, channel, data);
      },
      broadcast: (channel, data) => {
        record(channel, data);
        if (!this.muted) inner.broadcast(channel, data);
      },
      onMessage: (fn) =>
        inner.onMessage((...args) => (this.frozen ? this.held.push(() => fn(...args)) : fn(...args))),
    });
  }

  thaw(): void {
    this.frozen = false;
    for (const deliver of this.held.splice(0)) deliver();
  }
}

function setup(ids: string[]) {
  const sched = new ManualScheduler();
  const net = new FakeNetwork(sched, { latencyMs: 15, jitterMs: 10, loss: 0.05 }, 5);
  const lobby = new FakeLobby(ids);
  const pages = new Map<string, Page>();
  const open = (id: string, seed = 42) => {
    const page = new Page(id, sched, net);
    page.session = new GameSession({
      lobby: lobby.source(id),
      transport: page.transport,
      scheduler: page.scheduler,
      readInput: () => page.input,
      roundsTotal: 3,
      randomSeed: () => seed,
    });
    page.session.start();
    pages.set(id, page);
    return page;
  };
  for (const id of ids) open(id);
  const get = (id: string) => pages.get(id)!;
  const kinds = () => Object.fromEntries([...pages].map(([id, p]) => [id, p.session.kind]));
  const authorityOf = (id: string) => get(id).session.store.getState().authorityId;
  const seen = (id: string, slot: number) =>
    get(id)
      .session.frame(sched.now())!
      .pucks.find((p) => p.slot === slot)!;
  return {
    sched,
    net,
    lobby,
    get,
    open,
    kinds,
    authorityOf,
    seen,
    close: () => [...pages.values()].forEach((p) => p.session.close()),
  };
}

let cleanup: (() => void) | null = null;
afterEach(() => {
  cleanup?.();
  cleanup = null;
});

/** Three pages in a match past its countdown (closed after the test). */
function playing() {
  const g = setup(['A', 'B', 'C']);
  cleanup = g.close;
  g.lobby.update(() => ({ phase: 'in-game' }));
  g.sched.advance(COUNTDOWN_MS + 500);
  return g;
}

/** The match goes on as `id` sees it: over 50 ticks in the next second. */
function expectTicking(g: ReturnType<typeof setup>, id: string) {
  const t0 = g.get(id).session.tick!;
  g.sched.advance(1000);
  expect(g.get(id).session.tick!).toBeGreaterThan(t0 + 50);
}

describe('GameSession states', () => {
  it('off while the lobby waits; the authority and clients while it plays; off again when it ends', () => {
    const g = setup(['A', 'B', 'C']);
    cleanup = g.close;
    expect(g.kinds()).toEqual({ A: 'off', B: 'off', C: 'off' });
    g.lobby.update(() => ({ phase: 'in-game' }));
    expect(g.kinds()).toEqual({ A: 'authority', B: 'client', C: 'client' });
    g.sched.advance(500);
    g.lobby.update(() => ({ phase: 'waiting' }));
    expect(g.kinds()).toEqual({ A: 'off', B: 'off', C: 'off' });
    // Nobody needed a handoff: a match that starts from the lobby is new.
    expect(['A', 'B', 'C'].flatMap((id) => g.get(id).sent).filter((t) => t.startsWith('handoff'))).toEqual(
      [],
    );
  });

  it('the host role moves: the old authority sends the new one a handoff and becomes a client; the match goes on', () => {
    const g = playing();
    const tick = g.get('C').session.tick!;
    g.lobby.update(() => ({ hostId: 'C' }));
    expect(g.kinds()).toEqual({ A: 'client', B: 'client', C: 'authority' });
    expect(g.get('A').sent.filter((t) => t === 'handoff')).toHaveLength(1);
    g.sched.advance(500);
    expect(g.authorityOf('B')).toBe('C');
    expect(g.get('B').session.tick!).toBeGreaterThan(tick + 20);
    expect(g.get('B').session.frame(g.sched.now())).toMatchObject({ phase: 'play', round: 1 });
  });

  it('a page that loads into a running game as its authority awaits a handoff, asks for it, and continues the match', () => {
    const g = setup(['A', 'B', 'C']);
    g.lobby.update(() => ({ phase: 'in-game' }));
    g.sched.advance(COUNTDOWN_MS + 500);
    const tick = g.get('B').session.tick!;
    // A reloads before the server noticed: the lobby view does not change.
    g.get('A').session.close();
    g.net.remove('A');
    const again = g.open('A', 7);
    cleanup = g.close;
    expect(again.session.kind).toBe('awaiting-handoff');
    expect(again.sent).toEqual(['handoff-request']);
    g.sched.advance(200);
    expect(g.kinds()).toEqual({ A: 'authority', B: 'client', C: 'client' });
    // Same match, not a new one from tick 0.
    expect(again.session.tick!).toBeGreaterThan(tick);
    expect(again.session.frame(g.sched.now())).toMatchObject({ phase: 'play', round: 1 });
  });

  it('a frozen authority is passed over within a second; the others keep 60 ticks/s; woken, it steps down and plays on', () => {
    const g = playing();
    g.get('A').frozen = true;
    g.sched.advance(1000);
    // The server still counts A present: only the silence moved the game.
    expect(g.kinds()).toEqual({ A: 'authority', B: 'authority', C: 'client' });
    expect(g.authorityOf('C')).toBe('B');
    const t0 = g.get('C').session.tick!;
    g.sched.advance(2000);
    expect((g.get('C').session.tick! - t0) / 2).toBeGreaterThanOrEqual(55);
    expect(g.get('C').session.frame(g.sched.now())).toMatchObject({ phase: 'play', round: 1 });

    g.get('A').thaw();
    g.sched.advance(200);
    expect(g.kinds()).toEqual({ A: 'client', B: 'authority', C: 'client' });
    expect(g.authorityOf('A')).toBe('B');
    expect(g.get('A').sent.filter((t) => t === 'handoff')).toHaveLength(1);
    // A's keys still move A's puck, as C sees it.
    const before = g.seen('C', 0);
    g.get('A').input = { x: -Math.sign(before.x) || 1, y: 0, dash: false };
    g.sched.advance(500);
    expect(Math.abs(g.seen('C', 0).x - before.x)).toBeGreaterThan(40);
    g.sched.advance(2000);
    expect(g.kinds()).toEqual({ A: 'client', B: 'authority', C: 'client' });
  });

  it('an authority that was only unheard for a while is followed again; one authority remains', () => {
    const g = playing();
    g.get('A').muted = true;
    g.sched.advance(AUTHORITY_SILENCE_MS + 300);
    expect(g.kinds()).toEqual({ A: 'authority', B: 'authority', C: 'client' });
    g.get('A').muted = false;
    g.sched.advance(300);
    expect(g.kinds()).toEqual({ A: 'authority', B: 'client', C: 'client' });
    expect(g.authorityOf('C')).toBe('A');
    expectTicking(g, 'C');
  });

  it('a member marked stalled is forgiven when the server says it dropped and came back', () => {
    const g = playing();
    g.get('A').frozen = true;
    g.sched.advance(1000);
    expect(g.authorityOf('C')).toBe('B');
    g.get('A').thaw();
    g.sched.advance(200);
    // A's socket timed out meanwhile and it resumed: the server's word replaces the guesses.
    g.lobby.member('A', { presence: 'dropped' });
    g.lobby.member('A', { presence: 'present' });
    g.sched.advance(300);
    expect(g.kinds()).toEqual({ A: 'authority', B: 'client', C: 'client' });
    expect(g.authorityOf('C')).toBe('A');
    expectTicking(g, 'C');
  });

  it('the server comes back with everyone dropped while the game runs between the pages: nobody changes authority', () => {
    const g = playing();
    // The restored lobby: every seat dropped; B resumes first, then C, then A.
    g.lobby.update((v) => ({
      members: v.members.map((m) => ({ ...m, presence: m.id === 'B' ? 'present' : 'dropped' })),
    }));
    g.sched.advance(400);
    g.lobby.member('C', { presence: 'present' });
    g.sched.advance(400);
    expect(g.kinds()).toEqual({ A: 'authority', B: 'client', C: 'client' });
    const t0 = g.get('C').session.tick!;
    g.lobby.member('A', { presence: 'present' });
    g.sched.advance(1000);
    expect(g.kinds()).toEqual({ A: 'authority', B: 'client', C: 'client' });
    expect(g.authorityOf('B')).toBe('A');
    expect(g.get('C').session.tick! - t0).toBeGreaterThan(55);
    expect(['B', 'C'].flatMap((id) => g.get(id).sent).filter((t) => t.startsWith('handoff'))).toEqual([]);
  });
});
