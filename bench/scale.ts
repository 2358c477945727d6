// Scale-out figures: cross-instance vs same-instance signal latency, and join throughput with 2
// instances against 1 — real redis-server and real server processes on loopback, bounded counts.
// Run: npx tsx bench/scale.ts [--quick]
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import type { Joined } from '../lib/protocol';
import { startAppProcess, type AppProcess } from '../tests/helpers/appProcess';
import { startRedisServer, uniqueKeyPrefix } from '../tests/helpers/redis';
import { connectClient, request } from '../tests/helpers/server';
import type { ClientSocket } from '../lib/client/LobbyClient';

const quick = process.argv.includes('--quick');
const ROUND_TRIPS = quick ? 300 : 1000;
const JOIN_LOBBIES = quick ? 100 : 300;

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const candidate = (i: number) => ({
  type: 'candidate',
  candidate: {
    candidate: `candidate:842163049 1 udp 1677729535 203.0.113.7 5${String(i % 10000).padStart(4, '0')} typ srflx raddr 0.0.0.0 rport 0 generation 0 ufrag abcd network-cost 999`,
    sdpMid: '0',
    sdpMLineIndex: 0,
  },
});

async function pair(urlA: string, urlB: string) {
  const a = await connectClient(urlA);
  const b = await connectClient(urlB);
  const created = await request<Joined>(a, 'lobby:create', {
    nickname: 'A',
    name: 'Bench',
    visibility: 'private',
  });
  if (!created.ok) throw new Error(created.error);
  const joined = await request<Joined>(b, 'lobby:join', {
    nickname: 'B',
    invite: created.data.lobby.inviteToken,
  });
  if (!joined.ok) throw new Error(joined.error);
  // As a real client does: A signals B once it has seen B in the lobby.
  await new Promise<void>((resolve) => {
    const onState = (l: { members: unknown[] }) => {
      if (l.members.length < 2) return;
      a.off('lobby:state', onState);
      resolve();
    };
    a.on('lobby:state', onState);
  });
  return { a, b, aId: created.data.selfId, bId: joined.data.selfId };
}

/** A → server → B → server → A with a ~200 B candidate, one at a time. */
async function pingPong(a: ClientSocket, b: ClientSocket, aId: string, bId: string) {
  b.on('signal', (m: { negotiationId: number }) =>
    b.emit('signal', { to: aId, negotiationId: m.negotiationId, signal: candidate(m.negotiationId) }),
  );
  // Warm-up, and proof the path works (membership reaches the other instance asynchronously).
  const rtts: number[] = [];
  for (let i = 0; i < ROUND_TRIPS + 50; i++) {
    const t0 = process.hrtime.bigint();
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('signal round trip timed out')), 5000);
      a.once('signal', () => {
        clearTimeout(timer);
        resolve();
      });
      a.emit('signal', { to: bId, negotiationId: i, signal: candidate(i) });
    });
    if (i >= 50) rtts.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  rtts.sort((x, y) => x - y);
  return { p50: +pct(rtts, 50).toFixed(3), p99: +pct(rtts, 99).toFixed(3) };
}

/** Pre-connected sockets; timed: every lobby created and joined, all at once. */
async function joinRate(urls: string[]) {
  const hosts = await Promise.all(
    Array.from({ length: JOIN_LOBBIES }, (_, i) => connectClient(urls[i % urls.length]!)),
  );
  const guests = await Promise.all(
    Array.from({ length: JOIN_LOBBIES }, (_, i) => connectClient(urls[(i + 1) % urls.length]!)),
  );
  const t0 = process.hrtime.bigint();
  await Promise.all(
    hosts.map(async (h, i) => {
      const c = await request<Joined>(h, 'lobby:create', {
        nickname: 'H',
        name: 'Rate',
        visibility: 'private',
      });
      if (!c.ok) throw new Error(c.error);
      const j = await request(guests[i]!, 'lobby:join', { nickname: 'G', invite: c.data.lobby.inviteToken });
      if (!j.ok) throw new Error(j.error);
    }),
  );
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  [...hosts, ...guests].forEach((s) => s.close());
  // Two commands per lobby (create + join).
  return +((2 * JOIN_LOBBIES) / seconds).toFixed(0);
}

async function main() {
  const redis = await startRedisServer();
  const procs: AppProcess[] = [];
  try {
    const env = {
      REDIS_URL: redis.url,
      REDIS_PREFIX: uniqueKeyPrefix('bench'),
      SERVE_PAGES: 'false',
      SESSION_SECRET: 'bench-shared-secret-0123456789',
      SIGNAL_RATE_PER_10S: '100000',
      MAX_CONNECTIONS_PER_IP: '100000',
      IP_EVENT_RATE_PER_10S: '1000000',
      ADDRESS_BUDGET_FACTOR: '1000000',
      MAX_LOBBIES_PER_ADDRESS: '1000000',
    };
    const [one, two] = await Promise.all([startAppProcess(env), startAppProcess(env)]);
    procs.push(one!, two!);
    const same = await pair(one!.url, one!.url);
    const sameRtt = await pingPong(same.a, same.b, same.aId, same.bId);
    const cross = await pair(one!.url, two!.url);
    const crossRtt = await pingPong(cross.a, cross.b, cross.aId, cross.bId);
    [same.a, same.b, cross.a, cross.b].forEach((s) => s.close());
    const joinsOne = await joinRate([one!.url]);
    const joinsTwo = await joinRate([one!.url, two!.url]);

    const result = {
      mode: quick ? 'quick' : 'full',
      machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version },
      signalRoundTripMs: {
        sameInstance: sameRtt,
        crossInstance: crossRtt,
        ratioP50: +(crossRtt.p50 / sameRtt.p50).toFixed(2),
      },
      joinCommandsPerSecond: {
        oneInstance: joinsOne,
        twoInstances: joinsTwo,
        ratio: +(joinsTwo / joinsOne).toFixed(2),
      },
      counts: { roundTrips: ROUND_TRIPS, lobbies: JOIN_LOBBIES },
    };
    mkdirSync('bench/results', { recursive: true });
    writeFileSync(`bench/results/scale-${result.mode}.json`, `${JSON.stringify(result, null, 2)}\n`);
    const md = [
      `| scale-out (Redis, 2 instances) | same instance | cross instance | ratio |`,
      `|---|---|---|---|`,
      `| signal round trip p50 (ms) | ${sameRtt.p50} | ${crossRtt.p50} | ${result.signalRoundTripMs.ratioP50}× |`,
      `| signal round trip p99 (ms) | ${sameRtt.p99} | ${crossRtt.p99} | ${(crossRtt.p99 / sameRtt.p99).toFixed(2)}× |`,
      `| create+join commands/s | 1 instance: ${joinsOne} | 2 instances: ${joinsTwo} | ${result.joinCommandsPerSecond.ratio}× |`,
    ].join('\n');
    writeFileSync(`bench/results/scale-${result.mode}.md`, `${md}\n`);
    console.log(md);
  } finally {
    await Promise.all(procs.map((p) => p.stop('SIGKILL')));
    await redis.close();
  }
}

void main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
