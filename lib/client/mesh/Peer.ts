import { hasTurnServer } from './iceServers';
import { assertNever, type SignalPayload } from '../../protocol';
import type { ChannelName } from './channels';
import {
  ACK_DELAY_MS,
  ACK_EVERY_FRAMES,
  CANDIDATE_PAIR_FIRST_READ_MS,
  CANDIDATE_PAIR_REFRESH_MS,
  MAX_ICE_RESTARTS,
  PING_TIMEOUT_MS,
} from './constants';
import { MeshError } from './errors';
import { decodeFrame, encodeAck, encodePing, messageData, type Frame } from './frames';
import { decideSignal, nextNegotiationId, type Role } from './negotiation';
import { LINK_ALIVE_MS } from './constants';
import { PeerLink, type LinkState, type RTCPeerConnectionCtor } from './PeerLink';
import { PingTracker } from './ping';
import { ReliableReceiver, ReliableSender, type OutFrame } from './reliable';
import type { RelayPacer } from './relayPacer';
import {
  nextRoute,
  usesLink,
  usesRelay,
  type PeerState,
  type Route,
  type RouteEffect,
  type RouteEvent,
  type RouteTimings,
} from './route';
import { emptyTraffic, type CandidatePair, type Traffic } from './stats';

/** Candidates of a newer connection whose offer has not arrived yet (cap per pair). */
const MAX_STASHED_CANDIDATES = 64;

export interface PeerDeps {
  peerId: string;
  role: Role;
  /** This Mesh's reliable stream id (see frames.ts). */
  epoch: number;
  Pc: RTCPeerConnectionCtor;
  rtcConfig: () => RTCConfiguration;
  timings: RouteTimings;
  filterCandidate?: (candidate: string) => boolean;
  offererCandidateHoldMs: number;
  candidateGatherWaitMs: number;
  signal: (negotiationId: number, payload: SignalPayload) => void;
  relay: RelayPacer;
  onMessage: (channel: ChannelName, data: string | Uint8Array) => void;
  /** The route changed (null only before the first one). */
  onRoute: (route: Route | null) => void;
  /** Anything shown in the stats changed (state, route, candidate pair). */
  onChange: () => void;
  onRtt: (rttMs: number) => void;
}

/**
 * One other member, seen from here: the route state machine, the reliable stream that survives
 * route switches, pings, traffic counters, and at most one PeerLink (one RTCPeerConnection) at a
 * time. The same frames travel on the link or through the server relay.
 */
export class Peer {
  readonly id: string;
  readonly role: Role;
  readonly traffic: Traffic = emptyTraffic();
  private heardOnLinkAt = 0;
  private peerState: PeerState = { kind: 'connecting' };
  private link: PeerLink | null = null;
  private linkRoute: 'direct' | 'turn' = 'direct';
  private pair: CandidatePair | null = null;
  /** When the selected candidate pair is next read (getStats). */
  private pairDueAt = 0;
  /** The current link has TURN servers: only then can its route be 'turn', known from getStats. */
  private linkMayUseTurn = false;
  private icerestarts = 0;
  private stash: { negotiationId: number; payloads: SignalPayload[] } | null = null;
  private sender: ReliableSender;
  /** The other side's Mesh epoch from its HELLO; a newer one means it was recreated. */
  private remoteEpoch: number | null = null;
  private readonly receiver = new ReliableReceiver();
  private readonly pings = new PingTracker();
  private readonly pingWaiters = new Map<
    number,
    { resolve: (rtt: number) => void; fail: (e: MeshError) => void }
  >();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private ackTimer: ReturnType<typeof setTimeout> | null = null;
  private reportedRoute: Route | null = null;

  constructor(private readonly deps: PeerDeps) {
    this.id = deps.peerId;
    this.role = deps.role;
    this.sender = new ReliableSender(deps.epoch);
    this.arm(deps.timings.connectDeadlineMs);
    if (this.role === 'offerer') this.newLink();
  }

  /**
   * The direct link is up and the peer spoke on it within LINK_ALIVE_MS (pings go every second): its page
   * is alive and reachable without the server, whatever the server says of its seat.
   */
  linkAlive(now: number = Date.now()): boolean {
    return this.peerState.kind === 'connected' && now - this.heardOnLinkAt < LINK_ALIVE_MS;
  }

