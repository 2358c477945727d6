import type { IceServer, LobbyView, SignalError, SignalInput, SignalMessage } from '../../protocol';
import type { ChannelName } from './channels';
import type { RTCPeerConnectionCtor } from './PeerLink';
import type { PeerStateKind, Route } from './route';
import type { CandidatePair, Rates } from './stats';

/** What the Mesh needs from the lobby connection. LobbyClient implements it. */
export interface MeshSignalingEvents {
  lobby: (lobby: LobbyView | null, selfId: string | null) => void;
  signal: (message: SignalMessage) => void;
  relay: (from: string, data: Uint8Array) => void;
  signalError: (error: SignalError) => void;
  /** Fresh ICE servers (a renewed TURN credential); `iceServers` returns them from now on. */
  iceServers: (iceServers: IceServer[]) => void;
}

export interface MeshSignaling {
  readonly playerId: string | null;
  readonly currentLobby: LobbyView | null;
  /** The latest: from the join ack or a later refresh. */
  readonly iceServers: IceServer[];
  on<K extends keyof MeshSignalingEvents>(event: K, fn: MeshSignalingEvents[K]): () => void;
  signal(input: SignalInput): void;
  relay(to: string, data: Uint8Array): void;
}

export type RtcConfigExtra = RTCConfiguration & Record<string, unknown>;

export interface MeshOptions {
  signaling: MeshSignaling;
  /** The browser's RTCPeerConnection, or node-datachannel's polyfill in Node. */
  RTCPeerConnection: RTCPeerConnectionCtor;
  /**
   * Extra RTCPeerConnection configuration merged over `{ iceServers }`, e.g. node-datachannel's
   * `{ bindAddress: '127.0.0.1' }`. `iceServers` here overrides the join ack's. A function is read
   * for every new connection (e.g. a "hide my IP" setting: `{ iceTransportPolicy: 'relay' }`).
   */
  rtcConfig?: RtcConfigExtra | (() => RtcConfigExtra);
  /** Default DIRECT_CONNECT_DEADLINE_MS; tests shorten it. Also the first background retry delay. */
  connectDeadlineMs?: number;
  /** Default ICE_DISCONNECTED_GRACE_MS. */
  iceDisconnectedGraceMs?: number;
  /** Default RETRY_MAX_DELAY_MS. */
  retryMaxDelayMs?: number;
  /**
   * Default 0: candidates are trickled as soon as they are gathered (browsers). node-datachannel
   * (libdatachannel) as the offerer drops a DTLS hello that arrives before it has applied the
   * answer and only retransmits after ~1 s; there, hold the offerer's candidates until its ICE
   * connects or this long after the answer (250 works on loopback).
   */
  offererCandidateHoldMs?: number;
  /**
   * Default CANDIDATE_GATHER_WAIT_MS: how long an offer or answer may wait for its first local
   * candidate to ride along in its SDP. 0 sends descriptions at once and trickles every candidate.
   */
  candidateGatherWaitMs?: number;
  /**
   * Test switch to break one pair's direct path: candidates it rejects are neither sent to nor
   * applied from `peerId` (trickled or in SDP). Never set it in production.
   */
  filterCandidate?: (peerId: string, candidate: string) => boolean;
}

export interface MeshMessage {
  from: string;
  channel: ChannelName;
  /** Strings arrive as strings; binary as a Uint8Array (a view: copy it if you keep it past the handler). */
  data: string | Uint8Array;
}

/** One row of the connection panel. */
export interface PeerStats extends Rates {
  id: string;
  state: PeerStateKind;
  route: Route | null;
  /** Candidate types of the selected ICE pair while on a link, e.g. { local: 'host', remote: 'srflx' }. */
  candidates: CandidatePair | null;
  /** Smoothed application ping, ms. */
  rttMs: number | null;
  /** Current RTCPeerConnection's negotiation id (diagnostics). */
  negotiationId: number | null;
  /** ICE restarts the current RTCPeerConnection went through (either side started them). */
  iceRestarts: number;
}

export interface MeshEvents {
  message: (message: MeshMessage) => void;
  /** A member became reachable (on any route). */
  peerConnected: (peerId: string) => void;
  /** A reachable member left, or the Mesh closed. */
  peerDisconnected: (peerId: string) => void;
  route: (peerId: string, route: Route) => void;
  rtt: (peerId: string, rttMs: number) => void;
  /** A snapshot for a store: every STATS_INTERVAL_MS, and on changes at most every PEERS_EVENT_MIN_INTERVAL_MS. */
  peers: (peers: PeerStats[]) => void;
  /** The server refused a signal or relay frame (rate limit, size, membership). */
  error: (error: SignalError) => void;
}
