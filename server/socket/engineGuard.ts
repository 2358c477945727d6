import type { IncomingMessage } from 'node:http';
import type { Server as EngineServer, Socket as EngineSocket } from 'engine.io';
import { ErrorCode } from '../../lib/protocol';
import type { Metrics } from '../metrics';
import { addressKey, clientIp } from './clientIp';

/** A socket.io CONNECT packet as engine.io carries it: a text message whose first character is type 0. */
const isSocketIoConnect = (data: unknown) => typeof data === 'string' && data.charCodeAt(0) === 48; /* '0' */

export interface EngineGuardDeps {
  maxConnectionsPerIp: () => number;
  maxOutgoingBytes: number;
  trustProxyHops: number;
  metrics: Metrics;
}

/**
 * Per-address bounds at the engine.io layer, below socket.io, so they hold for every transport and for
 * connections that never send a socket.io CONNECT:
 * - every engine.io session (polling or websocket) takes a slot of its address in `allowRequest`, before
 *   engine.io does any work for it, and gives it back when the session closes;
 * - one engine.io session carries one socket.io CONNECT: a second one (a burst of `40` packets in one
 *   polling POST, or a connect after a disconnect) closes the session before socket.io sees it;
 * - what waits to go out to one session is capped in bytes (see the session listeners' packetCreate).
 */
export class EngineGuard {
  private readonly open = new Map<string, number>();
  /**
   * Handshakes admitted but not yet sessions (a websocket upgrade completes asynchronously): the
   * address key, and for an upgrade the TCP socket's close listener that gives the slot back.
   */
  private readonly pending = new WeakMap<IncomingMessage, { key: string; onClose?: () => void }>();
  /** Open sessions: the address slot each holds, bytes waiting to go out, CONNECTs seen. */
  private readonly sessions = new WeakMap<EngineSocket, { key: string; held: number; connects: number }>();

  constructor(private readonly deps: EngineGuardDeps) {
    this.sessionListeners = this.makeSessionListeners();
  }

  /** Call from engine.io's allowRequest (new sessions only: requests with a sid never get here). */
  admit(req: IncomingMessage): boolean {
    const key = addressKey(clientIp(req, this.deps.trustProxyHops));
    const used = this.open.get(key) ?? 0;
    if (used >= this.deps.maxConnectionsPerIp()) {
      this.deps.metrics.rejections.inc({ reason: ErrorCode.RATE_LIMITED });
      return false;
    }
    this.open.set(key, used + 1);
    this.pending.set(req, { key });
    // An upgrade that ws refuses after this point never becomes a session and emits nothing: its TCP
    // socket (dedicated to the upgrade) closing gives the slot back. Polling handshakes end in
    // `connection` or `connection_error` synchronously enough, on every path.
    if (req.headers.upgrade) setImmediate(this.watchUnfinishedUpgrade, req);
    return true;
  }

  /**
   * An accepted upgrade is a session before this runs (engine.io completes it a microtask after
   * allowRequest); only one that is not gets a `close` listener on its TCP socket. A listener
   * on every connection's socket would hold the request as long as the socket lives, and adding then
   * removing it leaves the socket's `close` listener array grown to 19 slots (~0.25 KB per player).
   */
  private readonly watchUnfinishedUpgrade = (req: IncomingMessage) => {
    const admitted = this.pending.get(req);
    if (admitted === undefined) return; // a session already (or given back)
    if (req.socket.destroyed) return this.abandon(req);
    admitted.onClose = () => this.abandon(req);
    req.socket.once('close', admitted.onClose);
  };

  /**
   * The same per-address slot for a connection that is not an engine.io session (the Godot endpoint's
   * plain websockets): null when the address is at its cap, else the function that gives the slot back.
   */
  admitConnection(req: IncomingMessage): (() => void) | null {
    const key = addressKey(clientIp(req, this.deps.trustProxyHops));
    const used = this.open.get(key) ?? 0;
    if (used >= this.deps.maxConnectionsPerIp()) {
      this.deps.metrics.rejections.inc({ reason: ErrorCode.RATE_LIMITED });
      return null;
    }
    this.open.set(key, used + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.release(key);
    };
  }