  get state(): PeerState {
    return this.peerState;
  }

  get route(): Route | null {
    if (usesLink(this.peerState)) return this.linkRoute;
    if (usesRelay(this.peerState)) return 'relay';
    return null;
  }

  get candidatePair() {
    return usesLink(this.peerState) ? this.pair : null;
  }

  get rttMs() {
    return this.pings.rttMs;
  }

  get iceRestarts() {
    return this.link?.iceRestarts ?? 0;
  }

  get negotiationId() {
    return this.link?.negotiationId ?? null;
  }

  // ---- sending ----

  sendReliable(bytes: Uint8Array, isString: boolean) {
    const frames = this.sender.push(bytes, isString);
    this.traffic.messagesOut++;
    if (usesLink(this.peerState)) for (const f of frames) this.sendOnLink(f);
    else if (usesRelay(this.peerState)) for (const f of frames) this.sendOnRelay(f);
    // Connecting: they wait in the sender's buffer for the first route.
  }

  /** `frame` is already encoded (broadcasts encode once for everyone). */
  sendUnreliable(channel: Exclude<ChannelName, 'reliable'>, frame: Uint8Array) {
    this.traffic.messagesOut++;
    if (usesLink(this.peerState)) {
      if (this.link?.send(channel, frame)) this.traffic.bytesOut += frame.byteLength;
    } else if (usesRelay(this.peerState)) {
      this.deps.relay.replace(this.id, channel, frame);
      this.traffic.bytesOut += frame.byteLength;
    }
    // Connecting: dropped, as an unreliable channel may.
  }

  /** Sends one ping now; resolves with its round trip. */
  ping(): Promise<number> {
    return new Promise((resolve, reject) => {
      const id = this.sendPing();
      if (id === null) return reject(new MeshError('NO_ROUTE', this.id));
      const timer = setTimeout(() => fail(new MeshError('TIMEOUT', this.id)), PING_TIMEOUT_MS);
      const fail = (e: MeshError) => {
        clearTimeout(timer);
        this.pingWaiters.delete(id);
        reject(e);
      };
      this.pingWaiters.set(id, {
        resolve: (rtt) => {
          clearTimeout(timer);
          resolve(rtt);
        },
        fail,
      });
    });
  }

  /** Periodic ping (the Mesh's tick), and a chance to refresh the candidate pair. */
  tick(now: number) {
    this.sendPing();
    if (usesLink(this.peerState) && now >= this.pairDueAt) this.readCandidatePair(now);
  }

  // ---- receiving ----

  handleSignal(negotiationId: number, payload: SignalPayload) {
    const decision = decideSignal(this.link?.negotiationId ?? null, this.role, negotiationId, payload);
    switch (decision) {
      case 'deliver':
        void this.link?.handle(payload);
        return;
      case 'new-link': {
        // The offerer started over (retry, or its Mesh was recreated). If we were sending on the
        // old link, treat it as lost first: the relay takes over and resends what it may have dropped.
        if (usesLink(this.peerState)) this.dispatch({ type: 'link-failed' });
        const link = this.newLink(negotiationId);
        void link.handle(payload).then(() => {
          const stashed = this.stash?.negotiationId === negotiationId ? this.stash.payloads : [];
          this.stash = null;
          for (const p of stashed) void link.handle(p);
        });
        return;
      }
      case 'stash':
        if (this.stash?.negotiationId !== negotiationId) this.stash = { negotiationId, payloads: [] };
        if (this.stash.payloads.length < MAX_STASHED_CANDIDATES) this.stash.payloads.push(payload);
        return;
      case 'drop-stale':
      case 'drop-unexpected':
        return;
      default:
        return assertNever(decision);
    }
  }

  /** A frame from the link or the relay; `viaRelay` picks the way back for a pong. */
  receive(bytes: Uint8Array, viaRelay: boolean) {
    const frame = decodeFrame(bytes);
    if (!frame) return;
    this.traffic.bytesIn += bytes.byteLength;
    if (!viaRelay) this.heardOnLinkAt = Date.now();
    // Only a side in the relayed state sends on the relay (a HELLO first, on switching).
    if (viaRelay && this.peerState.kind === 'connecting') this.dispatch({ type: 'remote-relayed' });
    this.onFrame(frame, viaRelay);
  }

  close() {
    this.dispatch({ type: 'close' });
  }

