/** The game section of `npm run bench`: its costs without a browser, then input → screen in Chromium. */
import { measureGameCost, type GameCostFigures } from './cost';
import { measureGameLatency, type GameLatencyFigures } from './latency';

export interface GamePlan {
  /** Key presses timed in the browser. */
  trials: number;
}

export interface GameFigures {
  cost: GameCostFigures;
  latency: GameLatencyFigures;
}

export async function runGame(plan: GamePlan, log: (line: string) => void): Promise<GameFigures> {
  log('game: snapshot sizes, bandwidth, host and client CPU');
  const cost = measureGameCost();
  log(`game: input → drawn frame, 3 Chromium pages, ${plan.trials} key presses`);
  const latency = await measureGameLatency(plan.trials, log);
  return { cost, latency };
}

const kBps = (bps: number) => (bps / 1000).toFixed(1);
const spreadCell = (s: { median: number; p90: number; min: number; max: number; n: number }) =>
  `${s.median} (p90 ${s.p90}, ${s.min}–${s.max}, n=${s.n})`;

export function renderGame(g: GameFigures): string[] {
  const { cost, latency: l } = g;
  const out = [
    `## Game (Ring Out: ${cost.tickHz} Hz simulation, ${cost.snapshotHz} Hz snapshots, inputs carry the last ${cost.inputRedundancy})`,
    '',
    '| players | snapshot (B) | host → each peer, payload / on the wire (kB/s) | peer → host (kB/s) | host upload in all (kB/s) |',
    '|---|---|---|---|---|',
    ...cost.bandwidth.map(
      (b) =>
        `| ${b.players} | ${b.snapshotBytes} | ${kBps(b.hostToPeerBps)} / ${kBps(b.hostToPeerWireBps)} | ${kBps(b.peerToHostBps)} / ${kBps(b.peerToHostWireBps)} | ${kBps(b.hostUploadWireBps)} |`,
    ),
    '',
    `Host step + snapshot encode per tick, 8 players: median ${cost.hostTickUs.median} µs, p99 ${cost.hostTickUs.p99} µs (budget ${(1000 / cost.tickHz).toFixed(2)} ms). ` +
      `Client snapshot decode + reconcile with 8 replayed inputs: median ${cost.clientSnapshotUs.median} µs, p99 ${cost.clientSnapshotUs.p99} µs.`,
    '',
    '| key down in page A → drawn moved (ms) | median (p90, min–max, n) |',
    '|---|---|',
    `| A, its own puck (predicted) | ${spreadCell(l.own)} |`,
    `| H, the authority (draws its simulation ${l.authorityDelayMs ?? '?'} ms behind) | ${spreadCell(l.authority)} |`,
    `| B, another player (A → H → B, interpolated) | ${spreadCell(l.remote)} |`,
  ];
  if (l.floor) {
    const f = l.floor;
    out.push(
      `| floor for B: 1 RTT ${f.rttMs} + 1 snapshot interval ${f.snapshotMs} + 1 frame ${f.frameMs} + jitter allowance ${f.jitterMs} | ${f.totalMs} (B − floor: ${(l.remote.median - f.totalMs).toFixed(1)}; target B ≤ 100) |`,
    );
  }
  out.push(
    '',
    `Loopback, 3 headless Chromium pages with direct links; frame interval A ${l.frameMs.a} ms, B ${l.frameMs.b} ms; ${l.discarded} trials discarded (round over). ` +
      'Times from the frames that draw the puck ≥ 0.3 u from where it rested; pixels reach the screen one composite later.',
    '',
  );
  return out;
}
