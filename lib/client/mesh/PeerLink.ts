import { assertNever, type IceCandidate, type SessionDescription, type SignalPayload } from '../../protocol';
import { candidateKey, candidatesIn, isActiveTcp, keepSdpCandidates } from './candidates';
import { CHANNEL_NAMES, channelInit, type ChannelName } from './channels';
import {
  OFFER_RESEND_MS,
  OFFER_RESENDS,
  RELIABLE_HIGH_WATER_BYTES,
  RELIABLE_LOW_WATER_BYTES,
  UNRELIABLE_HIGH_WATER_BYTES,
} from './constants';
import type { Role } from './negotiation';
import { SendQueue } from './sendQueue';
import { selectedCandidatePair, type CandidatePair } from './stats';

export type RTCPeerConnectionCtor = new (config?: RTCConfiguration) => RTCPeerConnection;

/** `open`: every channel is open. `disconnected`: ICE says so, and may heal. `failed`: gone for good. */
export type LinkState = 'connecting' | 'open' | 'disconnected' | 'failed' | 'closed';

/** Remote candidates held before the remote description is set (more would be a misbehaving peer). */
const MAX_QUEUED_CANDIDATES = 64;

export interface PeerLinkOptions {
  negotiationId: number;
  role: Role;
  Pc: RTCPeerConnectionCtor;
  config: RTCConfiguration;
  /** Test switch: candidates it rejects are neither sent nor applied, in trickle or in SDP. */
  filterCandidate?: (candidate: string) => boolean;
  /** See MeshOptions.offererCandidateHoldMs; 0 trickles at once. */
  offererCandidateHoldMs: number;
  /** See MeshOptions.candidateGatherWaitMs; 0 sends descriptions at once. */
  candidateGatherWaitMs: number;
  signal: (payload: SignalPayload) => void;
  onFrame: (frame: Uint8Array) => void;
  onState: (state: LinkState) => void;
}

/**
 * Owns exactly one RTCPeerConnection and its negotiated channels: offer/answer with the
 * perfect-negotiation pattern (the offerer is impolite), trickle ICE with queued remote candidates,
 * per-channel send queues. It knows nothing of routes or messages: it carries frames.
 */
export class PeerLink {
  readonly negotiationId: number;
  private readonly pc: RTCPeerConnection;
  private readonly role: Role;
  private channels: Map<ChannelName, { channel: RTCDataChannel; queue: SendQueue }> | null = null;
  private openChannels = 0;
  private linkState: LinkState = 'connecting';
  /** A channel closed or a description failed: no ICE restart can bring this connection back. */
  private dead = false;
  private restarts = 0;
  /** Local candidates we could signal in the current gathering round. */
  private gatheredNow = 0;
  private remoteUfrag: string | null = null;
  private makingOffer = false;
  private ignoreOffer = false;
  private remoteReady = false;
  private readonly remoteCandidates: IceCandidate[] = [];
  /**
   * With a hold (libdatachannel offerers), the offerer keeps its own candidates until its ICE
   * connects, or offererCandidateHoldMs after the answer. If the answerer had them earlier, it could
   * finish ICE first and send its DTLS hello before we are ready for it: libdatachannel drops that
   * packet and retransmits only after ~1 s (measured: 1 pair in ~40 on loopback). Browsers keep such
   * an early hello, and holding cost them ~30 ms per pair in a busy burst, so they trickle at once.
   */
  private holdLocal: boolean;
  private readonly heldCandidates: IceCandidate[] = [];
  private holdTimer: ReturnType<typeof setTimeout> | null = null;
  private resendTimer: ReturnType<typeof setTimeout> | null = null;
  private resends = 0;
  /**
   * Between setting our description and sending it: local candidates gathered meanwhile wait here,
   * and usually ride in the description's SDP instead of a signal each (see describe()).
   */
  private unsent: IceCandidate[] | null = null;
  private gatherWake: (() => void) | null = null;

