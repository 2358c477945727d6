import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeInputs,
  decodeReliable,
  decodeSnapshot,
  encodeInputs,
  encodeReliable,
  encodeSnapshot,
  INPUT_REDUNDANCY,
  quantizeInput,
  snapshotBytes,
  type SequencedInput,
} from '../../lib/game/codec';
import { createMatch } from '../../lib/game/sim';
import { randomInputs, runTicks } from './game-helpers';

const ALL8 = [0, 1, 2, 3, 4, 5, 6, 7];

function playedSnapshot(slots: number[], ticks: number) {
  const inputs = randomInputs(ticks);
  const { state } = runTicks(createMatch({ seed: 77, slots }), ticks, (s) =>
    inputs(s.players.map((p) => p.slot)),
  );
  return { state, acks: new Map(state.players.map((p) => [p.slot, 1000 + p.slot * 7])) };
}

describe('codec: inputs', () => {
  it('round-trips the newest INPUT_REDUNDANCY inputs, oldest first, quantized to the stick grid', () => {
    const inputs: SequencedInput[] = Array.from({ length: 12 }, (_, i) => ({
      seq: i + 1,
      x: Math.sin(i),
      y: -0.5,
      dash: i % 3 === 0,
    }));
    const bytes = encodeInputs(inputs);
    expect(bytes.length).toBe(7 + 3 * INPUT_REDUNDANCY);
    const decoded = decodeInputs(bytes);
    expect(decoded.ok).toBe(true);
    if (!decoded.ok) return;
    expect(decoded.value.map((i) => i.seq)).toEqual([5, 6, 7, 8, 9, 10, 11, 12]);
    decoded.value.forEach((d) => {
      const original = inputs[d.seq - 1]!;
      expect({ ...d, seq: undefined }).toEqual({ ...quantizeInput(original), seq: undefined });
      expect(Math.abs(d.x - original.x)).toBeLessThanOrEqual(0.5 / 127 + 1e-12);
    });
  });

  it('rejects wrong kind, version, counts, lengths and out-of-range fields with typed errors', () => {
    const good = encodeInputs([{ seq: 9, x: 0, y: 0, dash: false }]);
    const mutate = (f: (b: Uint8Array) => void) => {
      const b = good.slice();
      f(b);
      return decodeInputs(b);
    };
    expect(decodeInputs(new Uint8Array())).toEqual({ ok: false, error: { code: 'EMPTY' } });
    expect(mutate((b) => (b[0] = 2))).toMatchObject({ ok: false, error: { code: 'BAD_KIND' } });
    expect(mutate((b) => (b[1] = 99))).toMatchObject({ ok: false, error: { code: 'BAD_VERSION' } });
    expect(mutate((b) => (b[2] = 2))).toMatchObject({ ok: false, error: { code: 'BAD_LENGTH' } });
    expect(mutate((b) => (b[2] = 0))).toMatchObject({
      ok: false,
      error: { code: 'OUT_OF_RANGE', field: 'count' },
    });
    expect(mutate((b) => (b[7] = 0x80))).toMatchObject({
      ok: false,
      error: { code: 'OUT_OF_RANGE', field: 'stick' },
    });
    expect(mutate((b) => (b[9] = 4))).toMatchObject({
      ok: false,
      error: { code: 'OUT_OF_RANGE', field: 'buttons' },
    });
    expect(decodeInputs(good.slice(0, 8))).toMatchObject({ ok: false, error: { code: 'BAD_LENGTH' } });
  });
});

