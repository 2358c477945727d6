import type { Lobby } from './types';

/**
 * A lobby read back after the server restarted: nobody is connected yet, so every member holds a dropped
 * seat from `now` (the seat grace starts again) and comes back with the resume token it already holds.
 * The host stays host — the one who held the role before the server went down: a graceful shutdown
 * drops the members one by one, handing the role around on the way (hostHandback remembers the first).
 */
export function restoredAfterRestart(lobby: Lobby, now: number): Lobby {
  return {
    ...lobby,
    members: lobby.members.map((m) => ({
      ...m,
      presence: { kind: 'dropped', since: now },
      connectionId: '',
    })),
    hostId: lobby.hostHandback ?? lobby.hostId,
    hostHandback: null,
    version: lobby.version + 1,
  };
}
