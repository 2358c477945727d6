/**
 * What the game needs from the mesh. The mesh SDK satisfies this; tests use an in-memory fake.
 * Contract: `broadcast` reaches every *other* peer; `send` to an unknown peer is dropped silently;
 * `unreliable` may lose and reorder messages; `reliable` is ordered and lossless while the peer stays.
 */
export type GameChannel = 'reliable' | 'unreliable';
export type GamePayload = Uint8Array | string;
export type GameMessageHandler = (from: string, channel: GameChannel, data: GamePayload) => void;

export interface GameTransport {
  readonly selfId: string;
  send(peerId: string, channel: GameChannel, data: GamePayload): void;
  broadcast(channel: GameChannel, data: GamePayload): void;
  /** Returns its remover. */
  onMessage(fn: GameMessageHandler): () => void;
}

/**
 * The host plays too: its own GameClient must hear the host's broadcasts and the host must hear its
 * client's inputs. This wrapper delivers `send(selfId)` and `broadcast` to local listeners as well,
 * synchronously, so host and client on one page share one transport.
 */
export function withLoopback(inner: GameTransport): GameTransport {
  const local = new Set<GameMessageHandler>();
  const deliver = (channel: GameChannel, data: GamePayload) => {
    for (const fn of [...local]) fn(inner.selfId, channel, data);
  };
  return {
    selfId: inner.selfId,
    send(peerId, channel, data) {
      if (peerId === inner.selfId) deliver(channel, data);
      else inner.send(peerId, channel, data);
    },
    broadcast(channel, data) {
      inner.broadcast(channel, data);
      deliver(channel, data);
    },
    onMessage(fn) {
      local.add(fn);
      const removeInner = inner.onMessage(fn);
      return () => {
        local.delete(fn);
        removeInner();
      };
    },
  };
}
