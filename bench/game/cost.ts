/**
 * Ring Out's costs without a browser: snapshot sizes, bandwidth per peer, the host's CPU per tick and a
 * client's per snapshot. Bounded: 10,000 host ticks and 2,000 client snapshots, a few seconds.
 */
import { SNAPSHOT_EVERY_TICKS, TICK_HZ } from '../../lib/game/constants';
import {
  decodeSnapshot,
  encodeInputs,
  encodeSnapshot,
  INPUT_REDUNDANCY,
  type SequencedInput,
} from '../../lib/game/codec';
import { Predictor } from '../../lib/game/prediction';
import { nextRandom } from '../../lib/game/rng';
import { createMatch, rematch, step } from '../../lib/game/sim';
import type { GameState, PlayerInput } from '../../lib/game/types';

const TICKS = 10_000;
const SLOTS = [0, 1, 2, 3, 4, 5, 6, 7];
/** IPv4 20 + UDP 8 + DTLS record ≈ 29 + SCTP common header 12 + DATA chunk 16: an estimate per datagram. */
const PACKET_OVERHEAD_BYTES = 85;
const SNAPSHOT_HZ = TICK_HZ / SNAPSHOT_EVERY_TICKS;

export interface GameCostFigures {
  tickHz: number;
  snapshotHz: number;
  inputRedundancy: number;
  /** Per lobby size: bytes per snapshot and bytes per second (payload, and with estimated packet overhead). */
  bandwidth: {
    players: number;
    snapshotBytes: number;
    hostToPeerBps: number;
    hostToPeerWireBps: number;
    peerToHostBps: number;
    peerToHostWireBps: number;
    hostUploadWireBps: number;
  }[];
  /** Host step (+ snapshot encode) per tick with 8 players, µs. */
  hostTickUs: { median: number; p99: number; max: number };
  /** Client: decode one snapshot and reconcile with 8 replayed inputs, µs. */
  clientSnapshotUs: { median: number; p99: number };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length - 1) * p))]!;
}
const us = (ms: number) => Math.round(ms * 10_000) / 10;

export function measureGameCost(): GameCostFigures {
  let rng = 12345;
  const rand = () => {
    const r = nextRandom(rng);
    rng = r.state;
    return r.value;
  };
  const randomInputs = (): Map<number, PlayerInput> =>
    new Map(SLOTS.map((s) => [s, { x: rand() * 2 - 1, y: rand() * 2 - 1, dash: rand() < 0.03 }]));
  const played = (n: number, ticks: number): GameState => {
    let s = createMatch({ seed: 7, slots: SLOTS.slice(0, n) });
    for (let i = 0; i < ticks; i++) s = step(s, randomInputs()).state;
    return s;
  };

  const inputPacket = encodeInputs(
    Array.from({ length: INPUT_REDUNDANCY }, (_, i): SequencedInput => ({
      seq: i + 1,
      x: 0.5,
      y: -0.5,
      dash: false,
    })),
  ).length;
  const bandwidth = [2, 4, 8].map((n) => {
    const snap = encodeSnapshot({ state: played(n, 400), acks: new Map() }).length;
    const hostToPeerWireBps = (snap + PACKET_OVERHEAD_BYTES) * SNAPSHOT_HZ;
    return {
      players: n,
      snapshotBytes: snap,
      hostToPeerBps: snap * SNAPSHOT_HZ,
      hostToPeerWireBps,
      peerToHostBps: inputPacket * TICK_HZ,
      peerToHostWireBps: (inputPacket + PACKET_OVERHEAD_BYTES) * TICK_HZ,
      hostUploadWireBps: hostToPeerWireBps * (n - 1),
    };
  });

  // Host cost per tick with 8 players: step + snapshot encode (on snapshot ticks).
  let s = createMatch({ seed: 99, slots: SLOTS });
  const acks = new Map(SLOTS.map((x) => [x, 0]));
  const times: number[] = [];
  for (let i = 0; i < 1000; i++) s = step(s, randomInputs()).state; // warm up the JIT
  for (let i = 0; i < TICKS; i++) {
    const inputs = randomInputs();
    const t0 = performance.now();
    s = step(s, inputs).state;
    if (s.tick % SNAPSHOT_EVERY_TICKS === 0) encodeSnapshot({ state: s, acks });
    times.push(performance.now() - t0);
    if (s.phase === 'matchOver') s = rematch(s);
  }
  times.sort((a, b) => a - b);

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

  return {
    tickHz: TICK_HZ,
    snapshotHz: SNAPSHOT_HZ,
    inputRedundancy: INPUT_REDUNDANCY,
    bandwidth,
    hostTickUs: {
      median: us(percentile(times, 0.5)),
      p99: us(percentile(times, 0.99)),
      max: us(times.at(-1)!),
    },
    clientSnapshotUs: { median: us(percentile(clientTimes, 0.5)), p99: us(percentile(clientTimes, 0.99)) },
  };
}
