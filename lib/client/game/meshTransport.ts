import type { GameChannel, GameTransport } from '../../game/session/transport';
import { MeshError } from '../mesh/errors';
import type { TopicChannel } from '../topics';

/**
 * The game's view of the mesh: the 'game' topic, limited to the two channels the game uses. The
 * GameTransport contract says sends never throw (a peer may leave between two ticks), so mesh
 * errors — unknown peer, closed mesh, a full queue — drop the message, as an unreliable channel may.
 */
export function meshGameTransport(topic: TopicChannel): GameTransport {
  const guard = (fn: () => void) => {
    try {
      fn();
    } catch (err) {
      if (!(err instanceof MeshError)) throw err;
    }
  };
  return {
    get selfId() {
      return topic.selfId;
    },
    send: (peerId, channel, data) => guard(() => topic.send(peerId, channel, data)),
    broadcast: (channel, data) => guard(() => topic.broadcast(channel, data)),
    onMessage: (fn) =>
      topic.onMessage((from, channel, data) => {
        if (isGameChannel(channel)) fn(from, channel, data);
      }),
  };
}

function isGameChannel(channel: string): channel is GameChannel {
  return channel === 'reliable' || channel === 'unreliable';
}
