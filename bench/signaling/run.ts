/**
 * Section 1: our signaling server against the bare socket.io relay, same run, interleaved.
 * Server pinned to core 0, load generator to core 1 (taskset, when present).
 */
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { firstMessage, ipcClient, spawnNode, stopChild } from '../procs';
import { median, round } from '../stats';
import type { ConnectResult, LatencyResult, LoadReply, LoadRequest, ServerReply, ServerRequest, ServerStats, Target, ThroughputResult } from './protocol';

export interface SignalingPlan {
  repeats: number;
  memorySteps: number[];
  ratesPerS: number[];
  rateDurationMs: number;
  rateWarmupMs: number;
  latencyPlayers: number;
  throughputPlayers: number;
  throughputInFlight: number;
  throughputWarmupMs: number;
  throughputMs: number;
}

const SERVER_FILE = fileURLToPath(new URL('./server.ts', import.meta.url));
const LOADGEN_FILE = fileURLToPath(new URL('./loadgen.ts', import.meta.url));
const SERVER_CORE = 0;
const LOAD_CORE = 1;
const START_TIMEOUT_MS = 30_000;
const CONNECT_CONCURRENCY = 64;
/** Latency phase payload: an offer-sized SDP. */
const OFFER_BYTES = 2048;
const P99_BUDGET_MS = 50;
/** Above this p99 the server is past saturation; higher rates are skipped. */
const GIVE_UP_P99_MS = 500;
/** Warm-up group before the memory baseline: JIT and lazy module state are not per-player cost. */
const WARMUP_PLAYERS = 4;

interface Rig {
  server: ChildProcess;
  load: ChildProcess;
  stats(gc: boolean): Promise<ServerStats>;
  snapshot(file: string): Promise<void>;
  loadRequest<T>(make: (id: number) => LoadRequest, timeoutMs: number): Promise<T>;
  close(): Promise<void>;
}

