'use client';

import { Alert } from './ui/Alert';
import { useAppStore } from './LobbyProvider';

/** A visible, specific state when the server cannot be reached (the badge alone is easy to miss). */
export function ConnectionAlert() {
  const status = useAppStore((s) => s.connection);
  const inLobby = useAppStore((s) => s.lobby !== null);
  const inGame = useAppStore((s) => s.lobby?.phase === 'in-game');
  if (status === 'reconnecting')
    return (
      <Alert>
        {inGame
          ? // True through a server restart: the match runs between the players' browsers (the mesh keeps
            // links that still work), and the server keeps lobbies and seats (DATA_DIR). "May be": this page
            // cannot tell a restart from a lost route to the server.
            'The server can’t be reached (it may be restarting) — your game continues. Your seat is kept; reconnecting automatically…'
          : inLobby
            ? 'The server can’t be reached right now (it may be restarting). Your seat is kept, and players connected directly go on playing and chatting meanwhile. Reconnecting automatically…'
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
