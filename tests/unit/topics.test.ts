import { describe, expect, it } from 'vitest';
import { APP_TOPIC_MIN, topicChannel } from '../../lib/client/topics';
import type { Mesh, MeshData } from '../../lib/client/mesh/Mesh';

/** Two meshes that hand each other's sends straight to the other's listeners (pure framing logic). */
function pair() {
  const listeners = new Map<
    string,
    Set<(m: { from: string; channel: 'reliable'; data: MeshData }) => void>
  >();
  const make = (selfId: string, otherId: string) => {
    const send = (to: string, data: MeshData) => {
      for (const fn of listeners.get(to) ?? []) fn({ from: selfId, channel: 'reliable', data });
    };
    return {
      selfId,
      peerIds: [otherId],
      send,
      broadcast: (data: MeshData) => send(otherId, data),
      on(_event: 'message', fn: (m: { from: string; channel: 'reliable'; data: MeshData }) => void) {
        const set = listeners.get(selfId) ?? new Set();
        set.add(fn);
        listeners.set(selfId, set);
        return () => set.delete(fn);
      },
    } as unknown as Mesh;
  };
  return [make('a', 'b'), make('b', 'a')] as const;
}

describe('topic channels', () => {
  it("a game's own topic and the chat share a mesh without seeing each other's messages", () => {
    const [a, b] = pair();
    const got: string[] = [];
    topicChannel(b, 'chat').onMessage((_f, _c, d) => got.push(`chat:${String(d)}`));
    topicChannel(b, APP_TOPIC_MIN).onMessage((_f, _c, d) =>
      got.push(`16:${typeof d === 'string' ? d : Array.from(d).join(',')}`),
    );
    topicChannel(b, 17).onMessage((_f, _c, d) => got.push(`17:${String(d)}`));
    topicChannel(a, APP_TOPIC_MIN).send('b', 'reliable', 'state');
    topicChannel(a, APP_TOPIC_MIN).broadcast('reliable', new Uint8Array([1, 2]));
    topicChannel(a, 'chat').send('b', 'reliable', '16|not a game message');
    expect(got).toEqual(['16:state', '16:1,2', 'chat:16|not a game message']);
  });

  it("PeerLobby's ids and anything outside 16–255 are refused with a RangeError", () => {
    const [a] = pair();
    for (const bad of [0, 1, 2, 15, 256, 16.5, Number.NaN])
      expect(() => topicChannel(a, bad)).toThrow(RangeError);
    expect(() => topicChannel(a, 255)).not.toThrow();
  });
});
