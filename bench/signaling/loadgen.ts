/**
 * Load generator, a child process on its own core: many socket.io-client sockets (websocket
 * transport), joined in lobbies of 4 (ours: lobby:create + lobby:join; bare: a room). Every load
 * loop is bounded in count and time; times come from process.hrtime.bigint().
 */
import { io as connect, type Socket } from 'socket.io-client';
import { PROTOCOL_VERSION, type Result } from '../../lib/protocol';
import { nowMs, percentile } from '../stats';
import type { ConnectResult, LatencyResult, LoadReply, LoadRequest, Target, ThroughputResult } from './protocol';

const target = process.argv[2] as Target;
const url = process.argv[3]!;
const LOBBY_SIZE = 4;
const ACK_TIMEOUT_MS = 20_000;
/** Waiting for in-flight round trips after a latency phase stops sending. */
const DRAIN_TIMEOUT_MS = 3000;
/** Upper bound on signals one latency phase may send (memory for send times). */
const MAX_PHASE_SIGNALS = 400_000;
/** A 200-byte ICE candidate line (typical host candidates are 100–200 characters). */
const CANDIDATE = `candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host generation 0 ufrag abcd network-id 1 network-cost 10 `.padEnd(200, 'x');

type Signal =
  | { type: 'description'; description: { type: 'offer' | 'answer'; sdp: string } }
  | { type: 'candidate'; candidate: { candidate: string; sdpMid: string; sdpMLineIndex: number } };

interface Player {
  socket: Socket;
  id: string;
  peers: string[];
}

const players: Player[] = [];
const byId = new Map<string, Player>();
let rejected = 0;

type Mode =
  | { kind: 'idle' }
  | { kind: 'latency'; sentAt: Float64Array; warmupSeq: number; samples: number[]; onComplete: () => void }
  | { kind: 'throughput'; running: boolean; delivered: number };
let mode = { kind: 'idle' } as Mode;

const reply = (m: LoadReply) => process.send?.(m);

function sendSignal(p: Player, to: string, negotiationId: number, signal: Signal) {
  if (target === 'ours') p.socket.emit('signal', { to, negotiationId, signal });
  else p.socket.emit('signal', { to, data: { negotiationId, signal } });
}

const randomPeer = (p: Player) => p.peers[Math.floor(Math.random() * p.peers.length)]!;

function onSignal(p: Player, from: string, negotiationId: number, signal: Signal) {
  if (signal.type === 'description') {
    if (signal.description.type === 'offer') {
      sendSignal(p, from, negotiationId, { type: 'description', description: { type: 'answer', sdp: signal.description.sdp } });
    } else if (mode.kind === 'latency') {
      const rtt = nowMs() - mode.sentAt[negotiationId]!;
      if (negotiationId >= mode.warmupSeq) mode.samples.push(rtt);
      mode.onComplete();
    }
    return;
  }
  if (mode.kind !== 'throughput') return;
  mode.delivered++;
  if (mode.running) sendSignal(p, randomPeer(p), 0, signal);
}

function openSocket(): Promise<Socket> {
  const socket = connect(url, {
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    auth: target === 'ours' ? { protocolVersion: PROTOCOL_VERSION } : {},
  });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

function request<T>(socket: Socket, event: string, payload: unknown): Promise<T> {
  return socket.timeout(ACK_TIMEOUT_MS).emitWithAck(event, payload) as Promise<T>;
}

interface Joined {
  selfId: string;
  lobby: { code: string };
}

function unwrap<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`lobby command failed: ${r.error}`);
  return r.data;
}

/** One lobby of 4: ours creates then joins by code; bare joins a room. */
async function joinGroup(groupIndex: number): Promise<void> {
  const sockets = await Promise.all(Array.from({ length: LOBBY_SIZE }, () => openSocket()));
  let ids: string[];
  if (target === 'ours') {
    const first = unwrap(await request<Result<Joined>>(sockets[0]!, 'lobby:create', { nickname: 'p0', name: `bench ${groupIndex}`, visibility: 'public' }));
    const rest = await Promise.all(
      sockets.slice(1).map(async (s, i) => unwrap(await request<Result<Joined>>(s, 'lobby:join', { nickname: `p${i + 1}`, code: first.lobby.code }))),
    );
    ids = [first.selfId, ...rest.map((j) => j.selfId)];
  } else {
    const room = `room-${groupIndex}`;
    for (const s of sockets) await request<string[]>(s, 'join', room);
    ids = sockets.map((s) => s.id!);
  }
  sockets.forEach((socket, i) => {
    const player: Player = { socket, id: ids[i]!, peers: ids.filter((_, j) => j !== i) };
    if (target === 'ours') {
      socket.on('signal', (m: { from: string; negotiationId: number; signal: Signal }) => onSignal(player, m.from, m.negotiationId, m.signal));
      socket.on('signal:error', () => void rejected++);
    } else {
      socket.on('signal', (m: { from: string; data: { negotiationId: number; signal: Signal } }) =>
        onSignal(player, m.from, m.data.negotiationId, m.data.signal),
      );
    }
    players.push(player);
    byId.set(player.id, player);
  });
}

