import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RTCPeerConnection } from 'node-datachannel/polyfill';
import { Server } from 'socket.io';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LobbyClient, Mesh, MeshMessage, RTCPeerConnectionCtor } from '@peerlobby/sdk';
import { loadSdk } from '../helpers/sdkPackage';
import { startTestServer, type TestServer } from '../helpers/server';

/**
 * The built package (packages/sdk/dist, by its name) in Node: two LobbyClients on their default storage
 * join one lobby on a real server, and their Meshes open WebRTC data channels through node-datachannel's
 * polyfill. A server of another protocol version gets a typed error naming both versions.
 */
const sdk = await loadSdk();
const NodePc = RTCPeerConnection as unknown as RTCPeerConnectionCtor;

let server: TestServer;
const closers: (() => void)[] = [];
beforeAll(async () => {
  server = await startTestServer();
});
afterEach(() => closers.splice(0).forEach((close) => close()));
afterAll(() => server.close());

function player(url: string): { client: LobbyClient; mesh: Mesh } {
  const client = new sdk.LobbyClient({ url });
  const mesh = new sdk.Mesh({
    signaling: client,
    RTCPeerConnection: NodePc,
    rtcConfig: { iceServers: [], bindAddress: '127.0.0.1' },
    offererCandidateHoldMs: 250,
  });
  closers.push(() => {
    mesh.close();
    client.close();
  });
  return { client, mesh };
}

const nextMessage = (mesh: Mesh) =>
  new Promise<MeshMessage>((resolve) => {
    const off = mesh.on('message', (msg) => {
      off();
      resolve(msg);
    });
  });

/** Until `mesh` reaches `peerId` peer to peer (the server relay carries the first messages meanwhile). */
const directTo = (mesh: Mesh, peerId: string) =>
  mesh.peers().some((p) => p.id === peerId && p.route === 'direct')
    ? Promise.resolve()
    : new Promise<void>((resolve) => {
        const off = mesh.on(
          'route',
          (id, route) => id === peerId && route === 'direct' && (off(), resolve()),
        );
      });

