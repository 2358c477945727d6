import type { GodotTopology, Lobby } from '../lobby/types';

/** A Godot member as this instance knows it: player id in the lobby core, peer id on the wire. */
export interface Seat {
  lobbyId: string;
  /** The lobby's game (publishing a change names it, a deletion included). */
  game: string;
  playerId: string;
  peer: number;
}

/** What one connection has been told: the peers it was introduced to, and whether the lobby is sealed. */
export interface Told {
  peers: Set<number>;
  sealed: boolean;
}

/** The latest state this instance read of one Godot lobby (only lobbies with a connection here). */
export interface LobbySnapshot {
  version: number;
  topology: GodotTopology;
  locked: boolean;
  /** Present members' peer ids → player ids. */
  peers: Map<number, string>;
  /** Every member's player id, present or not. */
  members: Set<string>;
}

export const HOST_PEER = 1;

export function snapshotOf(lobby: Lobby): LobbySnapshot {
  const peers = new Map<number, string>();
  for (const m of lobby.members)
    if (m.peer !== undefined && m.presence.kind === 'present') peers.set(m.peer, m.id);
  return {
    version: lobby.version,
    topology: lobby.godot ?? 'mesh',
    locked: lobby.locked,
    peers,
    members: new Set(lobby.members.map((m) => m.id)),
  };
}

/**
 * The peers `self` is introduced to (PEER_CONNECT) and may signal: everyone in a mesh; in client-server
 * only the host, and the host everyone (the demo's GDScript server shows clients only the host).
 */
export function visiblePeers(snap: LobbySnapshot, self: number): number[] {
  const others = [...snap.peers.keys()].filter((p) => p !== self);
  if (snap.topology === 'mesh' || self === HOST_PEER) return others;
  return others.filter((p) => p === HOST_PEER);
}

/** The notices that bring what a connection was told up to `snap`: disconnects first, then connects. */
export function noticesFor(
  snap: LobbySnapshot,
  self: number,
  told: Told,
): { gone: number[]; added: number[]; seal: boolean } {
  const now = new Set(visiblePeers(snap, self));
  return {
    gone: [...told.peers].filter((p) => !now.has(p)),
    added: [...now].filter((p) => !told.peers.has(p)),
    seal: snap.locked && !told.sealed,
  };
}
