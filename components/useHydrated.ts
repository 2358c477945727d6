'use client';

import { useSyncExternalStore } from 'react';

const noopSubscribe = () => () => {};

/** A browser-only value: `server` during SSR and hydration, `client()` after, with no effect pass. */
export function useClientValue<T>(client: () => T, server: T): T {
  return useSyncExternalStore(noopSubscribe, client, () => server);
}

export const useHydrated = () => useClientValue(() => true, false);
