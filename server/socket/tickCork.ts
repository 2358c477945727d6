import type { Socket as EngineSocket } from 'engine.io';

interface Corkable {
  cork(): void;
  uncork(): void;
}

/** engine.io's websocket transport, as far as the batching below touches it. */
interface WsTransport {
  writable: boolean;
  socket?: { _socket?: Corkable };
}

/** Sessions whose packets of this tick are being held back (see batchUntilTickEnd). */
const held = new WeakSet<EngineSocket>();

function release(conn: EngineSocket, transport: WsTransport, tcp: Corkable) {
  held.delete(conn);
  transport.writable = true;
  tcp.cork();
  // engine.io hands every packet it queued this tick to the transport at once; ws writes each frame
  // into the corked TCP socket, and the uncork sends them all in one writev.
  (conn as unknown as { flush(): void }).flush();
  tcp.uncork();
}

/**
 * Makes the packets one websocket connection gets in one turn of the event loop leave in one write.
 * engine.io sends a packet at once when its transport is writable and queues the rest until ws's write
 * callback (a later tick), and ws writes every frame with its own `writev`; a connect and a join emit
 * several packets in a row (the CONNECT answer and a fresh device key; a join's ack and other traffic),
 * and the system call is most of a small packet's cost. So on a session's first packet of a tick the
 * transport is marked busy (engine.io queues the packet, as it does while a write is in flight) and at
 * the end of the tick engine.io flushes the queue into a corked TCP socket. The packets wait at most
 * until the microtasks and next-tick callbacks of this turn have run; their order is engine.io's.
 * A transport that is already busy, or a polling one (no TCP socket of its own), is left alone.
 */
export function batchUntilTickEnd(conn: EngineSocket) {
  if (held.has(conn)) return;
  const transport = (conn as unknown as { transport?: WsTransport }).transport;
  const tcp = transport?.socket?._socket;
  if (!transport || !tcp || !transport.writable) return;
  held.add(conn);
  transport.writable = false;
  process.nextTick(release, conn, transport, tcp);
}
