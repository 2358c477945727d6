import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GodotTestClient } from '../helpers/godotClient';
import { GodotRtcPeer } from '../helpers/godotRtc';
import { startTestServer, type TestServer } from '../helpers/server';

/**
 * WebRTC through the Godot endpoint: node-datachannel peers (libdatachannel, which Godot's native
 * WebRTC plugin is built on) speak the Godot 4 protocol as the demo's client does and open data
 * channels with each other.
 */
let server: TestServer;
const peers: GodotRtcPeer[] = [];
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  peers.forEach((p) => p.close());
  await server.close();
});

async function peer(lobby: string, mesh = true) {
  const p = new GodotRtcPeer(await GodotTestClient.connect(server.url, 4));
  peers.push(p);
  const joined = await p.client.join(lobby, mesh);
  return { p, ...joined };
}

describe('Godot 4 protocol, WebRTC on node-datachannel', { timeout: 30_000 }, () => {
  it('mesh: three peers open a data channel with each other and exchange messages', async () => {
    const a = await peer('');
    const b = await peer(a.lobby);
    const c = await peer(a.lobby);
    const all = [a, b, c];
    for (const x of all) for (const y of all) if (x !== y) await x.p.opened(y.id);
    for (const x of all) for (const y of all) if (x !== y) x.p.send(y.id, `hello ${y.id} from ${x.id}`);
    for (const x of all)
      for (const y of all) if (x !== y) await y.p.received(x.id, `hello ${y.id} from ${x.id}`);
    expect(a.id).toBe(1);
    for (const x of all) expect(x.p.errors).toEqual([]);
  });

  it('client-server: clients connect to the host only', async () => {
    const host = await peer('', false);
    const b = await peer(host.lobby);
    const c = await peer(host.lobby);
    await b.p.opened(1);
    await c.p.opened(1);
    await host.p.opened(b.id);
    await host.p.opened(c.id);
    b.p.send(1, 'to the server');
    await host.p.received(b.id, 'to the server');
    host.p.send(c.id, 'to a client');
    await c.p.received(1, 'to a client');
    expect([...b.p.links.keys()]).toEqual([1]);
    expect([...c.p.links.keys()]).toEqual([1]);
    for (const x of [host, b, c]) expect(x.p.errors).toEqual([]);
  });
});
