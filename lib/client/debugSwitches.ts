import type { LobbyClient } from './LobbyClient';
import type { Mesh } from './mesh';

/**
 * Test switch (issue: forced failure of one pair's direct path): `localStorage['peerlobby.debug.blockDirect']`
 * holds nicknames, comma-separated; ICE candidates to and from those members are dropped, so that
 * pair must fall back (TURN or the server relay). Off unless set; it can only break this browser's
 * own links.
 */
export function debugFilterCandidate(
  client: LobbyClient,
): ((peerId: string, candidate: string) => boolean) | undefined {
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

declare global {
  interface Window {
    /** Set only with the test switch below: restarts ICE on this browser's link to that member. */
    peerlobbyRestartIce?: (nickname: string) => boolean;
  }
}

/**
 * Test switch (credential refresh proof): with `localStorage['peerlobby.debug.restartIce'] = '1'`, the
 * page gets `window.peerlobbyRestartIce(nickname)`, which restarts ICE on the link to that member now
 * (true if this side could: the pair's offerer). Off unless set; it can only touch this browser's own
 * links. Returns its remover.
 */
export function debugRestartIceHook(client: LobbyClient, mesh: Mesh): () => void {
  try {
    if (window.localStorage.getItem('peerlobby.debug.restartIce') !== '1') return () => undefined;
  } catch {
    return () => undefined;
  }
  const hook = (nickname: string) => {
    const id = client.currentLobby?.members.find((m) => m.nickname === nickname)?.id;
    return id ? mesh.restartIce(id) : false;
  };
  window.peerlobbyRestartIce = hook;
  return () => {
    if (window.peerlobbyRestartIce === hook) delete window.peerlobbyRestartIce;
  };
}