async function connectPlayers(count: number, concurrency: number): Promise<ConnectResult> {
  const groups = Math.ceil(count / LOBBY_SIZE);
  const firstGroup = players.length / LOBBY_SIZE;
  const start = nowMs();
  let next = 0;
  const worker = async () => {
    while (next < groups) await joinGroup(firstGroup + next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, groups) }, worker));
  return { connected: groups * LOBBY_SIZE, ms: nowMs() - start };
}

/** Ordered pairs (A offers to B) inside the first `count` players' lobbies. */
function pairsOf(count: number): [Player, string][] {
  const pairs: [Player, string][] = [];
  for (const p of players.slice(0, count)) for (const to of p.peers) pairs.push([p, to]);
  return pairs;
}

async function latency(req: Extract<LoadRequest, { type: 'latency' }>): Promise<LatencyResult> {
  const pairs = pairsOf(req.players);
  const total = Math.min(MAX_PHASE_SIGNALS, Math.round((req.ratePerS * (req.warmupMs + req.durationMs)) / 1000));
  const sdp = `v=0\r\no=- 0 2 IN IP4 127.0.0.1\r\n`.padEnd(req.payloadBytes, 'a');
  let completed = 0;
  let drained: () => void = () => {};
  let sent = 0;
  const state: Extract<Mode, { kind: 'latency' }> = {
    kind: 'latency',
    sentAt: new Float64Array(total),
    warmupSeq: Math.round((req.ratePerS * req.warmupMs) / 1000),
    samples: [],
    onComplete: () => {
      completed++;
      if (completed === sent && sent === total) drained();
    },
  };
  mode = state;
  const start = nowMs();
  // Open loop at a fixed aggregate rate: each tick sends what the schedule owes by now.
  await new Promise<void>((resolve) => {
    const tick = () => {
      const due = Math.min(total, Math.floor(((nowMs() - start) * req.ratePerS) / 1000));
      while (sent < due) {
        const [from, to] = pairs[sent % pairs.length]!;
        state.sentAt[sent] = nowMs();
        sendSignal(from, to, sent, { type: 'description', description: { type: 'offer', sdp } });
        sent++;
      }
      if (sent >= total) resolve();
      else setTimeout(tick, 1);
    };
    tick();
  });
  const sendingMs = nowMs() - start;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, DRAIN_TIMEOUT_MS);
    drained = () => {
      clearTimeout(timer);
      resolve();
    };
    if (completed === sent) drained();
  });
  mode = { kind: 'idle' };
  const sorted = state.samples.sort((a, b) => a - b);
  return {
    sent,
    completed,
    lost: sent - completed,
    p50Ms: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
    achievedPerS: (sent * 1000) / sendingMs,
    rejected,
  };
}

/**
 * Closed loop: `inFlight` candidates hop from member to member; each hop is one relayed signal.
 * The orchestrator marks the window (so server CPU and deliveries cover the same interval).
 */
function throughput(req: Extract<LoadRequest, { type: 'throughput' }>): ThroughputResult {
  if (req.action === 'start') {
    mode = { kind: 'throughput', running: true, delivered: 0 };
    const pool = players.slice(0, req.players);
    const signal: Signal = { type: 'candidate', candidate: { candidate: CANDIDATE, sdpMid: '0', sdpMLineIndex: 0 } };
    for (let i = 0; i < req.inFlight; i++) {
      const p = pool[i % pool.length]!;
      sendSignal(p, randomPeer(p), 0, signal);
    }
  }
  const delivered = mode.kind === 'throughput' ? mode.delivered : 0;
  if (req.action === 'stop' && mode.kind === 'throughput') mode.running = false;
  return { delivered, atMs: nowMs(), rejected };
}

process.on('message', (raw) => {
  const req = raw as LoadRequest;
  if (req.type === 'stop') {
    for (const p of players) p.socket.disconnect();
    process.exit(0);
  }
  const run = req.type === 'connect' ? connectPlayers(req.count, req.concurrency) : req.type === 'latency' ? latency(req) : Promise.resolve(throughput(req));
  run.then(
    (result) => reply({ type: 'done', id: req.id, result }),
    (err: unknown) => reply({ type: 'error', id: req.id, message: err instanceof Error ? err.message : String(err) }),
  );
});
process.on('disconnect', () => process.exit(0));
reply({ type: 'ready' });
