import type { KeyValueStore } from '../../lib/client/LobbyClient';

/** A Web Storage stand-in for LobbyClient in Node (one per simulated tab or browser). */
export function memoryStorage(
  initial: Record<string, string> = {},
): KeyValueStore & { data: Map<string, string> } {
  const data = new Map(Object.entries(initial));
  return {
    data,
    get: (k) => data.get(k) ?? null,
    set: (k, v) => (v ? data.set(k, v) : data.delete(k)),
  };
}
