import type { Meta } from './meta';
import type { Visibility } from './schemas';

/** What every member of a lobby sees. Serializable; carried whole in `lobby:state`. */
export interface MemberView {
  id: string;
  nickname: string;
  ready: boolean;
  /** `dropped`: connection lost, seat held for the grace window. */
  presence: 'present' | 'dropped';
  joinedAt: number;
  /** Set by the player themself (`lobby:set-player-meta`); `{}` until then. */
  meta: Meta;
}

export type LobbyPhase = 'waiting' | 'in-game';

/** What a lobby's view shows and its server record holds alike (server/lobby/types.ts extends it). */
export interface LobbyFields {
  id: string;
  /** The game's slug (DEFAULT_GAME for the built-in one). Never changes. */
  game: string;
  code: string;
  /** Members may share the invite; it is never in the public list. */
  inviteToken: string;
  name: string;
  visibility: Visibility;
  maxPlayers: number;
  locked: boolean;
  phase: LobbyPhase;
  hostId: string;
  /** Set by the host (`lobby:set-meta`, or at create); `{}` until then. */
  meta: Meta;
  /** Only increases; a client ignores any state older than the one it has. */
  version: number;
}

export interface LobbyView extends LobbyFields {
  /** In join order: the first one is the longest present. */
  members: MemberView[];
}

/** What a consumer of lobby state needs of the connection (the chat, a game session); LobbyClient has it. */
export interface LobbySource {
  readonly currentLobby: LobbyView | null;
  readonly playerId: string | null;
  on(event: 'lobby', fn: (lobby: LobbyView | null, selfId: string | null) => void): () => void;
}

/** Public lobby browser row. Private lobbies never produce one. */
export type LobbyStatus = 'open' | 'full' | 'locked' | 'in-game';
export interface LobbySummary {
  code: string;
  name: string;
  hostName: string;
  players: number;
  maxPlayers: number;
  status: LobbyStatus;
}

export interface IceServer {
  urls: string | string[];
  username?: string;
  credential?: string;
}

/**
 * One member's ICE servers and how long their TURN credential lasts (both times null without TURN).
 * The join/create/resume ack carries one; `ice:refresh` answers with a fresh one before it runs out.
 */
export interface IceGrant {
  iceServers: IceServer[];
  /** When the TURN credential expires, epoch ms on the server's clock (coturn's clock should agree). */
  iceServersExpireAt: number | null;
  /** The credential's lifetime left when issued: clients schedule refreshes from it, so their clock's skew does not matter. */
  iceServersTtlMs: number | null;
}

/** The ack of a successful create or join. */
export interface Joined extends IceGrant {
  selfId: string;
  lobby: LobbyView;
  /** Base for invite links when the server is configured with PUBLIC_URL; else the page's origin. */
  publicUrl: string | null;
  /**
   * Proves this seat on a reconnect (page refresh included). Kept per tab in sessionStorage, sent only
   * in the socket.io `auth` payload, never in a URL; replaced by a new one on every connection.
   */
  resumeToken: string;
}

/** The ack of quick play: the seat, and whether this player's call created the lobby. */
export interface QuickJoined extends Joined {
  created: boolean;
}

/**
 * The answer to `connection:check`: what a client probes to diagnose its network before (or without)
 * joining. `stunUrls` is `[main, alternate]` of the built-in responder at this page's host (alternate
 * missing when STUN_ALT_PORT=0; empty when STUN is off or the host is unusable): two different mapped
 * ports from the two means a symmetric NAT.
 */
export type RemovedReason = 'kicked' | 'banned';

/** The ack of `connection:check`. */
export interface ConnectionCheckServers {
  /** [main, alternate] STUN URLs for the page's host (NAT behaviour needs two ports); empty if STUN is off. */
  stunUrls: string[];
  /** TURN credentials go only to lobby members; this says whether there is a relay to need. */
  turnConfigured: boolean;
}
