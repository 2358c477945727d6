// One hostile address against the production server (no Next.js), every trick of issue 13 at once,
// while a healthy client from another loopback address keeps joining lobbies. Reports the server's peak
// RSS and the healthy joins' latency. Loopback only, bounded in time and count.
// Run: npx tsx bench/hostile.ts [--seconds N]
import { Agent } from 'node:http';
import { readFileSync } from 'node:fs';
import { io as connect } from 'socket.io-client';
import { PROTOCOL_VERSION, type Joined, type Result } from '../lib/protocol';
import type { ClientSocket } from '../lib/client/LobbyClient';
import { startAppProcess } from '../tests/helpers/appProcess';
import { pollingHandshake, pollingPost, rawMember, rawWebSocket } from '../tests/helpers/rawEngine';

const arg = process.argv.indexOf('--seconds');
const SECONDS = arg > 0 ? Number(process.argv[arg + 1]) : 20;
const ATTACKER = '127.0.0.1';
const HEALTHY = '127.0.0.2'; // another address on loopback: per-address caps must not touch it
const CONNECT = `40${JSON.stringify({ protocolVersion: PROTOCOL_VERSION })}`;

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
const rssOf = (pid: number) =>
  Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;

function client(url: string, localAddress: string): Promise<ClientSocket> {
  const agent = new Agent({ localAddress });
  const socket: ClientSocket = connect(url, {
    transports: ['websocket'],
    auth: { protocolVersion: PROTOCOL_VERSION },
    reconnection: false,
    forceNew: true,
    agent: agent as never,
  });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (err) => {
      socket.close();
      reject(err);
    });
  });
}

const ask = <T>(s: ClientSocket, event: string, payload: unknown) =>
  (s.timeout(5000) as unknown as { emitWithAck(e: string, p: unknown): Promise<Result<T>> })
    .emitWithAck(event, payload)
    .catch(() => null);

async function main() {
  const app = await startAppProcess({ SEAT_GRACE_MS: '30000' }, 'tests/helpers/socketServerMain.ts');
  const pid = app.child.pid!;
  const until = Date.now() + SECONDS * 1000;
  const live = () => Date.now() < until;
  const counts = {
    refusedHandshakes: 0,
    connectBursts: 0,
    lobbiesCreated: 0,
    lobbiesRefused: 0,
    resumes: 0,
    relayFrames: 0,
  };
  const startRss = rssOf(pid);
  let peakRss = startRss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssOf(pid))), 100);
  const closers: (() => void)[] = [];

  // A victim lobby of the healthy address, which the attacker joins with paused readers and floods.
  const victimHost = await client(app.url, HEALTHY);
  const victim = (await ask<Joined>(victimHost, 'lobby:create', {
    nickname: 'Victim',
    name: 'Victim',
    visibility: 'private',
    maxPlayers: 16,
  }))!;
  if (!victim.ok) throw new Error(victim.error);
  const invite = victim.data.lobby.inviteToken;

  const attacks = [
    // Paused readers in the victim lobby, flooded by another attacker member's relays (outgoing cap).
    (async () => {
      const sloths = await Promise.all(
        [1, 2, 3].map((i) => rawMember(app.url, invite, `Sloth${i}`, PROTOCOL_VERSION)),
      );
      for (const s of sloths) closers.push(s.stopReading(50), () => s.ws.terminate());
      const flooder = await client(app.url, ATTACKER);
      closers.push(() => flooder.close());
      if (!(await ask(flooder, 'lobby:join', { nickname: 'Flooder', invite }))?.ok) return;
      const frame = new Uint8Array(16 * 1024);
      while (live()) {
        for (const s of sloths)
          for (let i = 0; i < 20; i++) flooder.emit('relay', { to: s.playerId, data: frame });
        counts.relayFrames += 60;
        await new Promise((r) => setTimeout(r, 100)); // ~600 frames/s: three times the relay budget
      }
    })(),
    // Plain engine.io websockets held open, and polling sessions with CONNECT bursts (session cap).
    (async () => {
      while (live()) {
        try {
          const ws = await rawWebSocket(app.url);
          closers.push(() => ws.terminate());
        } catch {
          counts.refusedHandshakes++;
        }
        try {
          const sid = await pollingHandshake(app.url);
          await pollingPost(app.url, sid, Array(2000).fill(CONNECT));
          counts.connectBursts++;
        } catch {
          counts.refusedHandshakes++;
        }
      }
    })(),
    // Lobby spam, then a resume storm on one of them (lobby cap, resume budget).
    (async () => {
      while (live()) {
        const s = await client(app.url, ATTACKER).catch(() => null);
        if (!s) {
          counts.refusedHandshakes++;
          await new Promise((r) => setTimeout(r, 50)); // back off while the address is at its cap
          continue;
        }
        const made = await ask<Joined>(s, 'lobby:create', {
          nickname: 'Spam',
          name: 'Spam',
          visibility: 'public',
        });
        if (made?.ok) counts.lobbiesCreated++;
        else counts.lobbiesRefused++;
        const seat = made?.ok
          ? { lobbyId: made.data.lobby.id, playerId: made.data.selfId, token: made.data.resumeToken }
          : null;
        s.close();
        for (let i = 0; seat && i < 10 && live(); i++) {
          const r = connect(app.url, {
            transports: ['websocket'],
            auth: { protocolVersion: PROTOCOL_VERSION, resume: seat },
            reconnection: false,
            forceNew: true,
          });
          await new Promise<void>((resolve) => {
            r.once('lobby:resumed', (j: Joined) => ((seat.token = j.resumeToken), resolve()));
            r.once('lobby:resume-failed', () => resolve());
            r.once('connect_error', () => resolve());
          });
          counts.resumes++;
          r.close();
        }
      }
    })(),
  ];

  // The healthy address: a new socket joins a lobby of its own and leaves, over and over.
  const joinMs: number[] = [];
  const healthyHost = await client(app.url, HEALTHY);
  const lobby = (await ask<Joined>(healthyHost, 'lobby:create', {
    nickname: 'Kind',
    name: 'Calm',
    visibility: 'private',
  }))!;
  if (!lobby.ok) throw new Error(lobby.error);
  let failures = 0;
  for (let i = 0; live(); i++) {
    const s = await client(app.url, HEALTHY);
    const started = performance.now();
    const joined = await ask<Joined>(s, 'lobby:join', {
      nickname: `Guest${i}`,
      invite: lobby.data.lobby.inviteToken,
    });
    if (joined?.ok) joinMs.push(performance.now() - started);
    else failures++;
    await ask(s, 'lobby:leave', {});
    s.close();
    // One join (and leave) every ~200 ms: a busy but honest address stays within its event budget.
    await new Promise((r) => setTimeout(r, 200));
  }

  await Promise.allSettled(attacks);
  clearInterval(sampler);
  closers.forEach((c) => c());
  victimHost.close();
  healthyHost.close();
  await app.stop();
  joinMs.sort((a, b) => a - b);
  const mb = (b: number) => Math.round(b / 1024 / 1024);
  console.log(
    JSON.stringify(
      {
        seconds: SECONDS,
        serverRssMB: { atStart: mb(startRss), peak: mb(peakRss) },
        healthyJoins: {
          count: joinMs.length,
          failures,
          p50Ms: +pct(joinMs, 50).toFixed(1),
          p95Ms: +pct(joinMs, 95).toFixed(1),
          p99Ms: +pct(joinMs, 99).toFixed(1),
          maxMs: +(joinMs.at(-1) ?? NaN).toFixed(1),
        },
        attacker: counts,
      },
      null,
      2,
    ),
  );
}

void main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