describe('@peerlobby/sdk in Node', () => {
  it('two clients meet in a lobby and talk over direct data channels (node-datachannel)', async () => {
    const ann = player(server.url);
    const bob = player(server.url);
    // No storage given and no page: memory, said so (device key and seat live as long as the client).
    expect(ann.client.storageIsPersistent).toBe(false);
    const created = await ann.client.create({ nickname: 'Ann', name: 'Node room', visibility: 'public' });
    if (!created.ok) throw new Error(created.error);
    const joined = await bob.client.join({ nickname: 'Bob', code: created.data.lobby.code.toLowerCase() });
    if (!joined.ok) throw new Error(joined.error);
    const [annId, bobId] = [created.data.selfId, joined.data.selfId];

    await Promise.all([directTo(ann.mesh, bobId), directTo(bob.mesh, annId)]);
    expect(ann.mesh.peers().find((p) => p.id === bobId)?.route).toBe('direct');

    const atBob = nextMessage(bob.mesh);
    ann.mesh.send(bobId, 'hello from Node');
    expect(await atBob).toEqual({ from: annId, channel: 'reliable', data: 'hello from Node' });
    const atAnn = nextMessage(ann.mesh);
    bob.mesh.broadcast(new Uint8Array([1, 2, 3]), 'unreliable-ordered');
    const back = await atAnn;
    expect([back.from, back.channel, [...(back.data as Uint8Array)]]).toEqual([
      bobId,
      'unreliable-ordered',
      [1, 2, 3],
    ]);
  });

  it('reconnectAll rebuilds every link with the current rtcConfig; the pair comes back direct and talks', async () => {
    const ann = player(server.url);
    const bob = player(server.url);
    const created = await ann.client.joinOrCreate({ nickname: 'Ann', maxPlayers: 2 });
    if (!created.ok) throw new Error(created.error);
    const joined = await bob.client.joinOrCreate({ nickname: 'Bob', maxPlayers: 2 });
    if (!joined.ok) throw new Error(joined.error);
    expect([created.data.created, joined.data.created, joined.data.lobby.id]).toEqual([
      true,
      false,
      created.data.lobby.id,
    ]);
    const [annId, bobId] = [created.data.selfId, joined.data.selfId];
    await Promise.all([directTo(ann.mesh, bobId), directTo(bob.mesh, annId)]);

    const gone = new Promise<string>((resolve) => ann.mesh.on('peerDisconnected', resolve));
    const back = new Promise<void>((resolve) => {
      const off = ann.mesh.on(
        'route',
        (id, route) => id === bobId && route === 'direct' && (off(), resolve()),
      );
    });
    ann.mesh.reconnectAll();
    expect(await gone).toBe(bobId);
    await back;
    await directTo(bob.mesh, annId);
    const atBob = nextMessage(bob.mesh);
    ann.mesh.send(bobId, 'after the rebuild');
    expect(await atBob).toEqual({ from: annId, channel: 'reliable', data: 'after the rebuild' });
  });

  it('bad input answers a typed error code and changes nothing', async () => {
    const ann = player(server.url);
    expect(await ann.client.join({ nickname: 'Ann', code: 'NOPE' })).toEqual({
      ok: false,
      error: sdk.ErrorCode.INVALID_PAYLOAD,
    });
    expect(ann.client.currentLobby).toBeNull();
  });

  it('a server of another protocol version: a ProtocolVersionError naming both versions, status outdated, commands refused', async () => {
    // A real socket.io server answering the handshake as a PeerLobby server one version ahead does.
    const http = createServer();
    const io = new Server(http);
    const serverVersion = sdk.PROTOCOL_VERSION + 1;
    io.use((_socket, next) =>
      next(
        Object.assign(new Error('PROTOCOL_MISMATCH'), { data: { code: 'PROTOCOL_MISMATCH', serverVersion } }),
      ),
    );
    http.listen(0, '127.0.0.1');
    await once(http, 'listening');
    closers.push(() => void io.close());
    const { client } = player(`http://127.0.0.1:${(http.address() as AddressInfo).port}`);

    const err: unknown = await client.connected().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(sdk.ProtocolVersionError);
    expect(err).toMatchObject({
      code: 'PROTOCOL_MISMATCH',
      clientVersion: sdk.PROTOCOL_VERSION,
      serverVersion,
    });
    expect((err as Error).message).toContain(`version ${sdk.PROTOCOL_VERSION}, the server ${serverVersion}`);
    expect(client.connectionStatus).toBe('outdated');
    expect(await client.create({ nickname: 'Ann', name: 'x', visibility: 'public' })).toEqual({
      ok: false,
      error: 'PROTOCOL_MISMATCH',
    });
  });

  it('builds from lib/client, lib/events, lib/protocol and lib/react only (nothing of the app)', async () => {
    const { readFile } = await import('node:fs/promises');
    const { SDK_DIST } = await import('../helpers/sdkPackage');
    const meta = JSON.parse(await readFile(`${SDK_DIST}metafile-esm.json`, 'utf8')) as {
      inputs: Record<string, unknown>;
    };
    // Paths are relative to packages/sdk.
    const outside = Object.keys(meta.inputs).filter(
      (path) => !/^(src|\.\.\/\.\.\/lib\/(client|events|protocol|react))\//.test(path),
    );
    expect(Object.keys(meta.inputs).length).toBeGreaterThan(20);
    expect(outside).toEqual([]);
    // Code and declarations import only the package's declared dependencies, or their own chunks.
    const { readdir } = await import('node:fs/promises');
    const bare = new Set<string>();
    for (const file of await readdir(SDK_DIST)) {
      if (!/\.(js|d\.ts)$/.test(file)) continue;
      const text = await readFile(`${SDK_DIST}${file}`, 'utf8');
      for (const [, spec] of text.matchAll(/(?:from|import)\s*['"]([^'"]+)['"]/g))
        if (!spec!.startsWith('./')) bare.add(spec!);
    }
    expect([...bare].sort()).toEqual(['react', 'socket.io-client', 'zod/mini']);
  });
});