  constructor(private readonly opts: PeerLinkOptions) {
    this.negotiationId = opts.negotiationId;
    this.role = opts.role;
    this.holdLocal = opts.role === 'offerer' && opts.offererCandidateHoldMs > 0;
    const pc = (this.pc = new opts.Pc(opts.config));
    pc.onicecandidate = (e) => this.onLocalCandidate(e.candidate);
    pc.onicegatheringstatechange = () => {
      if (pc.iceGatheringState === 'gathering') this.gatheredNow = 0;
      if (pc.iceGatheringState !== 'complete') return;
      this.gatherWake?.();
      // Nothing for the other side to try (no usable interface; UDP, STUN and TURN all out of reach):
      // ICE cannot succeed from here, and waiting out the connect deadline would only delay the relay.
      if (this.gatheredNow === 0 && this.linkState !== 'open' && this.linkState !== 'disconnected')
        this.setState('failed');
    };
    pc.oniceconnectionstatechange = () => this.onIceState();
    pc.onconnectionstatechange = () => {
      if (pc.connectionState === 'failed') this.setState('failed');
      else if (pc.connectionState === 'closed') this.fail();
    };
    pc.onnegotiationneeded = () => {
      // Renegotiation (an ICE restart) is the offerer's; the answerer's first channels are created
      // inside its answer and need none.
      if (this.role === 'offerer') void this.negotiate();
    };
    if (opts.role === 'offerer') {
      this.createChannels();
      void this.negotiate();
    }
  }

  /** Hands a frame to a channel; false when the link cannot carry it now. */
  send(name: ChannelName, frame: Uint8Array): boolean {
    if (this.linkState !== 'open' && this.linkState !== 'disconnected') return false;
    const entry = this.channels?.get(name);
    if (!entry || entry.channel.readyState !== 'open') return false;
    try {
      entry.queue.send(frame);
      return true;
    } catch {
      this.fail();
      return false;
    }
  }

  async handle(payload: SignalPayload) {
    if (this.linkState === 'closed') return;
    try {
      switch (payload.type) {
        case 'description':
          return await this.onDescription(payload.description);
        case 'candidate':
          return await this.onRemoteCandidate(payload.candidate);
        default:
          return assertNever(payload);
      }
    } catch {
      // A description that cannot be applied leaves nothing to salvage on this connection.
      if (payload.type === 'description') this.fail();
    }
  }

  /**
   * ICE restarts this connection went through, whichever side started them: each remote description that
   * brings new ICE credentials (ice-ufrag) on a connection that already had some.
   */
  get iceRestarts() {
    return this.restarts;
  }

  /** Starts an ICE restart (offerer). False where unsupported (node-datachannel): use a new link. */
  restartIce(): boolean {
    if (this.role !== 'offerer' || this.linkState === 'closed') return false;
    try {
      this.pc.restartIce();
      return true;
    } catch {
      return false;
    }
  }

  /**
   * New ICE servers for the next gathering (an ICE restart); the current candidates stay. Guarded:
   * node-datachannel's polyfill only keeps the object (libdatachannel cannot swap servers) and may
   * reject it; there restartIce() is unsupported anyway, and the new link a retry makes reads the
   * fresh servers. False when the servers could not be set.
   */
  setIceServers(iceServers: RTCIceServer[]): boolean {
    if (this.linkState === 'closed') return false;
    const pc = this.pc as Partial<Pick<RTCPeerConnection, 'getConfiguration' | 'setConfiguration'>>;
    if (typeof pc.getConfiguration !== 'function' || typeof pc.setConfiguration !== 'function') return false;
    try {
      pc.setConfiguration({ ...pc.getConfiguration(), iceServers });
      return true;
    } catch {
      return false;
    }
  }

  candidatePair(): Promise<CandidatePair | null> {
    if (this.linkState === 'closed') return Promise.resolve(null);
    return this.pc.getStats().then(selectedCandidatePair, () => null);
  }

