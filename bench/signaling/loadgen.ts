/**
 * Load generator, a child process on its own core: many clients, each speaking its server's real
 * client protocol, grouped in lobbies of 4. ours: socket.io-client (websocket transport), auth,
 * lobby:create + lobby:join, `signal`; bare: socket.io-client, a room, `signal` to a socket id; peerjs:
 * the PeerJS client's websocket (`/peerjs?key&id&token`, OPEN, then OFFER/ANSWER/CANDIDATE by id,
 * HEARTBEAT every 5 s; ids chosen by the client, as `new Peer(id)` does, so no HTTP id fetch). Every
 * load loop is bounded in count and time; times come from process.hrtime.bigint().
 */
import { randomBytes } from 'node:crypto';
import { io as connect, type Socket } from 'socket.io-client';
import { WebSocket } from 'ws';
import { PROTOCOL_VERSION, type Result } from '../../lib/protocol';
import { nowMs, percentile } from '../stats';
import {
  speaksOurs,
  type ConnectResult,
  type LatencyResult,
  type LoadReply,
  type LoadRequest,
  type Target,
  type ThroughputResult,
} from './protocol';

const target = process.argv[2] as Target;
const ours = speaksOurs(target);
const url = process.argv[3]!;
const LOBBY_SIZE = 4;
const ACK_TIMEOUT_MS = 20_000;
/** Waiting for in-flight round trips after a latency phase stops sending. */
const DRAIN_TIMEOUT_MS = 3000;
/** Upper bound on signals one latency phase may send (memory for send times). */
const MAX_PHASE_SIGNALS = 400_000;
/** A 200-byte ICE candidate line (typical host candidates are 100–200 characters). */
const CANDIDATE =
  `candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host generation 0 ufrag abcd network-id 1 network-cost 10 `.padEnd(
    200,
    'x',
  );

/** A data-channel offer as Chromium writes it, lines and all (CRLF, which JSON escapes), cut to `bytes`. */
function sdpLike(bytes: number): string {
  const head = [
    'v=0',
    'o=- 4611731400430051336 2 IN IP4 127.0.0.1',
    's=-',
    't=0 0',
    'a=group:BUNDLE 0',
    'a=extmap-allow-mixed',
    'a=msid-semantic: WMS',
    'm=application 9 UDP/DTLS/SCTP webrtc-datachannel',
    'c=IN IP4 0.0.0.0',
    'a=ice-ufrag:Kd3J',
    'a=ice-pwd:Q8o8y0Rr+Xo0/3bvG8cE2s6Z',
    'a=ice-options:trickle',
    'a=fingerprint:sha-256 7B:8B:F0:65:5F:78:E2:51:3B:AC:6F:F3:3F:46:1B:35:DC:B8:5F:64:1A:24:C2:43:F0:A1:58:D0:A1:2C:19:08',
    'a=setup:actpass',
    'a=mid:0',
    'a=sctp-port:5000',
    'a=max-message-size:262144',
  ];
  const lines = [...head];
  for (let i = 0; lines.join('\r\n').length < bytes; i++) {
    lines.push(
      `a=candidate:${1000 + i} 1 udp 2122260223 192.168.1.${i % 250} ${50000 + i} typ host generation 0 network-id 1 network-cost 10`,
    );
  }
  return (lines.join('\r\n') + '\r\n').slice(0, bytes - 2) + '\r\n';
}

type Signal =
  | { type: 'description'; description: { type: 'offer' | 'answer'; sdp: string } }
  | { type: 'candidate'; candidate: { candidate: string; sdpMid: string; sdpMLineIndex: number } };

interface Player {
  send(to: string, negotiationId: number, signal: Signal): void;
  close(): void;
  id: string;
  peers: string[];
}

/** The PeerJS client's heartbeat period (its `pingInterval`). */
const PEERJS_HEARTBEAT_MS = 5000;
const PEERJS_BROWSER = 'chrome';

