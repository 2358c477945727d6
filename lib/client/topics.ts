import type { ChannelName } from './mesh/channels';
import type { Mesh, MeshData } from './mesh/Mesh';

/**
 * Several features share one Mesh (chat, the game, …): each gets a topic. Strings travel as
 * `<topic>|<text>`, binary with the topic id as a first byte; a message of an unknown topic is dropped.
 * PeerLobby's own features use the named topics; a game picks its own numbers from APP_TOPIC_MIN to
 * APP_TOPIC_MAX (e.g. 16 for game state, 17 for voice signalling), so they never collide with the chat.
 */
export const TOPICS = { chat: 1, game: 2 } as const;
/** Topic ids 1–15 are PeerLobby's; games use these. */
export const APP_TOPIC_MIN = 16;
export const APP_TOPIC_MAX = 255;
export type Topic = keyof typeof TOPICS | number;

function topicId(topic: Topic): number {
  if (typeof topic === 'string') return TOPICS[topic];
  if (!Number.isInteger(topic) || topic < APP_TOPIC_MIN || topic > APP_TOPIC_MAX)
    throw new RangeError(
      `topic ${topic}: a game's topics are integers from ${APP_TOPIC_MIN} to ${APP_TOPIC_MAX} (lower ids are PeerLobby's)`,
    );
  return topic;
}

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

/**
 * A view of the mesh limited to one topic; sends to unknown peers are dropped, never thrown. A number
 * outside APP_TOPIC_MIN..APP_TOPIC_MAX throws a RangeError.
 */
export function topicChannel(mesh: Mesh, topic: Topic): TopicChannel {
  const id = topicId(topic);
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
