import type { LobbyView, SignalPayload } from '../../protocol';
import { Emitter } from '../../events/emitter';
import type { ChannelName } from './channels';
import {
  CANDIDATE_GATHER_WAIT_MS,
  DIRECT_CONNECT_DEADLINE_MS,
  ICE_DISCONNECTED_GRACE_MS,
  MAX_RELIABLE_MESSAGE_BYTES,
  MAX_UNRELIABLE_BYTES,
  PEERS_EVENT_MIN_INTERVAL_MS,
  PING_INTERVAL_MS,
  RETRY_MAX_DELAY_MS,
  STATS_INTERVAL_MS,
} from './constants';
import { MeshError } from './errors';
import { encodeUnreliable, messageBytes } from './frames';
import { nextNegotiationId, roleFor, type Role } from './negotiation';
import { Peer } from './Peer';
import { RelayPacer } from './relayPacer';
import type { RouteTimings } from './route';
import { emptyTraffic, rates, type Traffic } from './stats';
import type { MeshEvents, MeshOptions, PeerStats } from './types';

export type MeshData = string | ArrayBuffer | ArrayBufferView;

/**
 * A full mesh of WebRTC links to every other member of the lobby, in the spirit of Godot's
 * WebRTCMultiplayerPeer: send to one, broadcast, broadcast-except, on three channels, over
 * whichever route each pair has (direct, TURN, or the server relay). Membership follows the
 * LobbyClient's `lobby` event. Plain TypeScript; one close() releases everything.
 */
export class Mesh {
  private readonly events = new Emitter<MeshEvents>();
  private readonly peersById = new Map<string, Peer>();
  private readonly announced = new Set<string>();
  private readonly lastTraffic = new Map<string, Traffic>();
  /** Members the server counts dropped whose link is still alive: kept open while it stays so. */
  private readonly keptDropped = new Set<string>();
  private readonly disposers: (() => void)[] = [];
  private readonly relay: RelayPacer;
  private readonly timings: RouteTimings;
  /** This Mesh's reliable stream id: rebuilt links (reconnectAll) restart their streams under a newer one. */
  private epoch = nextNegotiationId();
  private self: string | null = null;
  private lastStatsAt = Date.now();
  private peersTimer: ReturnType<typeof setTimeout> | null = null;
  private lastPeersEventAt = 0;
  private closed = false;

  constructor(private readonly options: MeshOptions) {
    const { signaling } = options;
    this.timings = {
      connectDeadlineMs: options.connectDeadlineMs ?? DIRECT_CONNECT_DEADLINE_MS,
      graceMs: options.iceDisconnectedGraceMs ?? ICE_DISCONNECTED_GRACE_MS,
      retryMaxMs: options.retryMaxDelayMs ?? RETRY_MAX_DELAY_MS,
    };
    this.relay = new RelayPacer((to, bytes) => signaling.relay(to, bytes));
    this.disposers.push(
      signaling.on('lobby', (lobby, selfId) => this.sync(lobby, selfId)),
      signaling.on('signal', ({ from, negotiationId, signal }) => this.onSignal(from, negotiationId, signal)),
      signaling.on('relay', (from, data) => this.peersById.get(from)?.receive(data, true)),
      signaling.on('signalError', (error) => this.events.emit('error', error)),
      // New links read the latest servers by themselves (rtcConfig); live ones are told, so that a later
      // ICE restart allocates with the fresh TURN credential, not the expired one they were made with.
      signaling.on('iceServers', () => {
        for (const peer of this.peersById.values()) peer.refreshIceServers();
      }),
    );
    const pingTimer = setInterval(() => this.tick(), Math.min(PING_INTERVAL_MS, STATS_INTERVAL_MS));
    this.disposers.push(() => clearInterval(pingTimer));
    this.sync(signaling.currentLobby, signaling.playerId);
  }

  /** Our player id, once joined. */
  get selfId() {
    return this.self;
  }

  on<K extends keyof MeshEvents>(event: K, fn: MeshEvents[K]): () => void {
    return this.events.on(event, fn);
  }

  /** Sends to one peer. Throws MeshError TOO_LARGE, UNKNOWN_PEER, QUEUE_FULL or CLOSED. */
  send(peerId: string, data: MeshData, channel: ChannelName = 'reliable') {
    const peer = this.peersById.get(peerId);
    if (this.closed) throw new MeshError('CLOSED');
    if (!peer) throw new MeshError('UNKNOWN_PEER', peerId);
    this.sendTo([peer], data, channel);
  }

