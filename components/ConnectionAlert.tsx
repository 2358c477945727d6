'use client';

import { Alert } from './ui/Alert';
import { useAppStore } from './LobbyProvider';

/** A visible, specific state when the server cannot be reached (the badge alone is easy to miss). */
export function ConnectionAlert() {
  const status = useAppStore((s) => s.connection);
  if (status === 'reconnecting')
    return <Alert>The server can’t be reached right now. Reconnecting automatically…</Alert>;
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
