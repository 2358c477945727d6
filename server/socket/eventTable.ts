import type { IoSocket } from './types';

/** A client event's listener, shared by every socket: socket.io calls it with `this` set to the socket. */
export type SharedListener = (this: IoSocket, payload: unknown, ack: unknown) => unknown;

/**
 * Every client event's listener in one table, reached through one `onAny` listener per socket.
 * Registering each of the ~18 events with `socket.on` gives every socket its own listener table,
 * which V8 keeps as a dictionary (≈ 0.5 KB per socket in heap snapshots). onAny listeners run when
 * the packet is decoded; socket.io then dispatches it to `on` listeners too, of which there are none.
 */
export class EventTable {
  private readonly listeners = new Map<string, SharedListener>();

  add(event: string, listener: SharedListener) {
    if (this.listeners.has(event)) throw new Error(`two listeners for ${event}`);
    this.listeners.set(event, listener);
  }

  attach(socket: IoSocket) {
    socket.onAny(this.dispatch);
  }

  private readonly dispatch = (() => {
    const listeners = this.listeners;
    // Events nobody listens to (a hostile client's inventions) are dropped, as socket.io drops them.
    return function dispatch(this: IoSocket, event: string, payload: unknown, ack: unknown) {
      listeners.get(event)?.call(this, payload, ack);
    };
  })();
}