const players: Player[] = [];
const byId = new Map<string, Player>();
let rejected = 0;

type Mode =
  | { kind: 'idle' }
  | { kind: 'latency'; sentAt: Float64Array; warmupSeq: number; samples: number[]; onComplete: () => void }
  | { kind: 'throughput'; running: boolean; delivered: number };
let mode = { kind: 'idle' } as Mode;

const reply = (m: LoadReply) => process.send?.(m);

const sendSignal = (p: Player, to: string, negotiationId: number, signal: Signal) =>
  p.send(to, negotiationId, signal);

/** A Signal as the PeerJS client sends it: OFFER/ANSWER/CANDIDATE with a payload naming the connection. */
function peerJsMessage(to: string, negotiationId: number, signal: Signal) {
  const connectionId = `dc_${negotiationId}`;
  if (signal.type === 'candidate') {
    return {
      type: 'CANDIDATE',
      payload: { candidate: signal.candidate, type: 'data', connectionId },
      dst: to,
    };
  }
  const d = signal.description;
  return d.type === 'offer'
    ? {
        type: 'OFFER',
        payload: {
          sdp: d,
          type: 'data',
          connectionId,
          label: connectionId,
          reliable: true,
          serialization: 'binary',
          browser: PEERJS_BROWSER,
        },
        dst: to,
      }
    : { type: 'ANSWER', payload: { sdp: d, type: 'data', connectionId, browser: PEERJS_BROWSER }, dst: to };
}

interface PeerJsIncoming {
  type: string;
  src: string;
  payload: {
    connectionId: string;
    sdp?: { type: 'offer' | 'answer'; sdp: string };
    candidate?: Extract<Signal, { type: 'candidate' }>['candidate'];
  };
}

function onPeerJsMessage(p: Player, raw: string) {
  const m = JSON.parse(raw) as PeerJsIncoming;
  const negotiationId = Number(m.payload.connectionId.slice(3));
  if (m.type === 'OFFER' || m.type === 'ANSWER')
    onSignal(p, m.src, negotiationId, { type: 'description', description: m.payload.sdp! });
  else if (m.type === 'CANDIDATE')
    onSignal(p, m.src, negotiationId, { type: 'candidate', candidate: m.payload.candidate! });
}

/** A PeerJS client's websocket, open once the server says OPEN. */
function openPeerJs(id: string): Promise<WebSocket> {
  const token = randomBytes(8).toString('hex');
  const ws = new WebSocket(`${url}?key=peerjs&id=${id}&token=${token}&version=1.5.4`, {
    perMessageDeflate: false,
  });
  return new Promise((resolve, reject) => {
    ws.once('message', (data) => {
      const m = JSON.parse(String(data)) as { type: string };
      if (m.type === 'OPEN') resolve(ws);
      else reject(new Error(`peerjs: ${String(data)}`));
    });
    ws.once('error', reject);
  });
}

let heartbeat: NodeJS.Timeout | null = null;
/** HEARTBEAT from every PeerJS client every 5 s, spread over the period (a fifth of them each second). */
function startPeerJsHeartbeats(sockets: WebSocket[]) {
  let slice = 0;
  heartbeat = setInterval(() => {
    const n = PEERJS_HEARTBEAT_MS / 1000;
    for (let i = slice % n; i < sockets.length; i += n)
      if (sockets[i]!.readyState === WebSocket.OPEN) sockets[i]!.send('{"type":"HEARTBEAT"}');
    slice++;
  }, 1000);
}
const peerJsSockets: WebSocket[] = [];

const randomPeer = (p: Player) => p.peers[Math.floor(Math.random() * p.peers.length)]!;

