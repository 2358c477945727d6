import type { Ack, ErrorCode } from './errors';
import type { SignalError, SignalMessage } from './signaling';
import type {
  ConnectionCheckServers,
  IceGrant,
  Joined,
  LobbySummary,
  LobbyView,
  QuickJoined,
  RemovedReason,
} from './views';

/**
 * Client → server. Payloads are typed `unknown` on purpose: the server parses every one with zod
 * (schemas.ts); the client-side wrapper in lib/client gives callers the precise input types.
 */
export interface ClientToServerEvents {
  'lobby:create': (payload: unknown, ack: Ack<Joined>) => void;
  'lobby:join': (payload: unknown, ack: Ack<Joined>) => void;
  /**
   * Quick play: joins the fullest open public lobby of the game and size (unlocked, not started, not
   * full), or creates a public one when none is; atomic across server instances.
   */
  'lobby:join-or-create': (payload: unknown, ack: Ack<QuickJoined>) => void;
  'lobby:leave': (payload: unknown, ack: Ack<null>) => void;
  'lobby:ready': (payload: unknown, ack: Ack<null>) => void;
  'lobby:kick': (payload: unknown, ack: Ack<null>) => void;
  'lobby:lock': (payload: unknown, ack: Ack<null>) => void;
  /** Host only (payload `{}`): a new invite link; the old one answers NOT_FOUND from now on. */
  'lobby:rotate-invite': (payload: unknown, ack: Ack<null>) => void;
  'lobby:transfer': (payload: unknown, ack: Ack<null>) => void;
  'lobby:settings': (payload: unknown, ack: Ack<null>) => void;
  /** Host only: replaces the lobby's metadata (`{ meta }`, ≤ MAX_LOBBY_META_BYTES). */
  'lobby:set-meta': (payload: unknown, ack: Ack<null>) => void;
  /** Any member, for themself: replaces their player metadata (`{ meta }`, ≤ MAX_PLAYER_META_BYTES). */
  'lobby:set-player-meta': (payload: unknown, ack: Ack<null>) => void;
  'lobby:start': (payload: unknown, ack: Ack<null>) => void;
  'lobby:end': (payload: unknown, ack: Ack<null>) => void;
  'browser:watch': (payload: unknown, ack: Ack<LobbySummary[]>) => void;
  /** Any connected socket, no lobby needed: the servers to probe for a network check (payload `{}`). */
  'connection:check': (payload: unknown, ack: Ack<ConnectionCheckServers>) => void;
  /** Members only: fresh ICE servers (a new TURN credential) before the ones held expire. */
  'ice:refresh': (payload: unknown, ack: Ack<IceGrant>) => void;
  /** Fire-and-forget (see signaling.ts); rejections come back as `signal:error`. */
  signal: (payload: unknown) => void;
  relay: (payload: unknown) => void;
}

export interface SessionInfo {
  /** Server-signed key kept in localStorage; lets a ban outlive a new player id. */
  deviceKey: string;
}

export interface ServerToClientEvents {
  session: (info: SessionInfo) => void;
  /** Every change to the lobby, to its members; a newcomer has its join's state in the ack instead. */
  'lobby:state': (lobby: LobbyView) => void;
  'lobby:removed': (info: { lobbyId: string; reason: RemovedReason }) => void;
  /** Answer to a handshake that carried `auth.resume`: the seat is back, with a fresh token. */
  'lobby:resumed': (joined: Joined) => void;
  /** The seat is gone (grace over, kicked, or a wrong token): the client starts over. */
  'lobby:resume-failed': (info: { error: ErrorCode }) => void;
  'browser:list': (lobbies: LobbySummary[]) => void;
  /** `from` is stamped by the server. */
  signal: (message: SignalMessage) => void;
  relay: (message: { from: string; data: ArrayBuffer | Uint8Array }) => void;
  'signal:error': (error: SignalError) => void;
  /** The server is going away (deploy, restart); the connection closes next, then reconnect with backoff. */
  'server:shutdown': () => void;
}

export type ClientEventName = keyof ClientToServerEvents;
