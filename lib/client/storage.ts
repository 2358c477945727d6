/**
 * Where a LobbyClient keeps its device key (a ban outlives a new player id) and its seat record (a
 * refresh or a dropped connection takes the seat back). `set(key, '')` removes the key.
 */
export interface KeyValueStore {
  get(key: string): string | null;
  set(key: string, value: string): void;
}

/** Kept in this object only: lost with it (a Node process, a test's simulated tab). */
export function memoryStorage(initial: Record<string, string> = {}): KeyValueStore {
  const data = new Map(Object.entries(initial));
  return {
    get: (key) => data.get(key) ?? null,
    set: (key, value) => void (value ? data.set(key, value) : data.delete(key)),
  };
}

/** Web Storage that never throws (private mode, disabled storage): the value is simply not kept. */
export function webStorage(pick: () => Storage): KeyValueStore {
  return {
    get: (key) => {
      try {
        return pick().getItem(key);
      } catch {
        return null;
      }
    },
    set: (key, value) => {
      try {
        if (value) pick().setItem(key, value);
        else pick().removeItem(key);
      } catch {
        // Not kept.
      }
    },
  };
}

/**
 * The default when LobbyClientOptions names none: the page's `localStorage` / `sessionStorage` in a
 * browser, else (Node, a worker, storage disabled) memory that lasts as long as the client. Only a
 * page has `window`: Node 22+ may define a global `localStorage` of its own, which is not a player's.
 */
export function defaultStorage(kind: 'localStorage' | 'sessionStorage'): {
  store: KeyValueStore;
  persistent: boolean;
} {
  try {
    if (typeof window !== 'undefined' && window[kind]) {
      const probe = 'peerlobby.probe';
      window[kind].setItem(probe, '1');
      window[kind].removeItem(probe);
      return { store: webStorage(() => window[kind]), persistent: true };
    }
  } catch {
    // Blocked (private mode, sandboxed frame): fall through to memory.
  }
  return { store: memoryStorage(), persistent: false };
}