function onSignal(p: Player, from: string, negotiationId: number, signal: Signal) {
  if (signal.type === 'description') {
    if (signal.description.type === 'offer') {
      sendSignal(p, from, negotiationId, {
        type: 'description',
        description: { type: 'answer', sdp: signal.description.sdp },
      });
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
    timeout: ACK_TIMEOUT_MS,
    auth: ours ? { protocolVersion: PROTOCOL_VERSION } : {},
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

/** One group of 4 PeerJS clients: each connects with its own id; the group is known to the load generator only. */
async function joinPeerJsGroup(groupIndex: number): Promise<void> {
  const ids = Array.from(
    { length: LOBBY_SIZE },
    (_, i) => `p${groupIndex}-${i}-${randomBytes(4).toString('hex')}`,
  );
  const sockets = await Promise.all(ids.map(openPeerJs));
  sockets.forEach((ws, i) => {
    const player: Player = {
      id: ids[i]!,
      peers: ids.filter((_, j) => j !== i),
      send: (to, negotiationId, signal) => ws.send(JSON.stringify(peerJsMessage(to, negotiationId, signal))),
      close: () => ws.close(),
    };
    ws.on('message', (data) => onPeerJsMessage(player, String(data)));
    peerJsSockets.push(ws);
    players.push(player);
    byId.set(player.id, player);
  });
}

/** One lobby of 4: ours creates then joins by code; bare joins a room; peerjs just connects. */
async function joinGroup(groupIndex: number): Promise<void> {
  if (target === 'peerjs') return joinPeerJsGroup(groupIndex);
  const sockets = await Promise.all(Array.from({ length: LOBBY_SIZE }, () => openSocket()));
  let ids: string[];
  if (ours) {
    const first = unwrap(
      await request<Result<Joined>>(sockets[0]!, 'lobby:create', {
        nickname: 'p0',
        name: `bench ${groupIndex}`,
        visibility: 'public',
      }),
    );
    const rest = await Promise.all(
      sockets
        .slice(1)
        .map(async (s, i) =>
          unwrap(
            await request<Result<Joined>>(s, 'lobby:join', { nickname: `p${i + 1}`, code: first.lobby.code }),
          ),
        ),
    );
    ids = [first.selfId, ...rest.map((j) => j.selfId)];
  } else {
    const room = `room-${groupIndex}`;
    for (const s of sockets) await request<string[]>(s, 'join', room);
    ids = sockets.map((s) => s.id!);
  }
  sockets.forEach((socket, i) => {
    const player: Player = {
      id: ids[i]!,
      peers: ids.filter((_, j) => j !== i),
      send: ours
        ? (to, negotiationId, signal) => void socket.emit('signal', { to, negotiationId, signal })
        : (to, negotiationId, signal) => void socket.emit('signal', { to, data: { negotiationId, signal } }),
      close: () => void socket.disconnect(),
    };
    if (ours) {
      socket.on('signal', (m: { from: string; negotiationId: number; signal: Signal }) =>
        onSignal(player, m.from, m.negotiationId, m.signal),
      );
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
  if (target === 'peerjs' && heartbeat === null) startPeerJsHeartbeats(peerJsSockets);
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
  const total = Math.min(
    MAX_PHASE_SIGNALS,
    Math.round((req.ratePerS * (req.warmupMs + req.durationMs)) / 1000),
  );
  const sdp = sdpLike(req.payloadBytes);
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
    const signal: Signal = {
      type: 'candidate',
      candidate: { candidate: CANDIDATE, sdpMid: '0', sdpMLineIndex: 0 },
    };
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
    if (heartbeat) clearInterval(heartbeat);
    for (const p of players) p.close();
    process.exit(0);
  }
  const run =
    req.type === 'connect'
      ? connectPlayers(req.count, req.concurrency)
      : req.type === 'latency'
        ? latency(req)
        : Promise.resolve(throughput(req));
  run.then(
    (result) => reply({ type: 'done', id: req.id, result }),
    (err: unknown) =>
      reply({ type: 'error', id: req.id, message: err instanceof Error ? err.message : String(err) }),
  );
});
process.on('disconnect', () => process.exit(0));
reply({ type: 'ready' });
