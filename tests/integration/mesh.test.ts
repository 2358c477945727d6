import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { MeshMessage } from '../../lib/client/mesh';
import { meshMember, routeOf, until, type MeshMember } from '../helpers/mesh';
import { startTestServer, type TestServer } from '../helpers/server';

let server: TestServer;
const members: MeshMember[] = [];
beforeAll(async () => {
  server = await startTestServer();
});
afterEach(() => {
  for (const m of members.splice(0)) m.close();
});
afterAll(() => server.close());

async function lobbyOf(n: number, options: Parameters<typeof meshMember>[3] = {}) {
  const first = await meshMember(server.url, 'P0', null, options);
  members.push(first);
  for (let i = 1; i < n; i++) members.push(await meshMember(server.url, `P${i}`, first.code, options));
  return members.slice(-n);
}

const nextMessage = (m: MeshMember, match: (msg: MeshMessage) => boolean, label = 'message') =>
  until((fn) => m.mesh.on('message', fn), (msg: MeshMessage) => (match(msg) ? msg : undefined), 10_000, label);

describe('mesh over node-datachannel', () => {
  it('two peers connect directly and exchange messages both ways on every channel', async () => {
    const started = performance.now();
    const [a, b] = await lobbyOf(2);
    await Promise.all([routeOf(a!.mesh, b!.id, 'direct'), routeOf(b!.mesh, a!.id, 'direct')]);
    console.log(`open after ${(performance.now() - started).toFixed(1)} ms`);
    for (const channel of ['reliable', 'unreliable', 'unreliable-ordered'] as const) {
      const got = nextMessage(b!, (m) => m.channel === channel);
      a!.mesh.send(b!.id, `hi on ${channel}`, channel);
      expect((await got).data).toBe(`hi on ${channel}`);
      const back = nextMessage(a!, (m) => m.channel === channel);
      b!.mesh.send(a!.id, new Uint8Array([1, 2, 3]), channel);
      const msg = await back;
      expect(msg.from).toBe(b!.id);
      expect([...(msg.data as Uint8Array)]).toEqual([1, 2, 3]);
    }
  });
});
