import type { LobbyClient } from '../../lib/client/LobbyClient';
import type { LobbyView } from '../../lib/protocol';

/** Resolves with the first lobby state (now or later) that satisfies `pred`. */
export function lobbyWhere(c: LobbyClient, pred: (l: LobbyView) => boolean): Promise<LobbyView> {
  return new Promise((resolve) => {
    if (c.currentLobby && pred(c.currentLobby)) return resolve(c.currentLobby);
    const off = c.on('lobby', (l) => {
      if (l && pred(l)) {
        off();
        resolve(l);
      }
    });
  });
}