  /** Sends to every other member. */
  broadcast(data: MeshData, channel: ChannelName = 'reliable') {
    this.broadcastExcept([], data, channel);
  }

  /** Sends to every other member but `except` (an id or ids). */
  broadcastExcept(except: string | Iterable<string>, data: MeshData, channel: ChannelName = 'reliable') {
    if (this.closed) throw new MeshError('CLOSED');
    const skip = new Set(typeof except === 'string' ? [except] : except);
    const targets = [...this.peersById.values()].filter((p) => !skip.has(p.id));
    this.sendTo(targets, data, channel);
  }

  /** Ids of the other members. */
  get peerIds(): string[] {
    return [...this.peersById.keys()];
  }

  /** A snapshot of every pair, for a connection panel. */
  peers(): PeerStats[] {
    const now = Date.now();
    return [...this.peersById.values()].map((p) => this.stats(p, now));
  }

  /** One immediate application ping; resolves with the round trip in ms. */
  ping(peerId: string): Promise<number> {
    const peer = this.peersById.get(peerId);
    if (!peer) return Promise.reject(new MeshError('UNKNOWN_PEER', peerId));
    return peer.ping();
  }

  /**
   * Restarts ICE on the link to `peerId` now (e.g. after a network change), on the offering side of
   * the pair. False when this side cannot: the answerer, no link, or no restartIce (node-datachannel).
   */
  restartIce(peerId: string): boolean {
    return this.peersById.get(peerId)?.restartIce() ?? false;
  }

  /**
   * Closes every link and makes each anew, reading `rtcConfig` again: e.g. after a "hide my IP" setting
   * changed the ICE transport policy. Reliable streams restart (a message in flight may be lost), and
   * every reachable peer reports `peerDisconnected` then `peerConnected` again.
   */
  reconnectAll() {
    if (this.closed || !this.self) return;
    for (const id of [...this.peersById.keys()]) this.removePeer(id);
    this.epoch = nextNegotiationId();
    this.sync(this.options.signaling.currentLobby, this.self);
  }

  close() {
    if (this.closed) return;
    for (const id of [...this.peersById.keys()]) this.removePeer(id);
    this.closed = true;
    for (const dispose of this.disposers.splice(0)) dispose();
    if (this.peersTimer) clearTimeout(this.peersTimer);
    this.relay.close();
    this.events.clear();
  }

  private sendTo(targets: Peer[], data: MeshData, channel: ChannelName) {
    const { bytes, isString } = messageBytes(data);
    if (channel === 'reliable') {
      if (bytes.byteLength > MAX_RELIABLE_MESSAGE_BYTES)
        throw new MeshError('TOO_LARGE', `${bytes.byteLength} > ${MAX_RELIABLE_MESSAGE_BYTES} bytes`);
      for (const peer of targets) peer.sendReliable(bytes, isString);
      return;
    }
    if (bytes.byteLength > MAX_UNRELIABLE_BYTES)
      throw new MeshError('TOO_LARGE', `${bytes.byteLength} > ${MAX_UNRELIABLE_BYTES} bytes on ${channel}`);
    // Encoded once for all targets: unreliable frames carry no per-pair header.
    const frame = encodeUnreliable(channel, isString, bytes);
    for (const peer of targets) peer.sendUnreliable(channel, frame);
  }

  private sync(lobby: LobbyView | null, selfId: string | null) {
    if (this.closed) return;
    if (!lobby) {
      if (!selfId) for (const id of [...this.peersById.keys()]) this.removePeer(id);
      return;
    }
    // A lobby:state that beat our join ack: wait for the ack, which names us.
    if (!selfId) return;
    if (selfId !== this.self) {
      for (const id of [...this.peersById.keys()]) this.removePeer(id);
      this.self = selfId;
    }
    const order = lobby.members.map((m) => m.id);
    // A dropped member's link is usually dead (a closed tab, a reload): close it now and reconnect at once
    // when the seat comes back. But a member can lose only the server — it restarted, or the member's
    // path to it failed — while the link between the pages works: keep a link that is still alive (the
    // game and chat go on over it) and close it when it is not (tick re-checks, see keptDropped).
    const now = Date.now();
    this.keptDropped.clear();
    const members = new Set<string>();
    for (const m of lobby.members) {
      if (m.presence === 'present') members.add(m.id);
      else if (this.peersById.get(m.id)?.linkAlive(now)) {
        members.add(m.id);
        this.keptDropped.add(m.id);
      }
    }
    members.delete(selfId);
    for (const id of [...this.peersById.keys()]) if (!members.has(id)) this.removePeer(id);
    for (const id of members) if (!this.peersById.has(id)) this.addPeer(id, roleFor(order, selfId, id));
    this.schedulePeersEvent();
  }

