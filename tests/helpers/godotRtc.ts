import { RTCPeerConnection } from 'node-datachannel/polyfill';
import { GodotTestClient, T, type Msg } from './godotClient';

/** Loopback only, no STUN: nothing leaves the machine. */
const LOOPBACK = { iceServers: [], bindAddress: '127.0.0.1' } as unknown as RTCConfiguration;

interface Link {
  pc: RTCPeerConnection;
  channel: RTCDataChannel;
  /** Candidates that came before the remote description. */
  early: RTCIceCandidateInit[];
  /** Our own flag: the polyfill's remoteDescription is not null before one is set. */
  remoteSet: boolean;
}

/**
 * What the demo's Godot 4 `multiplayer_client.gd` does with a WebRTCPeerConnection per peer, on
 * node-datachannel (libdatachannel, the library of Godot's native WebRTC plugin): a peer connection on
 * every PEER_CONNECT, the higher id makes the offer ("so lobby creator never creates offers"), candidates
 * as "\n<mid>\n<index>\n<sdp>", and one negotiated data channel per pair (as WebRTCMultiplayerPeer does).
 */
export class GodotRtcPeer {
  id = 0;
  readonly links = new Map<number, Link>();
  readonly messages: { from: number; text: string }[] = [];
  private readonly openWaiters = new Map<number, (() => void)[]>();
  private readonly messageWaiters: { pred: (from: number, text: string) => boolean; resolve: () => void }[] = [];

  /** Messages are handled one at a time, in order (a candidate must not overtake its description). */
  private queue: Promise<void> = Promise.resolve();

  constructor(readonly client: GodotTestClient) {
    client.onMessage((m) => {
      this.queue = this.queue.then(() => this.handle(m)).catch((err: unknown) => {
        this.errors.push(err);
      });
    });
  }

  readonly errors: unknown[] = [];

  private async handle(m: Msg) {
    if (m.type === T.ID) this.id = m.id;
    else if (m.type === T.PEER_CONNECT) await this.connect(m.id);
    else if (m.type === T.PEER_DISCONNECT) this.links.get(m.id)?.pc.close();
    else if (m.type === T.OFFER) {
      const link = this.links.get(m.id);
      if (!link) return;
      await link.pc.setRemoteDescription({ type: 'offer', sdp: m.data });
      await this.flushEarly(link);
      const answer = await link.pc.createAnswer();
      await link.pc.setLocalDescription(answer);
      this.client.answer(m.id, link.pc.localDescription!.sdp);
    } else if (m.type === T.ANSWER) {
      const link = this.links.get(m.id);
      if (!link) return;
      await link.pc.setRemoteDescription({ type: 'answer', sdp: m.data });
      await this.flushEarly(link);
    } else if (m.type === T.CANDIDATE) {
      const link = this.links.get(m.id);
      const [mid, index, candidate] = m.data.split('\n').filter(Boolean) as [string, string, string];
      const init = { candidate, sdpMid: mid, sdpMLineIndex: Number(index) };
      if (!link) return;
      if (!link.remoteSet) link.early.push(init);
      else await link.pc.addIceCandidate(init);
    }
  }

  private async flushEarly(link: Link) {
    link.remoteSet = true;
    for (const c of link.early.splice(0)) await link.pc.addIceCandidate(c);
  }

  private async connect(peer: number) {
    const pc = new RTCPeerConnection(LOOPBACK);
    const channel = pc.createDataChannel('godot', { negotiated: true, id: 1 });
    const link: Link = { pc, channel, early: [], remoteSet: false };
    this.links.set(peer, link);
    pc.onicecandidate = (e) => {
      if (e.candidate?.candidate) this.client.candidate(peer, e.candidate.sdpMid ?? '0', e.candidate.sdpMLineIndex ?? 0, e.candidate.candidate);
    };
    channel.onopen = () => {
      for (const w of this.openWaiters.get(peer) ?? []) w();
      this.openWaiters.delete(peer);
    };
    channel.onmessage = (e) => {
      const text = String(e.data);
      this.messages.push({ from: peer, text });
      for (const w of [...this.messageWaiters]) {
        if (!w.pred(peer, text)) continue;
        this.messageWaiters.splice(this.messageWaiters.indexOf(w), 1);
        w.resolve();
      }
    };
    if (peer < this.id) {
      const offer = await pc.createOffer();
      await pc.setLocalDescription(offer);
      this.client.offer(peer, pc.localDescription!.sdp);
    }
  }

  /** Resolves once the data channel with `peer` is open. */
  opened(peer: number): Promise<void> {
    if (this.links.get(peer)?.channel.readyState === 'open') return Promise.resolve();
    return new Promise((resolve) => this.openWaiters.set(peer, [...(this.openWaiters.get(peer) ?? []), resolve]));
  }

  received(from: number, text: string): Promise<void> {
    if (this.messages.some((m) => m.from === from && m.text === text)) return Promise.resolve();
    return new Promise((resolve) => this.messageWaiters.push({ pred: (f, t) => f === from && t === text, resolve }));
  }

  send(peer: number, text: string) {
    this.links.get(peer)!.channel.send(text);
  }

  close() {
    for (const l of this.links.values()) l.pc.close();
    this.client.close();
  }
}
