import { createServer, type RequestListener } from 'node:http';
import { Server } from 'socket.io';

/**
 * The floor: a bare socket.io relay, no validation, no lobbies. `join` answers the room's other
 * socket ids (the newcomer offers to them); `signal` goes to one socket id with `from` stamped.
 */
export function createBareRelay(pages?: RequestListener) {
  const http = createServer(pages ?? ((_req, res) => void res.writeHead(404).end()));
  const io = new Server(http, { serveClient: false, cors: { origin: '*' } });
  io.on('connection', (socket) => {
    socket.on('join', (room: string, ack?: (peers: string[]) => void) => {
      const peers = [...(io.sockets.adapter.rooms.get(room) ?? [])];
      void socket.join(room);
      ack?.(peers);
    });
    socket.on('signal', (msg: { to: string; data: unknown }) => {
      io.to(msg.to).emit('signal', { from: socket.id, data: msg.data });
    });
  });
  return { http, close: () => io.close() };
}