  /** The ICE servers changed (fresh TURN credential): the live link uses them at its next restart. */
  refreshIceServers() {
    const iceServers = this.deps.rtcConfig().iceServers ?? [];
    if (this.link?.setIceServers(iceServers)) this.linkMayUseTurn = hasTurnServer({ iceServers });
  }

  /** An ICE restart asked for from outside the route machine (it does not count against its retries). */
  restartIce(): boolean {
    const link = this.link;
    return this.role === 'offerer' && link !== null && link.restartable && link.restartIce();
  }

  // ---- internals ----

  private onFrame(frame: Frame, viaRelay: boolean) {
    switch (frame.kind) {
      case 'reliable': {
        const messages = this.receiver.accept(frame.epoch, frame.seq, frame.part, frame.payload);
        this.scheduleAck();
        for (const m of messages) {
          this.traffic.messagesIn++;
          this.deps.onMessage('reliable', messageData(m.bytes, m.isString));
        }
        return;
      }
      case 'ack':
        this.sender.ack(frame.epoch, frame.next);
        return;
      case 'hello':
        if (this.remoteEpoch !== null && frame.epoch > this.remoteEpoch) {
          // A new Mesh on the other side: its receiver starts from scratch, so must our stream
          // (what the old one had not acknowledged went with it).
          this.sender = new ReliableSender(nextNegotiationId());
        }
        if (this.remoteEpoch === null || frame.epoch > this.remoteEpoch) this.remoteEpoch = frame.epoch;
        return;
      case 'unreliable':
        this.traffic.messagesIn++;
        this.deps.onMessage(frame.channel, messageData(frame.payload, frame.isString));
        return;
      case 'ping': {
        const pong = encodePing('pong', frame.id);
        if (!viaRelay && this.link?.send('unreliable', pong)) return;
        this.deps.relay.replace(this.id, 'pong', pong);
        return;
      }
      case 'pong': {
        const rtt = this.pings.finish(frame.id);
        if (rtt === null) return;
        this.pingWaiters.get(frame.id)?.resolve(rtt);
        this.pingWaiters.delete(frame.id);
        this.deps.onRtt(this.pings.rttMs ?? rtt);
        return;
      }
      default:
        return assertNever(frame);
    }
  }

  private sendPing(): number | null {
    if (!usesLink(this.peerState) && !usesRelay(this.peerState)) return null;
    const id = this.pings.start();
    const frame = encodePing('ping', id);
    if (!(usesLink(this.peerState) && this.link?.send('unreliable', frame)))
      this.deps.relay.replace(this.id, 'ping', frame);
    return id;
  }

  private scheduleAck() {
    if (this.receiver.pendingAcks >= ACK_EVERY_FRAMES) return this.sendAck();
    if (this.ackTimer || this.receiver.pendingAcks === 0) return;
    this.ackTimer = setTimeout(() => this.sendAck(), ACK_DELAY_MS);
  }

  private sendAck() {
    if (this.ackTimer) clearTimeout(this.ackTimer);
    this.ackTimer = null;
    const ack = this.receiver.ack;
    if (!ack || this.receiver.pendingAcks === 0) return;
    const frame = encodeAck(ack.epoch, ack.next);
    if (usesLink(this.peerState) && this.link?.send('reliable', frame)) this.receiver.acked();
    else if (usesRelay(this.peerState)) {
      this.deps.relay.replace(this.id, 'ack', frame);
      this.receiver.acked();
    }
    // No route yet: the next frame or route change acks cumulatively.
  }

  private sendOnLink(f: OutFrame) {
    const link = this.link;
    if (!link || f.acked) return;
    if (link.send('reliable', f.bytes)) {
      f.sentOnLink = link.negotiationId;
      this.traffic.bytesOut += f.bytes.byteLength;
    }
  }

  private sendOnRelay(f: OutFrame) {
    this.deps.relay.enqueue(
      this.id,
      f.bytes,
      // Skip it if acked meanwhile, or if the pair went back to a link (which takes it from there).
      () => !f.acked && usesRelay(this.peerState),
      () => {
        f.sentOnRelay = true;
        this.traffic.bytesOut += f.bytes.byteLength;
      },
    );
  }