  close() {
    if (this.linkState === 'closed') return;
    this.linkState = 'closed';
    if (this.holdTimer) clearTimeout(this.holdTimer);
    this.clearResend();
    this.gatherWake?.();
    const pc = this.pc;
    pc.onicecandidate =
      pc.oniceconnectionstatechange =
      pc.onconnectionstatechange =
      pc.onnegotiationneeded =
        null;
    pc.onicegatheringstatechange = null;
    for (const { channel, queue } of this.channels?.values() ?? []) {
      channel.onopen = channel.onclose = channel.onmessage = channel.onbufferedamountlow = null;
      queue.clear();
      try {
        channel.close();
      } catch {
        // Already closing.
      }
    }
    try {
      pc.close();
    } catch {
      // Already closed.
    }
  }

  /** ICE failure can be healed by an ICE restart; a closed channel cannot. */
  get restartable() {
    return !this.dead && this.linkState !== 'closed';
  }

  private fail() {
    this.dead = true;
    this.setState('failed');
  }

  private setState(state: LinkState) {
    if (this.linkState === state || this.linkState === 'closed') return;
    if (this.linkState === 'failed' && (this.dead || state !== 'open')) return;
    this.linkState = state;
    this.opts.onState(state);
  }

  private createChannels() {
    if (this.channels) return;
    this.channels = new Map();
    for (const name of CHANNEL_NAMES) {
      const channel = this.pc.createDataChannel(name, channelInit(name));
      channel.binaryType = 'arraybuffer';
      const reliable = name === 'reliable';
      const high = reliable ? RELIABLE_HIGH_WATER_BYTES : UNRELIABLE_HIGH_WATER_BYTES;
      channel.bufferedAmountLowThreshold = reliable
        ? RELIABLE_LOW_WATER_BYTES
        : UNRELIABLE_HIGH_WATER_BYTES / 4;
      const queue = new SendQueue(
        {
          get bufferedAmount() {
            return channel.bufferedAmount;
          },
          send: (f) => channel.send(f as Uint8Array<ArrayBuffer>),
        },
        reliable ? 'queue' : 'latest',
        high,
      );
      channel.onbufferedamountlow = () => queue.drain();
      channel.onmessage = (e: MessageEvent) => {
        if (e.data instanceof ArrayBuffer) this.opts.onFrame(new Uint8Array(e.data));
        else if (ArrayBuffer.isView(e.data))
          this.opts.onFrame(new Uint8Array(e.data.buffer, e.data.byteOffset, e.data.byteLength));
      };
      channel.onopen = () => {
        this.openChannels++;
        if (this.openChannels === CHANNEL_NAMES.length) this.setState('open');
      };
      channel.onclose = () => this.fail();
      this.channels.set(name, { channel, queue });
      if (channel.readyState === 'open') this.openChannels++;
    }
  }

  private iceConnected() {
    const s = this.pc.iceConnectionState;
    return s === 'connected' || s === 'completed';
  }

  private releaseCandidates() {
    if (this.holdTimer) clearTimeout(this.holdTimer);
    this.holdTimer = null;
    if (!this.holdLocal || this.isClosed()) return;
    this.holdLocal = false;
    for (const c of this.heldCandidates.splice(0)) this.opts.signal({ type: 'candidate', candidate: c });
  }

  private isClosed() {
    return this.linkState === 'closed';
  }

  private allOpen() {
    return this.openChannels === CHANNEL_NAMES.length;
  }

  private onIceState() {
    switch (this.pc.iceConnectionState) {
      case 'connected':
      case 'completed':
        if (this.pc.signalingState === 'stable') this.releaseCandidates();
        if (this.allOpen()) this.setState('open');
        return;
      case 'disconnected':
        if (this.linkState === 'open') this.setState('disconnected');
        return;
      case 'failed':
        this.setState('failed');
        return;
      default:
        return;
    }
  }

  private async negotiate() {
    if (this.makingOffer || this.linkState === 'closed') return;
    this.makingOffer = true;
    try {
      // A remote offer got in first (we are impolite, so it was ignored) or we were closed.
      if (this.pc.signalingState === 'have-remote-offer' || this.isClosed()) return;
      this.holdLocal = this.opts.offererCandidateHoldMs > 0;
      await this.describe('offer');
    } catch {
      this.fail();
    } finally {
      this.makingOffer = false;
    }
  }

