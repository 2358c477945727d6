'use client';

import { Alert } from './ui/Alert';
import { useAppStore } from './LobbyProvider';

/** A visible, specific state when the server cannot be reached (the badge alone is easy to miss). */
export function ConnectionAlert() {
  const status = useAppStore((s) => s.connection);
  const inLobby = useAppStore((s) => s.lobby !== null);
  if (status === 'reconnecting')
    return (
      <Alert>
        {inLobby
          ? // True through a server restart too: the server keeps lobbies and seats (DATA_DIR) and the game
            // runs between the players' browsers.
            'The server can’t be reached right now (it may be restarting). Your seat is kept, and players connected directly go on playing and chatting meanwhile. Reconnecting automatically…'
          : 'The server can’t be reached right now. Reconnecting automatically…'}
      </Alert>
    );
  if (status === 'outdated')
    return (
      <Alert>
        This page is out of date.{' '}
        <button type="button" className="font-semibold underline" onClick={() => window.location.reload()}>
          Reload
        </button>
      </Alert>
    );
  return null;
}
