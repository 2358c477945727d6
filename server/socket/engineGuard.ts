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
 * - what waits to go out to one session is capped in bytes (see OutgoingMeter).
 */
export class EngineGuard {
  private readonly open = new Map<string, number>();
  /** Handshakes admitted but not yet sessions (a websocket upgrade completes asynchronously). */
  private readonly pending = new WeakMap<IncomingMessage, string>();

  constructor(private readonly deps: EngineGuardDeps) {}

  /** Call from engine.io's allowRequest (new sessions only: requests with a sid never get here). */
  admit(req: IncomingMessage): boolean {
    const key = addressKey(clientIp(req, this.deps.trustProxyHops));
    const used = this.open.get(key) ?? 0;
    if (used >= this.deps.maxConnectionsPerIp()) {
      this.deps.metrics.rejections.inc({ reason: ErrorCode.RATE_LIMITED });
      return false;
    }
    this.open.set(key, used + 1);
    this.pending.set(req, key);
    // An upgrade that ws refuses after this point never becomes a session and emits nothing: its TCP
    // socket (dedicated to the upgrade) closing gives the slot back. Polling handshakes end in
    // `connection` or `connection_error` synchronously enough, on every path.
    if (req.headers.upgrade) req.socket.once('close', () => this.abandon(req));
    return true;
  }

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

  /** Open sessions of an address (tests and metrics). */
  count(ip: string): number {
    return this.open.get(addressKey(ip)) ?? 0;
  }

  private onSession(conn: EngineSocket) {
    const req = conn.request;
    const key = this.pending.get(req);
    this.pending.delete(req);
    if (key === undefined) return; // admitted before this guard existed: never the case in the app
    conn.once('close', () => this.release(key));
    meterOutgoing(conn, this.deps.maxOutgoingBytes, () => this.deps.metrics.slowClientsCut.inc());
    let connects = 0;
    // 'packet' is emitted before socket.io's 'data' listener runs, and a closing session drops the rest
    // of a batched payload, so at most one CONNECT of a burst reaches socket.io.
    conn.on('packet', (packet: { type: string; data?: unknown }) => {
      if (packet.type !== 'message' || !isSocketIoConnect(packet.data)) return;
      if (++connects > 1) {
        this.deps.metrics.rejections.inc({ reason: ErrorCode.RATE_LIMITED });
        conn.close(true); // discard: closed now, not after the next poll (polling waits up to 30 s)
      }
    });
  }

  private abandon(req: IncomingMessage) {
    const key = this.pending.get(req);
    if (key === undefined) return;
    this.pending.delete(req);
    this.release(key);
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
  const ws = (conn as unknown as { transport?: { socket?: { _socket?: { writableLength?: number } } } }).transport?.socket;
  return ws?._socket?.writableLength ?? 0;
}

/**
 * Counts the bytes of a session's packets that engine.io holds (created, not yet handed to the
 * transport: a websocket whose last write has not drained, or a polling client that does not poll) plus
 * what the TCP socket still buffers. A client that stops reading keeps both growing whatever its
 * heartbeats say; past `max` the session is closed, which drops its seat like any lost connection.
 */
function meterOutgoing(conn: EngineSocket, max: number, onCut: () => void) {
  let held = 0;
  const sizes = new WeakMap<object, number>();
  conn.on('packetCreate', (packet: { data?: unknown }) => {
    const bytes = packetBytes(packet.data);
    sizes.set(packet, bytes);
    held += bytes;
    if (held + socketBacklog(conn) <= max) return;
    onCut();
    conn.close(true); // discard: nothing more is queued for it
  });
  conn.on('flush', (packets: object[]) => {
    for (const p of packets) held -= sizes.get(p) ?? 0;
  });
}