  attach(engine: EngineServer) {
    engine.on('connection', (conn: EngineSocket) => this.onSession(conn));
    engine.on('connection_error', (err: { req: IncomingMessage }) => this.abandon(err.req));
  }

  private onSession(conn: EngineSocket) {
    // The only read of the handshake request after admission (HandshakeInfos lets it go next).
    const req = conn.request;
    const admitted = this.pending.get(req);
    this.pending.delete(req);
    if (admitted === undefined) return; // admitted before this guard existed: never the case in the app
    if (admitted.onClose) req.socket.off('close', admitted.onClose);
    this.sessions.set(conn, { key: admitted.key, held: 0, connects: 0 });
    const on = this.sessionListeners;
    conn.on('close', on.close);
    conn.on('packetCreate', on.packetCreate);
    conn.on('flush', on.flush);
    conn.on('packet', on.packet);
  }

  /**
   * Every session's listeners, shared (engine.io calls them with `this` set to the session): per
   * session only a small record, not four closures.
   */
  private readonly sessionListeners: ReturnType<EngineGuard['makeSessionListeners']>;

  private makeSessionListeners() {
    const sessions = this.sessions;
    const { maxOutgoingBytes: max, metrics } = this.deps;
    const release = (key: string) => this.release(key);
    return {
      close(this: EngineSocket) {
        const s = sessions.get(this);
        if (!s) return;
        sessions.delete(this);
        release(s.key);
      },
      /**
       * The outgoing meter: bytes of packets engine.io holds (created, not yet handed to the transport:
       * a websocket whose last write has not drained, or a polling client that does not poll) plus what
       * the TCP socket still buffers. A client that stops reading keeps both growing whatever its
       * heartbeats say; past the cap the session is closed, which drops its seat like any lost connection.
       */
      packetCreate(this: EngineSocket, packet: { data?: unknown }) {
        const s = sessions.get(this);
        if (!s) return;
        s.held += packetBytes(packet.data);
        if (s.held + socketBacklog(this) <= max) return;
        metrics.slowClientsCut.inc();
        this.close(true); // discard: nothing more is queued for it
      },
      // engine.io hands its whole write buffer to the transport on every flush: nothing is held after.
      flush(this: EngineSocket) {
        const s = sessions.get(this);
        if (s) s.held = 0;
      },
      // 'packet' is emitted before socket.io's 'data' listener runs, and a closing session drops the
      // rest of a batched payload, so at most one CONNECT of a burst reaches socket.io.
      packet(this: EngineSocket, packet: { type: string; data?: unknown }) {
        if (packet.type !== 'message' || !isSocketIoConnect(packet.data)) return;
        const s = sessions.get(this);
        if (s && ++s.connects > 1) {
          metrics.rejections.inc({ reason: ErrorCode.RATE_LIMITED });
          this.close(true); // discard: closed now, not after the next poll (polling waits up to 30 s)
        }
      },
    };
  }

  private abandon(req: IncomingMessage) {
    const admitted = this.pending.get(req);
    if (admitted === undefined) return;
    this.pending.delete(req);
    if (admitted.onClose) req.socket.off('close', admitted.onClose);
    this.release(admitted.key);
  }

  private release(key: string) {
    const left = (this.open.get(key) ?? 1) - 1;
    if (left > 0) this.open.set(key, left);
    else this.open.delete(key);
  }
}

const packetBytes = (data: unknown): number =>
  typeof data === 'string'
    ? Buffer.byteLength(data)
    : data instanceof ArrayBuffer || ArrayBuffer.isView(data)
      ? data.byteLength
      : 0;

/** The user-space write buffer of a websocket session's TCP socket (0 for polling, or if unknown). */
function socketBacklog(conn: EngineSocket): number {
  const ws = (conn as unknown as { transport?: { socket?: { _socket?: { writableLength?: number } } } })
    .transport?.socket;
  return ws?._socket?.writableLength ?? 0;
}
