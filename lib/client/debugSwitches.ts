import type { LobbyClient } from './LobbyClient';

/**
 * Test switch (issue: forced failure of one pair's direct path): `localStorage['peerlobby.debug.blockDirect']`
 * holds nicknames, comma-separated; ICE candidates to and from those members are dropped, so that
 * pair must fall back (TURN or the server relay). Off unless set; it can only break this browser's
 * own links.
 */
export function debugFilterCandidate(client: LobbyClient): ((peerId: string, candidate: string) => boolean) | undefined {
  let blocked: string[] = [];
  try {
    blocked = (window.localStorage.getItem('peerlobby.debug.blockDirect') ?? '').split(',').filter(Boolean);
  } catch {
    return undefined;
  }
  if (blocked.length === 0) return undefined;
  return (peerId) => {
    const nickname = client.currentLobby?.members.find((m) => m.id === peerId)?.nickname;
    return !(nickname && blocked.includes(nickname));
  };
}