  /**
   * Sets our offer or answer and sends it; false if we were closed meanwhile. It waits (at most
   * candidateGatherWaitMs) for the first local candidate, which arrives a millisecond or two after
   * the description is set, and sends the SDP that then includes it: the other side can start ICE
   * checks as soon as it applies the description, and the pair needs one signal instead of one per
   * candidate (about half the server's signaling for a lobby that connects at once). Later
   * candidates (server-reflexive, relay) trickle as usual.
   */
  private async describe(type: 'offer' | 'answer'): Promise<boolean> {
    const bundle = !this.holdLocal && this.opts.candidateGatherWaitMs > 0;
    if (bundle) this.unsent = [];
    try {
      const sdp = await this.setLocal(type);
      if (sdp === null) return false;
      if (bundle) await this.firstCandidate();
      if (this.isClosed()) return false;
      const sent = this.localOfType(type) ?? sdp;
      const gathered = this.unsent ?? [];
      this.unsent = null;
      this.sendDescription({ type, sdp: sent });
      // What the SDP did not carry goes on its own, after it.
      const carried = candidatesIn(sent);
      for (const c of gathered) if (!carried.has(candidateKey(c.candidate))) this.emitLocal(c);
      return true;
    } finally {
      this.unsent = null;
    }
  }

  /** Resolves on the first local candidate, the end of gathering, closing, or the wait's end. */
  private firstCandidate(): Promise<void> {
    return new Promise((resolve) => {
      if (this.unsent?.length || this.pc.iceGatheringState === 'complete' || this.isClosed())
        return resolve();
      const timer = setTimeout(() => wake(), this.opts.candidateGatherWaitMs);
      const wake = () => {
        clearTimeout(timer);
        this.gatherWake = null;
        resolve();
      };
      this.gatherWake = wake;
    });
  }

  /**
   * Creates and sets our offer or answer; its SDP, or null if we were closed meanwhile. The
   * implicit form is one trip to WebRTC's signaling thread instead of two, which shows when a whole
   * lobby connects at once on a busy CPU; node-datachannel's polyfill ignores it, so we fall back
   * to create + set when no description of the wanted type is in place.
   */
  private async setLocal(type: 'offer' | 'answer'): Promise<string | null> {
    await this.pc.setLocalDescription();
    if (this.isClosed()) return null;
    const implicit = this.localOfType(type);
    if (implicit !== null) return implicit;
    const created = type === 'offer' ? await this.pc.createOffer() : await this.pc.createAnswer();
    await this.pc.setLocalDescription(created);
    return this.isClosed() ? null : (created.sdp ?? '');
  }

  private localOfType(type: 'offer' | 'answer'): string | null {
    try {
      const local = this.pc.localDescription;
      return local?.type === type && local.sdp ? local.sdp : null;
    } catch {
      // The polyfill throws before libdatachannel has a description.
      return null;
    }
  }

  private async onDescription(description: SessionDescription) {
    // A second answer to an offer we sent twice (see resendOffer): the first one was applied already.
    if (description.type === 'answer' && this.pc.signalingState === 'stable') return;
    if (description.type === 'answer') this.clearResend();
    const collision =
      description.type === 'offer' && (this.makingOffer || this.pc.signalingState !== 'stable');
    this.ignoreOffer = this.role === 'offerer' && collision;
    if (this.ignoreOffer) return;
    this.remoteReady = false;
    if (collision) await this.pc.setLocalDescription({ type: 'rollback' });
    await this.pc.setRemoteDescription({
      type: description.type,
      sdp: this.filterSdp(description.sdp, false),
    });
    if (this.isClosed()) return;
    const ufrag = /^a=ice-ufrag:(\S+)/m.exec(description.sdp)?.[1] ?? null;
    if (this.remoteUfrag && ufrag && ufrag !== this.remoteUfrag) this.restarts++;
    this.remoteUfrag = ufrag ?? this.remoteUfrag;
    this.remoteReady = true;
    if (description.type === 'offer') {
      // Created after the offer is applied: the answer then covers them and no extra negotiation starts.
      this.createChannels();
      if (!(await this.describe('answer'))) return;
    } else if (this.holdLocal) {
      // Released once our ICE connects, or after a short hold if it cannot without them.
      if (this.iceConnected()) this.releaseCandidates();
      else this.holdTimer ??= setTimeout(() => this.releaseCandidates(), this.opts.offererCandidateHoldMs);
    }
    // Only now: the other side waits for our answer, not for these (each add is a trip to WebRTC's
    // signaling thread).
    for (const c of this.remoteCandidates.splice(0)) await this.addCandidate(c);
  }