  private addPeer(peerId: string, role: Role) {
    const { signaling, filterCandidate } = this.options;
    const peer = new Peer({
      peerId,
      role,
      epoch: this.epoch,
      Pc: this.options.RTCPeerConnection,
      rtcConfig: () => {
        const extra = this.options.rtcConfig;
        return { iceServers: signaling.iceServers, ...(typeof extra === 'function' ? extra() : extra) };
      },
      timings: this.timings,
      filterCandidate: filterCandidate && ((candidate) => filterCandidate(peerId, candidate)),
      offererCandidateHoldMs: this.options.offererCandidateHoldMs ?? 0,
      candidateGatherWaitMs: this.options.candidateGatherWaitMs ?? CANDIDATE_GATHER_WAIT_MS,
      signal: (negotiationId, signal) => signaling.signal({ to: peerId, negotiationId, signal }),
      relay: this.relay,
      onMessage: (channel, data) => this.events.emit('message', { from: peerId, channel, data }),
      onRoute: (route) => {
        if (!route || this.closed) return;
        if (!this.announced.has(peerId)) {
          this.announced.add(peerId);
          this.events.emit('peerConnected', peerId);
        }
        this.events.emit('route', peerId, route);
      },
      onChange: () => this.schedulePeersEvent(),
      onRtt: (rtt) => this.events.emit('rtt', peerId, rtt),
    });
    this.peersById.set(peerId, peer);
    this.lastTraffic.set(peerId, emptyTraffic());
  }

  private removePeer(peerId: string) {
    const peer = this.peersById.get(peerId);
    if (!peer) return;
    this.peersById.delete(peerId);
    this.lastTraffic.delete(peerId);
    peer.close();
    if (this.announced.delete(peerId)) this.events.emit('peerDisconnected', peerId);
    this.schedulePeersEvent();
  }

  private onSignal(from: string, negotiationId: number, signal: SignalPayload) {
    this.peersById.get(from)?.handleSignal(negotiationId, signal);
  }

  private tick() {
    const now = Date.now();
    for (const peer of this.peersById.values()) peer.tick(now);
    if ([...this.keptDropped].some((id) => !this.peersById.get(id)?.linkAlive(now)) && this.self)
      this.sync(this.options.signaling.currentLobby, this.self);
    if (now - this.lastStatsAt >= STATS_INTERVAL_MS) this.emitPeers(now);
  }

  private stats(peer: Peer, now: number): PeerStats {
    const before = this.lastTraffic.get(peer.id) ?? emptyTraffic();
    return {
      id: peer.id,
      state: peer.state.kind,
      route: peer.route,
      candidates: peer.candidatePair,
      rttMs: peer.rttMs,
      negotiationId: peer.negotiationId,
      iceRestarts: peer.iceRestarts,
      ...rates(peer.traffic, before, now - this.lastStatsAt),
    };
  }

  private schedulePeersEvent() {
    if (this.closed || this.peersTimer) return;
    const wait = Math.max(0, this.lastPeersEventAt + PEERS_EVENT_MIN_INTERVAL_MS - Date.now());
    this.peersTimer = setTimeout(() => {
      this.peersTimer = null;
      this.emitPeers(Date.now(), false);
    }, wait);
  }

  /** `roll`: start a new rate window (the periodic snapshot); change snapshots reuse the current one. */
  private emitPeers(now: number, roll = true) {
    if (this.closed) return;
    const snapshot = this.peers();
    this.lastPeersEventAt = now;
    if (roll) {
      this.lastStatsAt = now;
      for (const p of this.peersById.values()) this.lastTraffic.set(p.id, { ...p.traffic });
    }
    this.events.emit('peers', snapshot);
  }
}
