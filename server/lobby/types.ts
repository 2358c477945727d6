import type { LobbyFields, Meta } from '../../lib/protocol';

/** A seat's lifecycle. `dropped` holds the seat during the grace window (resilience issue). */
export type Presence = { kind: 'present' } | { kind: 'dropped'; since: number };

export interface Member {
  id: string;
  nickname: string;
  /** Server-verified device identity, so a ban survives a new player id. */
  deviceId: string;
  ready: boolean;
  joinedAt: number;
  presence: Presence;
  /** sha256 of the member's current resume token ('' = cannot resume). Rotated on every connection. */
  resumeHash: string;
  /** The connection that holds the seat now: a stale socket's disconnect must not drop a resumed seat. */
  connectionId: string;
  /** Player metadata, set by this member only (validated and capped at the socket layer). */
  meta: Meta;
  /**
   * Godot lobbies only (server/godot): the member's numeric peer id on the Godot wire, unique in the
   * lobby; the creator's is 1. Absent for members of PeerLobby's own protocol.
   */
  peer?: number;
}

/**
 * How a Godot lobby's members connect (the creator's choice at JOIN): every pair (`mesh`), or each
 * client only with the creator, peer 1 (`client-server`). Absent: a lobby of PeerLobby's own protocol.
 */
export type GodotTopology = 'mesh' | 'client-server';

/** The whole state of one lobby. Plain JSON so any store (memory, Redis) can hold it. */
export interface Lobby extends LobbyFields {
  /**
   * The host who dropped and handed the role to a present member at once: they get it back when they
   * resume, unless the lobby moved on meanwhile (the stand-in used a host power, or they left). Null
   * otherwise.
   */
  hostHandback: string | null;
  /** Join order; index 0 is the longest-present member. */
  members: Member[];
  bannedDevices: string[];
  bannedPlayers: string[];
  createdAt: number;
  /** Set for a lobby created over the Godot endpoint (see Member.peer); absent otherwise. */
  godot?: GodotTopology;
}

export interface NewMember {
  id: string;
  nickname: string;
  deviceId: string;
  resumeHash?: string;
  connectionId?: string;
  /** Godot lobbies: the peer id this member takes (see Member.peer). */
  peer?: number;
}