describe('codec: snapshots', () => {
  it('round-trips a played 8-player state exactly (the sim state lives on the wire grid)', () => {
    for (const ticks of [0, 200, 1500, 4000]) {
      const snap = playedSnapshot(ALL8, ticks);
      const decoded = decodeSnapshot(encodeSnapshot(snap));
      expect(decoded.ok).toBe(true);
      if (!decoded.ok) return;
      expect(decoded.value.state).toEqual(snap.state);
      expect([...decoded.value.acks]).toEqual([...snap.acks]);
    }
  });

  it('sizes: 2, 4, 8 players are 63, 107, 195 bytes — far under 1200', () => {
    const sizes = [2, 4, 8].map((n) => encodeSnapshot(playedSnapshot(ALL8.slice(0, n), 300)).length);
    expect(sizes).toEqual([63, 107, 195]);
    expect(sizes).toEqual([2, 4, 8].map((n) => snapshotBytes(n)));
    expect(snapshotBytes(8)).toBeLessThan(1200 / 4);
  });

  it('rejects truncated, padded and inconsistent snapshots', () => {
    const bytes = encodeSnapshot(playedSnapshot([0, 1, 2], 100));
    expect(decodeSnapshot(bytes.slice(0, bytes.length - 1))).toMatchObject({
      ok: false,
      error: { code: 'BAD_LENGTH' },
    });
    expect(decodeSnapshot(new Uint8Array([...bytes, 0]))).toMatchObject({
      ok: false,
      error: { code: 'BAD_LENGTH' },
    });
    const dupSlot = bytes.slice();
    dupSlot[19 + 22] = dupSlot[19]!; // second player claims the first one's slot
    expect(decodeSnapshot(dupSlot)).toMatchObject({
      ok: false,
      error: { code: 'OUT_OF_RANGE', field: 'slot' },
    });
    const badPhase = bytes.slice();
    badPhase[6] = 9;
    expect(decodeSnapshot(badPhase)).toMatchObject({
      ok: false,
      error: { code: 'OUT_OF_RANGE', field: 'phase' },
    });
  });
});

describe('codec: garbage never throws', () => {
  it('random bytes: every decoder returns ok or a typed error', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
        for (const r of [decodeInputs(bytes), decodeSnapshot(bytes), decodeReliable(bytes)]) {
          expect(typeof r.ok).toBe('boolean');
          if (!r.ok) expect(typeof r.error.code).toBe('string');
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('random bytes behind valid headers: accepted snapshots re-encode to the same bytes', () => {
    const header = fc.tuple(
      fc.integer({ min: 0, max: 8 }),
      fc.uint8Array({ minLength: 400, maxLength: 400 }),
    );
    fc.assert(
      fc.property(header, ([count, noise]) => {
        const bytes = noise.slice(0, snapshotBytes(count));
        bytes[0] = 2;
        bytes[1] = 1;
        bytes[18] = count;
        const r = decodeSnapshot(bytes);
        if (r.ok) expect(encodeSnapshot(r.value)).toEqual(bytes);
        else expect(r.error.code).toBe('OUT_OF_RANGE');
      }),
      { numRuns: 3000 },
    );
  });

  it('bit flips in valid input packets never throw', () => {
    const good = encodeInputs(
      Array.from({ length: 8 }, (_, i) => ({ seq: 100 + i, x: 0.3, y: -1, dash: true })),
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: good.length * 8 - 1 }), (bit) => {
        const b = good.slice();
        b[bit >> 3]! ^= 1 << (bit & 7);
        const r = decodeInputs(b);
        if (r.ok) expect(r.value.length).toBeGreaterThan(0);
      }),
    );
  });

  it('reliable: arbitrary JSON and strings are parsed or rejected, never thrown', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.json(),
          fc.string(),
          fc.jsonValue().map((v) => JSON.stringify({ t: 'roster', v: 1, players: v })),
        ),
        (text) => {
          const r = decodeReliable(text);
          if (!r.ok) expect(['BAD_JSON', 'BAD_SHAPE', 'TOO_LARGE']).toContain(r.error.code);
        },
      ),
      { numRuns: 2000 },
    );
    expect(decodeReliable('{"t":"__proto__","v":1}')).toMatchObject({
      ok: false,
      error: { code: 'BAD_SHAPE' },
    });
    expect(decodeReliable('x'.repeat(5000))).toMatchObject({ ok: false, error: { code: 'TOO_LARGE' } });
    const roster = encodeReliable({
      t: 'roster',
      v: 1,
      players: [{ slot: 3, id: 'p3', nickname: '<b>x</b>' }],
    });
    expect(decodeReliable(roster)).toEqual({ ok: true, value: JSON.parse(roster) });
    expect(
      decodeReliable(
        JSON.stringify({ t: 'event', v: 1, tick: 5, event: { type: 'knockout', victim: 9, by: null } }),
      ),
    ).toMatchObject({ ok: false });
  });
});
