import type { ChannelName } from './mesh/channels';
import type { Mesh, MeshData } from './mesh/Mesh';

/**
 * Several features share one Mesh (chat, the game, …): each gets a topic. Strings travel as
 * `<topic>|<text>`, binary with the topic id as a first byte; a message of an unknown topic is dropped.
 */
export const TOPICS = { chat: 1, game: 2 } as const;
export type Topic = keyof typeof TOPICS;

export interface TopicChannel {
  readonly selfId: string;
  send(peerId: string, channel: ChannelName, data: string | Uint8Array): void;
  broadcast(channel: ChannelName, data: string | Uint8Array): void;
  onMessage(fn: (from: string, channel: ChannelName, data: string | Uint8Array) => void): () => void;
}

function wrap(id: number, data: string | Uint8Array): MeshData {
  if (typeof data === 'string') return `${id}|${data}`;
  const out = new Uint8Array(data.byteLength + 1);
  out[0] = id;
  out.set(data, 1);
  return out;
}

function unwrap(id: number, data: string | Uint8Array): string | Uint8Array | null {
  if (typeof data === 'string') {
    const prefix = `${id}|`;
    return data.startsWith(prefix) ? data.slice(prefix.length) : null;
  }
  return data[0] === id ? data.subarray(1) : null;
}

/** A view of the mesh limited to one topic; sends to unknown peers are dropped, never thrown. */
export function topicChannel(mesh: Mesh, topic: Topic): TopicChannel {
  const id = TOPICS[topic];
  return {
    get selfId() {
      return mesh.selfId ?? '';
    },
    send(peerId, channel, data) {
      if (mesh.peerIds.includes(peerId)) mesh.send(peerId, wrap(id, data), channel);
    },
    broadcast(channel, data) {
      mesh.broadcast(wrap(id, data), channel);
    },
    onMessage(fn) {
      return mesh.on('message', ({ from, channel, data }) => {
        const inner = unwrap(id, data);
        if (inner !== null) fn(from, channel, inner);
      });
    },
  };
}
