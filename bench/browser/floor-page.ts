/**
 * The raw floor: the bare socket.io relay and one RTCPeerConnection per pair with the SDK's three
 * negotiated channels; the newcomer offers; trickle ICE, candidates queued until the remote
 * description is set; JSON messages. Nothing else (no routes, no retries, no reliability layer).
 */
import { io, type Socket } from 'socket.io-client';
import { CHANNELS } from '../../lib/client/mesh/channels';
import { burstHelpers, now, openedTracker, type BenchPage, type PageState } from './page-api';

const state: PageState = { t0: 0, selfId: '', joinedAt: 0, opened: {}, error: null };
type Data = { description?: RTCSessionDescriptionInit; candidate?: RTCIceCandidateInit };
interface Link {
  pc: RTCPeerConnection;
  reliable: RTCDataChannel;
  queued: RTCIceCandidateInit[];
  chain: Promise<void>;
}
const { markOpened, failed, whenOpened } = openedTracker(state);
const links = new Map<string, Link>();
const pongs = new Map<number, () => void>();
let socket: Socket | null = null;
let pingId = 0;

function link(peerId: string, offerer: boolean): Link {
  const pc = new RTCPeerConnection({ iceServers: [] });
  const channels = Object.values(CHANNELS).map((init) =>
    pc.createDataChannel(`c${init.id}`, { ...init, negotiated: true }),
  );
  let open = 0;
  for (const ch of channels) ch.onopen = () => void (++open === channels.length && markOpened(peerId));
  const reliable = channels[0]!;
  reliable.onmessage = (e: MessageEvent<string>) => {
    const m = JSON.parse(e.data) as { t: 'ping' | 'pong'; id: number };
    if (m.t === 'ping') reliable.send(JSON.stringify({ t: 'pong', id: m.id }));
    else pongs.get(m.id)?.();
  };
  pc.onicecandidate = (e) => {
    if (e.candidate) socket!.emit('signal', { to: peerId, data: { candidate: e.candidate.toJSON() } });
  };
  const l: Link = { pc, reliable, queued: [], chain: Promise.resolve() };
  links.set(peerId, l);
  if (offerer) {
    l.chain = pc
      .setLocalDescription()
      .then(() => void socket!.emit('signal', { to: peerId, data: { description: pc.localDescription } }));
  }
  return l;
}

async function onSignal(l: Link, peerId: string, data: Data) {
  if (data.description) {
    await l.pc.setRemoteDescription(data.description);
    for (const c of l.queued.splice(0)) await l.pc.addIceCandidate(c);
    if (data.description.type === 'offer') {
      await l.pc.setLocalDescription();
      socket!.emit('signal', { to: peerId, data: { description: l.pc.localDescription } });
    }
  } else if (data.candidate) {
    if (l.pc.remoteDescription) await l.pc.addIceCandidate(data.candidate);
    else l.queued.push(data.candidate);
  }
}

async function start(room: string | null): Promise<string> {
  state.t0 = now();
  const name = room ?? `room-${Math.random().toString(36).slice(2)}`;
  const s = io(location.origin, { transports: ['websocket'] });
  socket = s;
  s.on('signal', ({ from, data }: { from: string; data: Data }) => {
    const l = links.get(from) ?? link(from, false);
    l.chain = l.chain.then(() => onSignal(l, from, data)).catch(failed);
  });
  await new Promise<void>((resolve) => s.once('connect', () => resolve()));
  state.selfId = s.id!;
  const peers = (await s.emitWithAck('join', name)) as string[];
  state.joinedAt = now();
  for (const p of peers) link(p, true);
  return name;
}

const page: BenchPage = {
  state,
  start,
  ...burstHelpers(start, failed),
  whenOpened,
  async ping(peerId, count) {
    const l = links.get(peerId)!;
    const rtts: number[] = [];
    for (let i = 0; i < count; i++) {
      const id = ++pingId;
      const t = performance.now();
      await new Promise<void>((resolve) => {
        pongs.set(id, resolve);
        l.reliable.send(JSON.stringify({ t: 'ping', id }));
      });
      pongs.delete(id);
      rtts.push(performance.now() - t);
    }
    return rtts;
  },
  close() {
    for (const l of links.values()) l.pc.close();
    socket?.close();
  },
};
(globalThis as unknown as { bench: BenchPage }).bench = page;
