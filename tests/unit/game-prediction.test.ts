import { describe, expect, it } from 'vitest';
import { quantizeInput, type SequencedInput } from '../../lib/game/codec';
import { Predictor, SNAP_CORRECTION_U } from '../../lib/game/prediction';
import { step } from '../../lib/game/sim';
import type { GameState, PlayerInput } from '../../lib/game/types';
import { playing, puck } from './game-helpers';

/** A host that applies input seq k on its k-th tick after `delayTicks`, acking what it applied. */
function simulateHost(start: GameState, inputs: SequencedInput[], delayTicks: number) {
  const states: { state: GameState; ack: number }[] = [{ state: start, ack: 0 }];
  let s = start;
  for (let t = 1; t <= inputs.length + delayTicks; t++) {
    const input = inputs[t - 1 - delayTicks];
    s = step(s, new Map(input ? [[0, input as PlayerInput]] : [])).state;
    states.push({ state: s, ack: input ? input.seq : Math.max(0, t - 1 - delayTicks) });
  }
  return states;
}

const wiggle = (n: number): SequencedInput[] =>
  Array.from({ length: n }, (_, i) => ({
    seq: i + 1,
    ...quantizeInput({ x: Math.sin(i / 9), y: Math.cos(i / 13), dash: i % 40 === 5 }),
  }));

describe('prediction', () => {
  it('with an exact host, the prediction equals the authoritative result of the same inputs', () => {
    const start = playing([0, 1]);
    const p = new Predictor(0);
    p.reconcile(start, 0);
    const inputs = wiggle(60);
    for (const i of inputs) p.applyLocal(i);
    const host = simulateHost(start, inputs, 0);
    expect(puck(p.state!, 0)).toEqual(puck(host[host.length - 1]!.state, 0));
  });

  it('reconciliation replays only unacknowledged inputs and converges to the host with latency', () => {
    const start = playing([0, 1]);
    const inputs = wiggle(120);
    const delay = 6; // 100 ms one way at 60 Hz
    const host = simulateHost(start, inputs, 0);
    const p = new Predictor(0);
    p.reconcile(start, 0);
    for (let t = 0; t < inputs.length; t++) {
      p.applyLocal(inputs[t]!);
      // The snapshot the client sees now is `delay` ticks old.
      const seen = host[Math.max(0, t + 1 - delay)]!;
      p.reconcile(seen.state, seen.ack);
      // Replay from an old snapshot lands exactly where the host will be once it applies the same inputs.
      expect(puck(p.state!, 0)).toEqual(puck(host[t + 1]!.state, 0));
      expect(p.pendingCount).toBe(Math.min(t + 1, delay));
    }
  });

  it('a host that diverged (lost input) is corrected; the visual offset fades out', () => {
    const start = playing([0, 1]);
    const p = new Predictor(0);
    p.reconcile(start, 0);
    const push: SequencedInput = { seq: 1, x: 1, y: 0, dash: false };
    for (let i = 1; i <= 10; i++) p.applyLocal({ ...push, seq: i });
    const predictedX = puck(p.state!, 0).x;
    // The host never saw those inputs: it acks 10 but the puck stayed put.
    p.reconcile(step(start, new Map()).state, 10);
    expect(puck(p.state!, 0).x).toBe(puck(start, 0).x);
    expect(p.renderPosition()!.x).toBeCloseTo(predictedX, 5);
    p.decay(1000);
    expect(Math.abs(p.correction.x)).toBeLessThan(0.01);
    expect(p.renderPosition()!.x).toBeCloseTo(puck(start, 0).x, 1);
  });

  it('large corrections snap instead of gliding', () => {
    const start = playing([0, 1]);
    const p = new Predictor(0);
    p.reconcile(start, 0);
    const moved = {
      ...start,
      players: start.players.map((q) => (q.slot === 0 ? { ...q, x: q.x + SNAP_CORRECTION_U * 2 } : q)),
    };
    p.reconcile(moved, 0);
    expect(p.correction).toEqual({ x: 0, y: 0 });
  });
});
