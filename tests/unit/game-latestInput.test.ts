import { describe, expect, it } from 'vitest';
import { LatestInput } from '../../lib/game/session/latestInput';

const inp = (seq: number, dash = false) => ({ seq, x: seq / 100, y: 0, dash });

describe('host input intake (newest input per tick)', () => {
  it('applies the newest input that arrived, whatever the arrival order, and acks it', () => {
    const q = new LatestInput();
    q.receive([inp(2), inp(1), inp(3), inp(2)]);
    expect(q.next().x).toBe(0.03);
    expect(q.ack).toBe(3);
    expect(q.skippedInputs).toBe(2);
    expect(q.lostInputs).toBe(0);
  });

  it('never waits behind a backlog: a burst of inputs is one tick of delay, not one per input', () => {
    const q = new LatestInput();
    q.receive(Array.from({ length: 10 }, (_, i) => inp(i + 1)));
    expect(q.next().x).toBe(0.1);
    q.receive([inp(11)]);
    expect(q.next().x).toBe(0.11);
    expect(q.waiting).toBe(false);
  });

  it('drops duplicates and inputs older than the last applied one (redundant packets)', () => {
    const q = new LatestInput();
    q.receive([inp(1), inp(2), inp(3)]);
    q.next();
    q.receive([inp(2), inp(3)]);
    expect(q.waiting).toBe(false);
    q.receive([inp(2), inp(3), inp(4)]);
    expect(q.next().x).toBe(0.04);
  });

  it('holds the last stick when nothing new arrived, without repeating a dash', () => {
    const q = new LatestInput();
    q.receive([inp(1, true)]);
    expect(q.next()).toEqual({ x: 0.01, y: 0, dash: true });
    expect(q.next()).toEqual({ x: 0.01, y: 0, dash: false });
    expect(q.ack).toBe(1);
  });

  it('carries a dash from an overtaken input onto the applied one, exactly once', () => {
    const q = new LatestInput();
    q.receive([inp(1), inp(2, true), inp(3)]);
    expect(q.next().dash).toBe(true);
    // The dash input comes again in the next redundant packet: already applied, no second dash.
    q.receive([inp(2, true), inp(3), inp(4)]);
    expect(q.next().dash).toBe(false);
    // A dash that arrives after a newer input (reordered packets) still fires.
    q.receive([inp(6)]);
    q.receive([inp(5, true)]);
    expect(q.next()).toEqual({ x: 0.06, y: 0, dash: true });
  });

  it('counts inputs that never arrived apart from those overtaken', () => {
    const q = new LatestInput();
    q.receive([inp(1), inp(4)]);
    q.next();
    expect(q.lostInputs).toBe(2);
    expect(q.skippedInputs).toBe(1);
  });

  it('starts from a migrated ack and ignores older inputs', () => {
    const q = new LatestInput(50);
    q.receive([inp(49), inp(50)]);
    expect(q.waiting).toBe(false);
    q.receive([inp(51)]);
    expect(q.next().x).toBe(0.51);
  });
});
