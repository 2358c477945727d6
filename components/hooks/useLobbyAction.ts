'use client';

import { useCallback, useState } from 'react';
import type { ErrorCode, Result } from '@/lib/protocol';
import type { LobbyClient } from '@/lib/client/LobbyClient';
import { useLobbyClient } from '../LobbyProvider';

/** Runs a lobby command and keeps its last error for display; `busy` guards double clicks. */
export function useLobbyAction() {
  const client = useLobbyClient();
  const [error, setError] = useState<ErrorCode | null>(null);
  const [busy, setBusy] = useState(false);
  const run = useCallback(
    async (fn: (c: LobbyClient) => Promise<Result<unknown>>) => {
      if (!client) return false;
      setBusy(true);
      const result = await fn(client);
      setBusy(false);
      setError(result.ok ? null : result.error);
      return result.ok;
    },
    [client],
  );
  return { run, error, busy, clearError: () => setError(null) };
}
