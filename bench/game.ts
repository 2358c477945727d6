/**
 * Ring Out figures: snapshot sizes, bandwidth per peer, host cost per tick, client replay cost.
 * Run: npx tsx bench/game.ts   (bounded: 10,000 ticks, a few seconds)
 */
import { SNAPSHOT_EVERY_TICKS, TICK_HZ } from '../lib/game/constants';
import {
  decodeSnapshot,
  encodeInputs,
  encodeSnapshot,
  INPUT_REDUNDANCY,
  type SequencedInput,
} from '../lib/game/codec';
import { Predictor } from '../lib/game/prediction';
import { nextRandom } from '../lib/game/rng';
import { createMatch, rematch, step } from '../lib/game/sim';
import type { GameState, PlayerInput } from '../lib/game/types';

const TICKS = 10_000;
const SLOTS = [0, 1, 2, 3, 4, 5, 6, 7];
/** IPv4 20 + UDP 8 + DTLS record ≈ 29 + SCTP common header 12 + DATA chunk 16: an estimate per datagram. */
const PACKET_OVERHEAD_BYTES = 85;
const SNAPSHOT_HZ = TICK_HZ / SNAPSHOT_EVERY_TICKS;

let rng = 12345;
const rand = () => {
  const r = nextRandom(rng);
  rng = r.state;
  return r.value;
};
const randomInputs = (): Map<number, PlayerInput> =>
  new Map(SLOTS.map((s) => [s, { x: rand() * 2 - 1, y: rand() * 2 - 1, dash: rand() < 0.03 }]));

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length - 1) * p))]!;
}
const us = (ms: number) => `${(ms * 1000).toFixed(1)} µs`;

function played(n: number, ticks: number): GameState {
  let s = createMatch({ seed: 7, slots: SLOTS.slice(0, n) });
  for (let i = 0; i < ticks; i++) s = step(s, randomInputs()).state;
  return s;
}

console.log(
  `Ring Out — tick ${TICK_HZ} Hz, snapshots ${SNAPSHOT_HZ} Hz, input packets ${TICK_HZ} Hz carrying ${INPUT_REDUNDANCY} inputs\n`,
);
const inputPacket = encodeInputs(
  Array.from({ length: INPUT_REDUNDANCY }, (_, i): SequencedInput => ({
    seq: i + 1,
    x: 0.5,
    y: -0.5,
    dash: false,
  })),
).length;
console.log(
  'players | snapshot B | host→peer B/s (payload / +overhead) | peer→host B/s (payload / +overhead) | host upload total B/s',
);
for (const n of [2, 4, 8]) {
  const snap = encodeSnapshot({ state: played(n, 400), acks: new Map() }).length;
  const down = snap * SNAPSHOT_HZ;
  const downWire = (snap + PACKET_OVERHEAD_BYTES) * SNAPSHOT_HZ;
  const up = inputPacket * TICK_HZ;
  const upWire = (inputPacket + PACKET_OVERHEAD_BYTES) * TICK_HZ;
  console.log(`${n} | ${snap} | ${down} / ${downWire} | ${up} / ${upWire} | ${downWire * (n - 1)}`);
}

// Host cost per tick with 8 players: step + snapshot encode (on snapshot ticks).
let s = createMatch({ seed: 99, slots: SLOTS });
const acks = new Map(SLOTS.map((x) => [x, 0]));
const times: number[] = [];
let encodes = 0;
for (let i = 0; i < 1000; i++) s = step(s, randomInputs()).state; // warm up the JIT
for (let i = 0; i < TICKS; i++) {
  const inputs = randomInputs();
  const t0 = performance.now();
  s = step(s, inputs).state;
  if (s.tick % SNAPSHOT_EVERY_TICKS === 0) {
    encodeSnapshot({ state: s, acks });
    encodes++;
  }
  times.push(performance.now() - t0);
  if (s.phase === 'matchOver') s = rematch(s);
}
times.sort((a, b) => a - b);
console.log(
  `\nhost tick, 8 players, ${TICKS} ticks (${encodes} snapshot encodes): median ${us(percentile(times, 0.5))}, p99 ${us(percentile(times, 0.99))}, max ${us(times[times.length - 1]!)}`,
);
console.log(`  budget at ${TICK_HZ} Hz: ${(1000 / TICK_HZ).toFixed(2)} ms per tick`);

// Client cost: decode one snapshot and reconcile with 8 pending inputs (~130 ms RTT at 60 Hz).
const bytes = encodeSnapshot({ state: s, acks });
const predictor = new Predictor(0);
const clientTimes: number[] = [];
let seq = 0;
for (let i = 0; i < 2000; i++) {
  for (let k = 0; k < 2; k++) predictor.applyLocal({ seq: ++seq, x: 1, y: 0, dash: false });
  const t0 = performance.now();
  const decoded = decodeSnapshot(bytes);
  if (decoded.ok) predictor.reconcile(decoded.value.state, seq - 8);
  clientTimes.push(performance.now() - t0);
}
clientTimes.sort((a, b) => a - b);
console.log(
  `client snapshot decode + reconcile (8 replayed ticks): median ${us(percentile(clientTimes, 0.5))}, p99 ${us(percentile(clientTimes, 0.99))}`,
);
