import type { Metrics } from '../metrics';
import type { LobbyStore } from '../lobby/LobbyStore';
import type { IoServer } from './types';

/**
 * Gauges read at scrape time. Sockets and members are this node's; lobbies and held seats are read
 * from the store, so a lobby nobody is connected to (every member dropped, seats held until they
 * expire) still shows. With Redis that is a SCAN per scrape: fine at a scrape every few seconds.
 */
export function addSocketGauges(metrics: Metrics, io: IoServer, store: LobbyStore) {
  metrics.addGauge({
    name: 'peerlobby_connected_sockets',
    help: 'Open socket.io connections.',
    read: () => io.engine.clientsCount,
  });
  const members = () => [...io.of('/').sockets.values()].filter((s) => s.data.lobbyId && s.data.playerId);
  metrics.addGauge({
    name: 'peerlobby_members',
    help: 'Lobby members connected to this node.',
    read: () => members().length,
  });
  // One store read serves both gauges of a scrape (they are read together).
  let snapshot: Promise<{ lobbies: number; held: number }> | null = null;
  const read = () =>
    (snapshot ??= store.listAll().then((all) => {
      queueMicrotask(() => (snapshot = null));
      return {
        lobbies: all.length,
        held: all.reduce((n, l) => n + l.members.filter((m) => m.presence.kind === 'dropped').length, 0),
      };
    }));
  metrics.addGauge({
    name: 'peerlobby_lobbies',
    help: 'Lobbies in the store, connected or not.',
    read: async () => (await read()).lobbies,
  });
  metrics.addGauge({
    name: 'peerlobby_held_seats',
    help: 'Seats of dropped members held for the grace window.',
    read: async () => (await read()).held,
  });
}
