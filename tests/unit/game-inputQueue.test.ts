import { describe, expect, it } from 'vitest';
import { InputQueue, MAX_BUFFERED_INPUTS, TRIM_WINDOW_TICKS } from '../../lib/game/session/inputQueue';

const inp = (seq: number, dash = false) => ({ seq, x: seq / 100, y: 0, dash });

describe('host input queue', () => {
  it('applies inputs in sequence order, drops duplicates and already-applied ones', () => {
    const q = new InputQueue();
    q.receive([inp(2), inp(1), inp(2)]);
    q.receive([inp(1), inp(2), inp(3)]);
    expect([q.next().x, q.next().x, q.next().x]).toEqual([0.01, 0.02, 0.03]);
    expect(q.ack).toBe(3);
    q.receive([inp(2), inp(3)]);
    expect(q.length).toBe(0);
  });

  it('holds the last stick when dry, without repeating a dash', () => {
    const q = new InputQueue();
    q.receive([inp(1, true)]);
    expect(q.next()).toEqual({ x: 0.01, y: 0, dash: true });
    expect(q.next()).toEqual({ x: 0.01, y: 0, dash: false });
    expect(q.ack).toBe(1);
  });

  it('caps the backlog and carries a skipped dash forward', () => {
    const q = new InputQueue();
    q.receive(Array.from({ length: 10 }, (_, i) => inp(i + 1, i === 0)));
    const first = q.next();
    expect(first.dash).toBe(true);
    expect(q.ack).toBe(10 - MAX_BUFFERED_INPUTS + 1);
  });

  it('trims a standing backlog once per window, keeping a small jitter reserve', () => {
    const q = new InputQueue();
    let seq = 0;
    q.receive(Array.from({ length: 5 }, () => inp(++seq)));
    for (let t = 0; t < TRIM_WINDOW_TICKS; t++) {
      q.receive([inp(++seq)]);
      q.next();
    }
    expect(q.length).toBeLessThanOrEqual(2);
    expect(seq - q.ack).toBeLessThanOrEqual(2);
  });

  it('counts inputs that never arrived', () => {
    const q = new InputQueue();
    q.receive([inp(1), inp(4)]);
    q.next();
    q.next();
    expect(q.lostInputs).toBe(2);
  });

  it('starts from a migrated ack and ignores older inputs', () => {
    const q = new InputQueue(50);
    q.receive([inp(49), inp(50), inp(51)]);
    expect(q.length).toBe(1);
  });
});
