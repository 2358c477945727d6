/**
 * An input edge (key down/up, stick start/stop, dash) is sent at once instead of at the next tick, and
 * the host applies the newest input on its next tick: the two halves of a remote player's move reaching
 * the authority quickly.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { COUNTDOWN_TICKS, TICK_MS } from '../../lib/game/constants';
import { decodeInputs } from '../../lib/game/codec';
import { GameClient } from '../../lib/game/session/GameClient';
import { GameHost } from '../../lib/game/session/GameHost';
import { EARLY_TICK_MIN_GAP_MS, ManualScheduler, startFixedLoop } from '../../lib/game/session/scheduler';
import { withLoopback } from '../../lib/game/session/transport';
import type { PlayerInput } from '../../lib/game/types';
import { LocalControls } from '../../components/game/controls';
import { FakeNetwork } from './game-fakeNetwork';

const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanup.splice(0)) c();
});

describe('fixed loop: tickNow', () => {
  it('runs a tick at once and counts the next regular one a full interval later', () => {
    const sched = new ManualScheduler();
    const at: number[] = [];
    const loop = startFixedLoop(sched, () => at.push(sched.now()));
    cleanup.push(() => loop.stop());
    sched.advance(40); // ticks at ~16.7 and ~33.3 (the 4 ms wake-ups round them up)
    expect(at).toHaveLength(2);
    loop.tickNow();
    expect(at).toHaveLength(3);
    expect(at[2]).toBe(40);
    sched.advance(TICK_MS - 1);
    expect(at).toHaveLength(3); // not the old slot at 50: the loop counts from the early tick
    sched.advance(TICK_MS);
    expect(at).toHaveLength(4);
    expect(at[3]! - 40).toBeGreaterThanOrEqual(TICK_MS);
    expect(at[3]! - 40).toBeLessThan(TICK_MS + 4);
    // One second later the rate is still one tick per interval: an early tick is not a second clock.
    const before = at.length;
    sched.advance(1000);
    expect(at.length - before).toBeGreaterThanOrEqual(59);
    expect(at.length - before).toBeLessThanOrEqual(61);
  });

  it('ignores tickNow right after a tick (that tick sampled nearly the same input)', () => {
    const sched = new ManualScheduler();
    let ticks = 0;
    const loop = startFixedLoop(sched, () => ticks++);
    cleanup.push(() => loop.stop());
    sched.advance(20); // the tick at 16.7 ran at the 20 ms wake-up
    expect(ticks).toBe(1);
    loop.tickNow();
    expect(ticks).toBe(1);
    sched.advance(EARLY_TICK_MIN_GAP_MS);
    loop.tickNow();
    expect(ticks).toBe(2);
  });
});

describe('an input edge at the authority', () => {
  function match(latencyMs: number) {
    const sched = new ManualScheduler();
    const net = new FakeNetwork(sched, { latencyMs, jitterMs: 0, loss: 0 });
    const hostSide = withLoopback(net.join('H'));
    const guestNet = net.join('G');
    const sent: { at: number; inputs: PlayerInput[] }[] = [];
    const guestSide = {
      ...guestNet,
      send: (to: string, channel: 'reliable' | 'unreliable', data: Uint8Array | string) => {
        if (channel === 'unreliable' && typeof data !== 'string') {
          const decoded = decodeInputs(data);
          if (decoded.ok) sent.push({ at: sched.now(), inputs: decoded.value });
        }
        guestNet.send(to, channel, data);
      },
    };
    let input: PlayerInput = { x: 0, y: 0, dash: false };
    const host = GameHost.create({
      transport: hostSide,
      scheduler: sched,
      players: [
        { id: 'H', nickname: 'Hal' },
        { id: 'G', nickname: 'Gus' },
      ],
      seed: 7,
    });
    const guest = new GameClient({
      transport: guestSide,
      scheduler: sched,
      hostId: 'H',
      readInput: () => input,
    });
    host.start();
    guest.start();
    cleanup.push(
      () => host.close(),
      () => guest.close(),
    );
    sched.advance(COUNTDOWN_TICKS * TICK_MS + 500);
    return { sched, host, guest, sent, steer: (i: PlayerInput) => (input = i) };
  }

  it('leaves the page the moment it happens, not at the next tick', () => {
    const m = match(10);
    m.sched.advance(TICK_MS / 2); // mid-way between two ticks
    const before = m.sent.length;
    m.steer({ x: 1, y: 0, dash: false });
    m.guest.sendInputNow();
    expect(m.sent.length).toBe(before + 1);
    expect(m.sent.at(-1)!.at).toBe(m.sched.now());
    expect(m.sent.at(-1)!.inputs.at(-1)!.x).toBeGreaterThan(0.99);
  });

  it('moves the puck at the authority within one-way latency + one tick, even after a burst of inputs', () => {
    const m = match(10);
    // A burst: the guest's page stalls and sends many inputs at once (a jitter buffer would keep them queued).
    for (let i = 0; i < 6; i++) m.guest.tick();
    m.sched.advance(TICK_MS / 2);
    const x0 = m.host.state.players[1]!.x;
    m.steer({ x: -Math.sign(x0) || 1, y: 0, dash: false });
    m.guest.sendInputNow();
    m.sched.advance(10 + TICK_MS + 4); // one way + the host's next tick (+ its 4 ms wake-up)
    expect(Math.abs(m.host.state.players[1]!.x - x0)).toBeGreaterThan(0.3);
  });
});

describe('local controls report input edges', () => {
  it('the stick starting or stopping is an edge; moving while held is not; a dash is', () => {
    let edges = 0;
    const c = new LocalControls();
    c.onEdge = () => edges++;
    c.stickDown(1, 100, 100);
    expect(edges).toBe(0); // the thumb landed: the stick is centred, nothing changed
    c.stickMove(1, 130, 100);
    expect(edges).toBe(1);
    c.stickMove(1, 140, 110);
    expect(edges).toBe(1);
    c.stickUp(1);
    expect(edges).toBe(2);
    c.pressDash();
    expect(edges).toBe(3);
    expect(c.sample().dash).toBe(true);
  });
});

describe('keyboard edges', () => {
  it('a key going down (not its auto-repeat) or up is an edge', () => {
    // attachKeyboard only asks `instanceof` of the DOM classes: empty stand-ins make a Node EventTarget a window.
    for (const name of [
      'HTMLElement',
      'HTMLInputElement',
      'HTMLTextAreaElement',
      'HTMLSelectElement',
      'HTMLButtonElement',
      'HTMLAnchorElement',
    ])
      vi.stubGlobal(name, class {});
    cleanup.push(() => vi.unstubAllGlobals());
    const key = (type: 'keydown' | 'keyup', code: string, repeat = false) =>
      Object.assign(new Event(type, { cancelable: true }), {
        code,
        repeat,
        metaKey: false,
        ctrlKey: false,
        altKey: false,
      });
    let edges = 0;
    const c = new LocalControls();
    c.onEdge = () => edges++;
    const target = new EventTarget();
    cleanup.push(c.attachKeyboard(target as unknown as Window, () => true));
    target.dispatchEvent(key('keydown', 'ArrowLeft'));
    expect(edges).toBe(1);
    expect(c.sample().x).toBe(-1);
    target.dispatchEvent(key('keydown', 'ArrowLeft', true));
    expect(edges).toBe(1);
    target.dispatchEvent(key('keyup', 'ArrowLeft'));
    expect(edges).toBe(2);
    target.dispatchEvent(key('keyup', 'KeyQ')); // never held: nothing changed
    expect(edges).toBe(2);
    // Focus lost with a key held: the key counts as released, at once.
    target.dispatchEvent(key('keydown', 'KeyW'));
    target.dispatchEvent(new Event('blur'));
    expect(edges).toBe(4);
    expect(c.sample()).toMatchObject({ x: 0, y: 0 });
  });
});