  private newLink(negotiationId = nextNegotiationId()): PeerLink {
    this.link?.close();
    const config = this.deps.rtcConfig();
    this.linkMayUseTurn = hasTurnServer(config);
    const link: PeerLink = new PeerLink({
      negotiationId,
      role: this.role,
      Pc: this.deps.Pc,
      config,
      filterCandidate: this.deps.filterCandidate,
      offererCandidateHoldMs: this.deps.offererCandidateHoldMs,
      candidateGatherWaitMs: this.deps.candidateGatherWaitMs,
      signal: (payload) => this.deps.signal(negotiationId, payload),
      onFrame: (bytes) => this.receive(bytes, false),
      onState: (state) => {
        if (this.link === link) this.onLinkState(state);
      },
    });
    this.link = link;
    this.pair = null;
    if (this.stash && this.stash.negotiationId < negotiationId) this.stash = null;
    return link;
  }

  private onLinkState(state: LinkState) {
    switch (state) {
      case 'open':
        this.icerestarts = 0;
        this.dispatch({ type: 'link-open' });
        // Without TURN the route is direct for sure and the pair is only for the stats panel: a
        // getStats per link while a whole lobby connects is CPU the other links need.
        if (this.linkMayUseTurn) this.readCandidatePair(Date.now());
        else this.pairDueAt = Date.now() + CANDIDATE_PAIR_FIRST_READ_MS;
        return;
      case 'disconnected':
        return this.dispatch({ type: 'link-disconnected' });
      case 'failed':
      case 'closed':
        return this.dispatch({ type: 'link-failed' });
      case 'connecting':
        return;
      default:
        return assertNever(state);
    }
  }

  private readCandidatePair(now: number) {
    const link = this.link;
    if (!link) return;
    this.pairDueAt = now + CANDIDATE_PAIR_REFRESH_MS;
    void link.candidatePair().then((pair) => {
      if (this.link !== link || !pair) return;
      const route = pair.local === 'relay' || pair.remote === 'relay' ? 'turn' : 'direct';
      const changed =
        route !== this.linkRoute || pair.local !== this.pair?.local || pair.remote !== this.pair?.remote;
      this.pair = pair;
      this.linkRoute = route;
      if (changed) this.changed();
    });
  }

  private dispatch(event: RouteEvent) {
    const before = this.peerState;
    const { state, effects } = nextRoute(this.peerState, event, this.deps.timings);
    this.peerState = state;
    for (const effect of effects) this.run(effect);
    if (before !== state) this.changed();
  }

  private changed() {
    const route = this.peerState.kind === 'closed' ? this.reportedRoute : this.route;
    if (route !== this.reportedRoute) {
      this.reportedRoute = route;
      this.deps.onRoute(route);
    }
    this.deps.onChange();
  }

  private run(effect: RouteEffect) {
    switch (effect.type) {
      case 'arm-timer':
        return this.arm(effect.ms);
      case 'clear-timer':
        if (this.timer) clearTimeout(this.timer);
        this.timer = null;
        return;
      case 'use-link': {
        const link = this.link;
        if (!link) return;
        // Frames no route carried yet, and frames only an earlier link carried (it may have lost them).
        link.send('reliable', encodePing('hello', this.deps.epoch));
        for (const f of this.sender.unacked())
          if (!f.sentOnRelay && f.sentOnLink !== link.negotiationId) this.sendOnLink(f);
        this.sendAck();
        return;
      }
      case 'use-relay':
        this.deps.relay.replace(this.id, 'hello', encodePing('hello', this.deps.epoch));
        for (const f of this.sender.unacked()) if (!f.sentOnRelay) this.sendOnRelay(f);
        this.sendAck();
        return;
      case 'attempt':
        if (this.role !== 'offerer') return;
        if (this.link?.restartable && this.icerestarts < MAX_ICE_RESTARTS && this.link.restartIce()) {
          this.icerestarts++;
          return;
        }
        this.newLink();
        return;
      case 'close':
        this.link?.close();
        this.link = null;
        if (this.ackTimer) clearTimeout(this.ackTimer);
        this.ackTimer = null;
        this.deps.relay.dropPeer(this.id);
        for (const waiter of [...this.pingWaiters.values()]) waiter.fail(new MeshError('CLOSED'));
        return;
      default:
        return assertNever(effect);
    }
  }

  private arm(ms: number) {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.dispatch({ type: 'timer' });
    }, ms);
  }
}
