import type { Lobby } from '../lobby/types';
import { toLobbyView } from '../lobby/views';
import type { BrowserFeed } from './browserFeed';
import { lobbyRoom, type IoServer } from './types';

export type Publish = (lobby: Lobby | null) => void;

/** After every change: members get the new state; the public browser refreshes (coalesced). */
export function createPublisher(io: IoServer, feed: BrowserFeed): Publish {
  return (lobby) => {
    if (lobby) io.to(lobbyRoom(lobby.id)).emit('lobby:state', toLobbyView(lobby));
    feed.markDirty();
  };
}
