import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import { LobbyClient } from '../../lib/client/LobbyClient';
import { toLobbyView } from '../../server/lobby/views';
import { MemoryLobbyStore } from '../../server/store/memory';
import { startAppProcess, type AppProcess } from '../helpers/appProcess';
import { memoryStorage } from '../helpers/memoryStorage';
import { connectClient, request, startTestServer } from '../helpers/server';
import { TcpProxy } from '../helpers/tcpProxy';
import { lobbyWhere } from '../helpers/waits';
import type { Joined } from '../../lib/protocol';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

function client(url: string) {
  const c = new LobbyClient({
    url,
    storage: memoryStorage(),
    sessionStorage: memoryStorage(),
    ackTimeoutMs: 5000,
  });
  cleanups.push(() => c.close());
  return c;
}

const must = <T>(r: { ok: true; data: T } | { ok: false; error: string }): T => {
  if (!r.ok) throw new Error(r.error);
  return r.data;
};

describe('resilience', () => {
  it('R4: after a server restart, clients reconnect with jitter, not in one burst', async () => {
    const CLIENTS = 30;
    const entry = 'tests/helpers/socketServerMain.ts';
    let proc: AppProcess = await startAppProcess({ SEAT_GRACE_MS: '30000' }, entry);
    cleanups.push(() => proc.stop('SIGKILL'));
    const port = new URL(proc.url).port;
    const clients = Array.from({ length: CLIENTS }, () => client(proc.url));
    const host = clients[0]!;
    const created = must(
      await host.create({ nickname: 'Host', name: 'Restart', visibility: 'private', maxPlayers: 16 }),
    );
    await Promise.all(
      clients.slice(1, 16).map((c, i) => c.join({ nickname: `P${i}`, invite: created.lobby.inviteToken })),
    );

    // Every client connected before the restart (the ones that did not join may still be connecting).
    await Promise.all(
      clients.map(
        (c) =>
          new Promise<void>((r) =>
            c.connectionStatus === 'connected' ? r() : c.on('status', (s) => s === 'connected' && r()),
          ),
      ),
    );
    const reconnectedAt = clients.map(
      (c) =>
        new Promise<number>((resolve) => {
          const off = c.on('status', (s) => {
            if (s !== 'connected') return;
            off();
            resolve(Date.now());
          });
        }),
    );
    const down = Promise.all(
      clients.map((c) => new Promise<void>((r) => c.on('status', (s) => s === 'reconnecting' && r()))),
    );
    await proc.stop('SIGKILL');
    await down;
    proc = await startAppProcess({ PORT: port, SEAT_GRACE_MS: '30000' }, entry);
    const times = (await Promise.all(reconnectedAt)).sort((a, b) => a - b);
    const spread = times[times.length - 1]! - times[0]!;
    // socket.io-client's backoff is randomized (factor 0.5): reconnects spread over hundreds of ms,
    // and no 50 ms window holds most of them.
    expect(spread).toBeGreaterThan(200);
    const busiest = Math.max(...times.map((t) => times.filter((u) => u >= t && u < t + 50).length));
    expect(busiest).toBeLessThan(CLIENTS * 0.6);
  }, 60_000);

  it('R5: a client that missed updates while away resyncs from a full snapshot equal to the server’s', async () => {
    const store = new MemoryLobbyStore();
    const server = await startTestServer({ store, env: { SEAT_GRACE_MS: '30000' } });
    cleanups.push(() => server.close());
    const proxy = await TcpProxy.start(server.url);
    cleanups.push(() => proxy.close());
    const host = client(server.url);
    const created = must(await host.create({ nickname: 'Host', name: 'Resync', visibility: 'private' }));
    const away = client(proxy.url);
    const awayId = must(await away.join({ nickname: 'Away', invite: created.lobby.inviteToken })).selfId;
    await lobbyWhere(host, (l) => l.members.length === 2);

    proxy.cut();
    await lobbyWhere(host, (l) => l.members.some((m) => m.id === awayId && m.presence === 'dropped'));
    // Changes the away client cannot see: a newcomer, a rename, a lock.
    const newcomer = client(server.url);
    must(await newcomer.join({ nickname: 'Newcomer', invite: created.lobby.inviteToken }));
    must(await host.updateSettings({ name: 'Renamed while away' }));
    must(await host.setLocked(true));
    const final = await lobbyWhere(
      host,
      (l) => l.locked && l.members.every((m) => m.presence === 'present') && l.members.length === 3,
    );

    const resynced = await lobbyWhere(away, (l) => l.version >= final.version);
    const truth = toLobbyView((await store.get(created.lobby.id))!);
    expect(resynced).toEqual(truth);
  });

  it('R11: no memory growth under churn (connect → join → signal → leave, in waves)', async () => {
    setFlagsFromString('--expose_gc');
    const gc = runInNewContext('gc') as () => void;
    const store = new MemoryLobbyStore();
    const server = await startTestServer({ store });
    cleanups.push(() => server.close());
    const WAVES = 6;
    const LOBBIES = 40;

    const wave = async () => {
      for (let i = 0; i < LOBBIES; i++) {
        const a = await connectClient(server.url);
        const b = await connectClient(server.url);
        const created = await request<Joined>(a, 'lobby:create', {
          nickname: 'A',
          name: 'Churn',
          visibility: 'public',
        });
        if (!created.ok) throw new Error(created.error);
        const joined = await request<Joined>(b, 'lobby:join', {
          nickname: 'B',
          invite: created.data.lobby.inviteToken,
        });
        if (!joined.ok) throw new Error(joined.error);
        const got = new Promise((r) => b.once('signal', r));
        a.emit('signal', {
          to: joined.data.selfId,
          negotiationId: 1,
          signal: { type: 'description', description: { type: 'offer', sdp: 'v=0\r\n'.repeat(200) } },
        });
        await got;
        await request(b, 'lobby:leave', {});
        a.close();
        b.close();
      }
      await new Promise<void>((resolve) => {
        const check = () => (server.app.io.engine.clientsCount === 0 ? resolve() : setImmediate(check));
        check();
      });
    };

    await wave(); // warm-up: JIT, pools, first allocations
    gc();
    const baseline = process.memoryUsage().heapUsed;
    for (let w = 1; w < WAVES; w++) await wave();
    gc();
    const after = process.memoryUsage().heapUsed;
    expect(await store.listAll()).toEqual([]);
    // 200 lobbies and 400 sockets came and went after the baseline (measured: ≈ 0.8 MB of unrelated
    // growth); a leak of even ~5 KB per socket would cross this bound.
    expect(after - baseline).toBeLessThan(2.5 * 1024 * 1024);
  }, 60_000);
});
