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
  /** The offerer's own candidates, held (see OFFERER_CANDIDATE_HOLD_MS); null once released. */
  held: string[] | null;
}

/**
 * libdatachannel as the offerer drops a DTLS hello that arrives before it has applied the answer, and
 * on loopback the pair can then fail outright; the SDK holds the offerer's candidates for the same
 * reason (MeshOptions.offererCandidateHoldMs). Here too: they go out this long after the answer.
 */
const OFFERER_CANDIDATE_HOLD_MS = 250;

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
  private readonly messageWaiters: { pred: (from: number, text: string) => boolean; resolve: () => void }[] =
    [];

  /** Messages are handled one at a time, in order (a candidate must not overtake its description). */
  private queue: Promise<void> = Promise.resolve();

  constructor(readonly client: GodotTestClient) {
    client.onMessage((m) => {
      this.queue = this.queue
        .then(() => this.handle(m))
        .catch((err: unknown) => {
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
      // The created SDP, not localDescription: libdatachannel's may already carry candidates, which
      // would defeat the offerer's hold below.
      this.client.answer(m.id, answer.sdp!);
      this.release(link, m.id);
    } else if (m.type === T.ANSWER) {
      const link = this.links.get(m.id);
      if (!link) return;
      await link.pc.setRemoteDescription({ type: 'answer', sdp: m.data });
      await this.flushEarly(link);
      setTimeout(() => this.release(link, m.id), OFFERER_CANDIDATE_HOLD_MS);
    } else if (m.type === T.CANDIDATE) {
      const link = this.links.get(m.id);
      const [mid, index, candidate] = m.data.split('\n').filter(Boolean) as [string, string, string];
      const init = { candidate, sdpMid: mid, sdpMLineIndex: Number(index) };
      if (!link) return;
      if (!link.remoteSet) link.early.push(init);
      else await link.pc.addIceCandidate(init);
    }
  }

  private release(link: Link, peer: number) {
    for (const data of link.held ?? []) this.client.send(T.CANDIDATE, peer, data);
    link.held = null;
  }

  private async flushEarly(link: Link) {
    link.remoteSet = true;
    for (const c of link.early.splice(0)) await link.pc.addIceCandidate(c);
  }

  private async connect(peer: number) {
    const pc = new RTCPeerConnection(LOOPBACK);
    const channel = pc.createDataChannel('godot', { negotiated: true, id: 1 });
    // Candidates wait for this side's description to go out (as in Godot, where they are emitted on a
    // later poll), and the offerer's a little longer (OFFERER_CANDIDATE_HOLD_MS).
    const link: Link = { pc, channel, early: [], remoteSet: false, held: [] };
    this.links.set(peer, link);
    pc.onicecandidate = (e) => {
      const c = e.candidate;
      if (!c?.candidate) return;
      const data = `\n${c.sdpMid ?? '0'}\n${c.sdpMLineIndex ?? 0}\n${c.candidate}`;
      if (link.held) link.held.push(data);
      else this.client.send(T.CANDIDATE, peer, data);
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
      this.client.offer(peer, offer.sdp!);
    }
  }

  /** Resolves once the data channel with `peer` is open; rejects with this peer's state after `timeoutMs`. */
  opened(peer: number, timeoutMs = 20_000): Promise<void> {
    if (this.links.get(peer)?.channel.readyState === 'open') return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${this.id} → ${peer} not open: ${this.describe()}`)),
        timeoutMs,
      );
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      this.openWaiters.set(peer, [...(this.openWaiters.get(peer) ?? []), done]);
    });
  }

  /** Each link's states, errors and the signaling received (for a failure's message). */
  describe(): string {
    const links = [...this.links].map(
      ([p, l]) =>
        `${p}: ${l.pc.connectionState}/${l.pc.iceConnectionState}/${l.pc.signalingState}/${l.channel.readyState}`,
    );
    return JSON.stringify({
      links,
      errors: this.errors.map(String),
      received: this.client.received.map((m) => `${m.type}:${m.id}`),
    });
  }

  received(from: number, text: string): Promise<void> {
    if (this.messages.some((m) => m.from === from && m.text === text)) return Promise.resolve();
    return new Promise((resolve) =>
      this.messageWaiters.push({ pred: (f, t) => f === from && t === text, resolve }),
    );
  }

  send(peer: number, text: string) {
    this.links.get(peer)!.channel.send(text);
  }

  close() {
    for (const l of this.links.values()) l.pc.close();
    this.client.close();
  }
}