  private async onRemoteCandidate(candidate: IceCandidate) {
    if (this.opts.filterCandidate && !this.opts.filterCandidate(candidate.candidate)) return;
    if (!this.remoteReady) {
      if (this.remoteCandidates.length < MAX_QUEUED_CANDIDATES) this.remoteCandidates.push(candidate);
      return;
    }
    await this.addCandidate(candidate);
  }

  private async addCandidate(candidate: IceCandidate) {
    try {
      await this.pc.addIceCandidate(candidate);
    } catch (err) {
      // Candidates of an offer we ignored fail by design; others are not fatal either (ICE
      // proceeds with the ones that work).
      if (!this.ignoreOffer) void err;
    }
  }

  private onLocalCandidate(candidate: RTCIceCandidate | null) {
    if (!candidate?.candidate || this.linkState === 'closed') return;
    // libdatachannel prefixes "a="; browsers do not and expect none.
    const line = candidate.candidate.startsWith('a=') ? candidate.candidate.slice(2) : candidate.candidate;
    if (!this.signalable(line)) return;
    this.gatheredNow++;
    const json: IceCandidate = {
      candidate: line,
      sdpMid: candidate.sdpMid ?? null,
      sdpMLineIndex: candidate.sdpMLineIndex ?? null,
      usernameFragment: candidate.usernameFragment ?? null,
    };
    if (this.unsent) {
      this.unsent.push(json);
      this.gatherWake?.();
    } else this.emitLocal(json);
  }

  private emitLocal(candidate: IceCandidate) {
    if (this.holdLocal) this.heldCandidates.push(candidate);
    else this.opts.signal({ type: 'candidate', candidate });
  }

  /**
   * Whether a local candidate is worth sending. Active TCP candidates are not: RFC 6544 pairs them
   * only with passive ones, which neither browsers nor libdatachannel gather, so they could never
   * connect a pair of ours (TURN over TCP still works: its relay candidates are UDP). Then the
   * test filter.
   */
  private signalable(line: string): boolean {
    if (isActiveTcp(line)) return false;
    return !this.opts.filterCandidate || this.opts.filterCandidate(line);
  }

  private sendDescription(description: SessionDescription) {
    this.opts.signal({
      type: 'description',
      description: { type: description.type, sdp: this.filterSdp(description.sdp, true) },
    });
    if (description.type === 'offer') {
      this.resends = 0;
      this.armResend();
    }
  }

  private armResend() {
    this.clearResend();
    if (this.resends >= OFFER_RESENDS) return;
    this.resendTimer = setTimeout(() => this.resendOffer(), OFFER_RESEND_MS);
  }

  private clearResend() {
    if (this.resendTimer) clearTimeout(this.resendTimer);
    this.resendTimer = null;
  }

  /**
   * Our offer got no answer: it (or the answer) may have been lost on a socket that died unnoticed.
   * The current local description carries every candidate gathered so far, so one signal re-sends
   * them all; an answerer that did get the first copy just answers again (same ICE credentials).
   */
  private resendOffer() {
    this.resendTimer = null;
    if (this.isClosed() || this.pc.signalingState !== 'have-local-offer') return;
    const sdp = this.localOfType('offer');
    if (!sdp) return;
    this.resends++;
    this.opts.signal({ type: 'description', description: { type: 'offer', sdp: this.filterSdp(sdp, true) } });
    this.armResend();
  }

  /** The same choice for candidates embedded in our SDP, and the test filter for those in theirs. */
  private filterSdp(sdp: string, local: boolean): string {
    const keep = local ? (line: string) => this.signalable(line) : this.opts.filterCandidate;
    return keep ? keepSdpCandidates(sdp, keep) : sdp;
  }
}
