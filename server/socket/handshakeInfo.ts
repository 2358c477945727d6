import type { Server as EngineServer, Socket as EngineSocket } from 'engine.io';
import { addressKey, clientIp } from './clientIp';

/** What the server keeps of a connection's HTTP handshake: the rest of the request is let go. */
export interface HandshakeInfo {
  /** The client's address as per-address budgets key it (IPv6 by /64). */
  address: string;
  /** The Host header: the page's host names the built-in STUN server (server/stun/urls.ts). */
  host: string | undefined;
}

/**
 * Copies what later code needs from each engine.io session's handshake request, then drops the
 * session's reference to the request (socket.io's memory notes: the IncomingMessage, its headers and
 * raw headers are kilobytes per connection that nothing reads once the session is open). Attach after
 * the EngineGuard (which releases its own reference to the request in its `connection` listener).
 * socket.io builds `socket.handshake` later, from a null request, so `handshake.headers` is empty:
 * read `socket.data.host` / `socket.data.address` instead (set from `take`).
 */
export class HandshakeInfos {
  private readonly infos = new WeakMap<EngineSocket, HandshakeInfo>();

  constructor(private readonly trustProxyHops: number) {}

  attach(engine: EngineServer) {
    engine.on('connection', (conn: EngineSocket) => {
      const req = conn.request;
      this.infos.set(conn, {
        address: addressKey(clientIp(req, this.trustProxyHops)),
        host: req.headers.host,
      });
      (conn as { request: unknown }).request = null;
    });
  }

  /** The session's handshake info, once (the first socket.io middleware moves it into socket.data). */
  take(conn: EngineSocket): HandshakeInfo | undefined {
    const info = this.infos.get(conn);
    this.infos.delete(conn);
    return info;
  }
}
