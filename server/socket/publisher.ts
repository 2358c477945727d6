import type { Lobby } from '../lobby/types';
import { toLobbyView } from '../lobby/views';
import type { BrowserFeed } from './browserFeed';
import type { Membership } from './membership';
import { lobbyRoom, type IoServer } from './types';

/**
 * After every change to a lobby: `lobby` is its new state, or null once it is deleted; `game` is the
 * lobby's game (whose browser list to refresh — a deleted lobby no longer says). `exceptSocketId`: a
 * socket that gets this very state in its own answer (a newcomer's join ack carries the lobby), so
 * the broadcast skips it: one packet less per join, and the same state never arrives twice.
 */
export type Publish = (lobbyId: string, lobby: Lobby | null, game: string, exceptSocketId?: string) => void;

/**
 * Told of every lobby change, here or on another instance: the new state when this instance made it,
 * `remote` when another did (version given; read the store for the rest), null once deleted.
 */
export type LobbyChanged = (lobbyId: string, lobby: Lobby | 'remote' | null, version: number) => void;

/**
 * Members get the new state; the signal path's membership cache follows, here and (through the
 * adapter's server-side events) on every other instance; the public browser refreshes (coalesced).
 * A single instance (socket.io's in-memory adapter) skips serverSideEmit: that adapter answers
 * every call with a synchronous console.warn, one stderr write per lobby change.
 */
export function createPublisher(
  io: IoServer,
  feed: BrowserFeed,
  membership: Membership,
  multiInstance: boolean,
  changed: LobbyChanged = () => {},
): Publish {
  io.on('lobby:membership', (lobbyId, version, memberIds) => {
    if (memberIds) membership.set(lobbyId, version, memberIds);
    else membership.delete(lobbyId);
    changed(lobbyId, memberIds ? 'remote' : null, version);
  });
  return (lobbyId, lobby, game, exceptSocketId) => {
    if (lobby) {
      membership.update(lobby);
      // Membership first: every instance consumes the adapter's stream in order, so it knows the new
      // members before any of its sockets can see them in lobby:state and start signaling them.
      if (multiInstance)
        io.serverSideEmit(
          'lobby:membership',
          lobbyId,
          lobby.version,
          lobby.members.map((m) => m.id),
        );
      const members = io.to(lobbyRoom(lobby.id));
      (exceptSocketId === undefined ? members : members.except(exceptSocketId)).emit(
        'lobby:state',
        toLobbyView(lobby),
      );
    } else {
      membership.delete(lobbyId);
      if (multiInstance) io.serverSideEmit('lobby:membership', lobbyId, 0, null);
    }
    changed(lobbyId, lobby, lobby?.version ?? 0);
    feed.markDirty(game);
  };
}
