import type { Metrics } from '../metrics';
import type { IoServer } from './types';

/**
 * Gauges read from this node's sockets at scrape time. Lobby and member counts are what this node
 * serves (sum members across nodes; lobbies split across nodes count once per node).
 */
export function addSocketGauges(metrics: Metrics, io: IoServer) {
  metrics.addGauge({ name: 'peerlobby_connected_sockets', help: 'Open socket.io connections.', read: () => io.engine.clientsCount });
  const members = () => [...io.of('/').sockets.values()].filter((s) => s.data.lobbyId && s.data.playerId);
  metrics.addGauge({ name: 'peerlobby_members', help: 'Lobby members connected to this node.', read: () => members().length });
  metrics.addGauge({
    name: 'peerlobby_lobbies',
    help: 'Lobbies with at least one member on this node.',
    read: () => new Set(members().map((s) => s.data.lobbyId)).size,
  });
}
