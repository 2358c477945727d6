import type { WebSocket } from 'ws';
import { ErrorCode } from '../../lib/protocol';
import { decode, encode, type Decoded, type GodotVersion, type Outbound } from './wire';

/** The demo's close code for every refusal; the reason names PeerLobby's error code first. */
export const GODOT_CLOSE_REFUSED = 4000;
/** Close reasons are capped at 123 bytes by RFC 6455. */
const MAX_REASON_BYTES = 123;

export interface ConnectionOptions {
  /** A connection that has not joined a lobby by then is closed (the demo: 1 s; PeerLobby's connect deadline). */
  joinDeadlineMs: number;
  /** A websocket ping this often; no pong by the next one and the connection is cut. */
  pingIntervalMs: number;
  /** What may wait to go out before a client that does not read is cut off. */
  maxOutgoingBytes: number;
  /** A forced protocol version (`?v=3`/`?v=4`); otherwise the first frame tells (a JSON object: Godot 4). */
  version: GodotVersion | null;
  onSlowClient(): void;
  /** A handler threw (a store outage, a bug): the connection is closed UNAVAILABLE after this. */
  onError(err: unknown): void;
}

/**
 * Owns one plain websocket of the Godot endpoint: text frames only, one decoded message at a time
 * (handlers run in order, async ones included), heartbeats, a join deadline, a cap on what waits to go
 * out, and closes that name the refusal. Knows nothing of lobbies.
 */
export class GodotConnection {
  version: GodotVersion | null;
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;
  private alive = true;
  private readonly timers: NodeJS.Timeout[] = [];
  joined = false;

  constructor(
    private readonly ws: WebSocket,
    private readonly opts: ConnectionOptions,
    handle: (msg: Decoded) => Promise<void> | void,
    onClose: () => void,
  ) {
    this.version = opts.version;
    ws.on('message', (data, isBinary) => {
      if (this.closed) return;
      if (isBinary) return this.refuse(ErrorCode.INVALID_PAYLOAD, 'Invalid transfer mode, must be text');
      const text = data.toString();
      this.version ??= text.trimStart().startsWith('{') ? 4 : 3;
      const decoded = decode(this.version, text);
      this.queue = this.queue
        .then(() => (this.closed ? undefined : handle(decoded)))
        .catch((err: unknown) => {
          opts.onError(err);
          this.refuse(ErrorCode.UNAVAILABLE, 'Server error, try again');
        });
    });
    ws.on('pong', () => (this.alive = true));
    ws.on('error', () => ws.terminate());
    ws.once('close', () => {
      this.closed = true;
      this.timers.forEach((t) => clearTimeout(t));
      // After whatever was in flight (a JOIN being stored): leaving must see the seat it took.
      this.queue = this.queue.then(onClose, onClose);
    });
    this.timers.push(
      setTimeout(() => {
        if (!this.joined) this.refuse(ErrorCode.NOT_IN_LOBBY, 'Have not joined lobby yet');
      }, opts.joinDeadlineMs),
    );
    const ping = setInterval(() => {
      if (!this.alive) return ws.terminate();
      this.alive = false;
      ws.ping();
    }, opts.pingIntervalMs);
    this.timers.push(ping);
  }

  get isOpen() {
    return !this.closed;
  }

  send(msg: Outbound) {
    if (this.closed || !this.version) return;
    if (this.ws.bufferedAmount > this.opts.maxOutgoingBytes) {
      this.opts.onSlowClient();
      this.closed = true;
      this.ws.terminate();
      return;
    }
    this.ws.send(encode(this.version, msg));
  }

  /** Closes with the demo's refusal code; the reason reads `<ERROR_CODE>: <the demo's words>`. */
  refuse(code: ErrorCode, words: string) {
    this.close(GODOT_CLOSE_REFUSED, `${code}: ${words}`);
  }

  close(code: number, reason: string) {
    if (this.closed) return;
    this.closed = true;
    this.ws.close(code, Buffer.from(reason).subarray(0, MAX_REASON_BYTES).toString());
  }
}