async function startRig(target: Target): Promise<Rig> {
  // BENCH_CPU_PROF=dir: the servers under test write V8 CPU profiles there (node --cpu-prof).
  const prof = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}/${target}`] : [];
  const server = spawnNode(process.env.BENCH_SERVER_FILE ?? SERVER_FILE, [target], { core: SERVER_CORE, nodeFlags: ['--expose-gc', ...prof], env: { NODE_ENV: 'production', LOG_LEVEL: 'silent' } });
  let load: ChildProcess | null = null;
  try {
    const { url } = await firstMessage<{ url: string }>(server, 'ready', START_TIMEOUT_MS);
    load = spawnNode(LOADGEN_FILE, [target, url], { core: LOAD_CORE, nodeFlags: ['--max-old-space-size=4096'] });
    await firstMessage(load, 'ready', START_TIMEOUT_MS);
  } catch (err) {
    await stopChild(server);
    if (load) await stopChild(load);
    throw err;
  }
  const serverRpc = ipcClient<Extract<ServerRequest, { id: number }>, Extract<ServerReply, { type: 'stats' }>>(server);
  const loadRpc = ipcClient<LoadRequest & { id: number }, LoadReply>(load);
  const loadProc = load;
  return {
    server,
    load: loadProc,
    stats: (gc) => serverRpc((id) => ({ type: 'stats', id, gc }), 10_000),
    snapshot: async (file) => void (await serverRpc((id) => ({ type: 'snapshot', id, file }), 120_000)),
    async loadRequest<T>(make: (id: number) => LoadRequest, timeoutMs: number) {
      const rep = await loadRpc(make as (id: number) => LoadRequest & { id: number }, timeoutMs);
      return (rep as Extract<LoadReply, { type: 'done' }>).result as T;
    },
    async close() {
      await Promise.all([stopChild(loadProc), stopChild(server)]);
    },
  };
}

const connect = (rig: Rig, count: number) =>
  rig.loadRequest<ConnectResult>((id) => ({ type: 'connect', id, count, concurrency: CONNECT_CONCURRENCY }), 120_000);

export interface MemoryFigure {
  players: number;
  rssPerPlayerKB: number | null;
  heapPerPlayerKB: number | null;
  /** Growth from the previous step only (the marginal cost). */
  marginalRssPerPlayerKB: number | null;
  marginalHeapPerPlayerKB: number | null;
  connectJoinPerS: number | null;
  serverCpuPerConnectMs: number | null;
}

async function memory(target: Target, steps: number[]): Promise<MemoryFigure[]> {
  const rig = await startRig(target);
  try {
    await connect(rig, WARMUP_PLAYERS);
    const base = await rig.stats(true);
    // BENCH_HEAP_SNAPSHOT=dir: heap snapshots at the baseline and after the first step (harness only).
    const snapDir = process.env.BENCH_HEAP_SNAPSHOT;
    const snapshot = (label: string) => (snapDir ? rig.snapshot(`${snapDir}/${target}-${label}.heapsnapshot`) : Promise.resolve());
    await snapshot('base');
    let prev = { players: 0, stats: base };
    const figures: MemoryFigure[] = [];
    for (const players of steps) {
      const before = await rig.stats(false);
      const added = await connect(rig, players - prev.players);
      const during = await rig.stats(false);
      const after = await rig.stats(true);
      const kb = (bytes: number, n: number) => round(bytes / n / 1024, 2);
      figures.push({
        players,
        rssPerPlayerKB: kb(after.rssBytes - base.rssBytes, players),
        heapPerPlayerKB: kb(after.heapUsedBytes - base.heapUsedBytes, players),
        marginalRssPerPlayerKB: kb(after.rssBytes - prev.stats.rssBytes, players - prev.players),
        marginalHeapPerPlayerKB: kb(after.heapUsedBytes - prev.stats.heapUsedBytes, players - prev.players),
        connectJoinPerS: round((added.connected * 1000) / added.ms, 0),
        serverCpuPerConnectMs: round((during.cpuMicros - before.cpuMicros) / 1000 / added.connected, 3),
      });
      if (figures.length === 1) await snapshot(String(players));
      prev = { players, stats: after };
    }
    return figures;
  } finally {
    await rig.close();
  }
}

export interface RateFigure extends Omit<LatencyResult, 'rejected'> {
  offersPerS: number;
  serverCpuPerSignalUs: number | null;
}
export interface ThroughputFigure {
  players: number;
  deliveredPerS: number | null;
  serverCpuPerSignalUs: number | null;
  /** Server CPU share during the window (1 = one full core). */
  serverCoreShare: number | null;
  /** 1e6 / CPU per signal: what one core could relay if the load generator kept up. */
  capacityPerS: number | null;
  rejected: number;
}
export interface RelayFigures {
  rates: RateFigure[];
  maxOffersPerSUnderP99Budget: number | null;
  throughput: ThroughputFigure;
  rejected: number;
}

async function relay(target: Target, plan: SignalingPlan): Promise<RelayFigures> {
  const rig = await startRig(target);
  try {
    await connect(rig, plan.latencyPlayers);
    const rates: RateFigure[] = [];
    let rejected = 0;
    for (const ratePerS of plan.ratesPerS) {
      const before = await rig.stats(false);
      const r = await rig.loadRequest<LatencyResult>(
        (id) => ({ type: 'latency', id, players: plan.latencyPlayers, ratePerS, durationMs: plan.rateDurationMs, warmupMs: plan.rateWarmupMs, payloadBytes: OFFER_BYTES }),
        plan.rateDurationMs + plan.rateWarmupMs + 30_000,
      );
      const after = await rig.stats(false);
      rejected = r.rejected;
      rates.push({
        offersPerS: ratePerS,
        sent: r.sent,
        completed: r.completed,
        lost: r.lost,
        p50Ms: round(r.p50Ms, 2)!,
        p99Ms: round(r.p99Ms, 2)!,
        achievedPerS: round(r.achievedPerS, 0)!,
        serverCpuPerSignalUs: round((after.cpuMicros - before.cpuMicros) / Math.max(1, r.completed * 2), 2),
      });
      if (!(r.p99Ms < GIVE_UP_P99_MS)) break;
    }
    const held = rates.filter((r) => r.p99Ms < P99_BUDGET_MS && r.lost === 0).map((r) => r.offersPerS);
    await connect(rig, plan.throughputPlayers - plan.latencyPlayers);
    const tp = (action: 'start' | 'mark' | 'stop') =>
      rig.loadRequest<ThroughputResult>(
        (id) => (action === 'start' ? { type: 'throughput', id, action, players: plan.throughputPlayers, inFlight: plan.throughputInFlight } : { type: 'throughput', id, action }),
        10_000,
      );
    await tp('start');
    await new Promise((r) => setTimeout(r, plan.throughputWarmupMs));
    const [s0, m0] = await Promise.all([rig.stats(false), tp('mark')]);
    await new Promise((r) => setTimeout(r, plan.throughputMs));
    const [s1, m1] = await Promise.all([rig.stats(false), tp('stop')]);
    const delivered = m1.delivered - m0.delivered;
    const cpuUs = s1.cpuMicros - s0.cpuMicros;
    const perSignal = cpuUs / Math.max(1, delivered);
    return {
      rates,
      maxOffersPerSUnderP99Budget: held.length ? Math.max(...held) : null,
      rejected: m1.rejected,
      throughput: {
        players: plan.throughputPlayers,
        deliveredPerS: round((delivered * 1000) / (m1.atMs - m0.atMs), 0),
        serverCpuPerSignalUs: round(perSignal, 2),
        serverCoreShare: round(cpuUs / 1000 / (m1.atMs - m0.atMs), 2),
        capacityPerS: round(1e6 / perSignal, 0),
        rejected: m1.rejected - rejected,
      },
    };
  } finally {
    await rig.close();
  }
}

export interface TargetFigures {
  memory: MemoryFigure[];
  relay: RelayFigures;
}
export type SignalingFigures = Record<Target, TargetFigures> & { repeats: number; taskset: boolean };

/** Medians of every numeric leaf across repeats (arrays element-wise, same shape every time). */
function medianOf<T>(all: T[]): T {
  const runs = all.filter((r) => r !== undefined && r !== null);
  const first = runs[0];
  if (typeof first === 'number') return median(runs as number[]) as T;
  if (Array.isArray(first)) return first.map((_, i) => medianOf(runs.map((r) => (r as unknown[])[i]))) as T;
  if (first && typeof first === 'object') {
    return Object.fromEntries(Object.keys(first).map((k) => [k, medianOf(runs.map((r) => (r as Record<string, unknown>)[k]))])) as T;
  }
  return first as T;
}

export async function runSignaling(plan: SignalingPlan, log: (line: string) => void, taskset: boolean): Promise<SignalingFigures> {
  const runs: Record<Target, TargetFigures[]> = { bare: [], ours: [] };
  for (let i = 0; i < plan.repeats; i++) {
    // Interleaved (bare, ours, ours, bare, ...): drift on a shared machine hits both alike.
    const order: Target[] = i % 2 === 0 ? ['bare', 'ours'] : ['ours', 'bare'];
    for (const target of order) {
      log(`signaling ${target} #${i + 1}: memory ${plan.memorySteps.join('/')} players`);
      const mem = await memory(target, plan.memorySteps);
      log(`signaling ${target} #${i + 1}: relay latency and throughput`);
      const rel = await relay(target, plan);
      runs[target].push({ memory: mem, relay: rel });
    }
  }
  return { repeats: plan.repeats, taskset, bare: medianOf(runs.bare), ours: medianOf(runs.ours) };
}
