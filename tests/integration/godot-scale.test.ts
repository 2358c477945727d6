import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAppProcess, type AppProcess } from '../helpers/appProcess';
import { GodotTestClient, T, type Version } from '../helpers/godotClient';
import { startRedisServer, uniqueKeyPrefix, type TestRedis } from '../helpers/redis';

/** The Godot endpoint on two real server processes sharing one Redis: one lobby across instances. */
let redis: TestRedis;
let nodes: AppProcess[] = [];
const open: GodotTestClient[] = [];
const SDP = 'v=0\r\no=- 7 2 IN IP4 127.0.0.1\r\ns=-\r\n';

beforeAll(async () => {
  redis = await startRedisServer();
  const shared = {
    REDIS_URL: redis.url,
    REDIS_PREFIX: uniqueKeyPrefix('godot'),
    SERVE_PAGES: 'false',
    SESSION_SECRET: 'a-shared-secret-for-all-instances',
    GODOT_SEAL_CLOSE_MS: '500',
  };
  nodes = await Promise.all([startAppProcess(shared), startAppProcess(shared)]);
}, 90_000);
afterAll(async () => {
  open.forEach((c) => c.close());
  await Promise.all(nodes.map((n) => n.stop('SIGKILL')));
  await redis?.close();
});

async function client(node: AppProcess, v: Version) {
  const c = await GodotTestClient.connect(node.url, v);
  open.push(c);
  return c;
}

describe('Godot lobbies on Redis, two instances', { timeout: 60_000 }, () => {
  it.each([4, 3] as const)(
    'Godot %i: join across instances, relays both ways, disconnect notice, seal ends it everywhere',
    async (v) => {
      const [a, b] = nodes as [AppProcess, AppProcess];
      const host = await client(a, v);
      const { lobby } = await host.join();
      const guest = await client(b, v);
      const { id: gid } = await guest.join(lobby);
      expect(guest.received.filter((m) => m.type === T.PEER_CONNECT).map((m) => m.id)).toEqual([1]);
      await host.nextOf(T.PEER_CONNECT, gid);

      guest.offer(1, SDP);
      expect(await host.nextOf(T.OFFER)).toEqual({ type: T.OFFER, id: gid, data: SDP });
      host.answer(gid, SDP);
      expect((await guest.nextOf(T.ANSWER)).id).toBe(1);

      const third = await client(a, v);
      const { id: tid } = await third.join(lobby);
      await guest.nextOf(T.PEER_CONNECT, tid);
      third.close();
      await guest.nextOf(T.PEER_DISCONNECT, tid);
      await host.nextOf(T.PEER_DISCONNECT, tid);

      host.seal();
      await guest.nextOf(T.SEAL);
      const late = await client(b, v);
      late.send(T.JOIN, 0, lobby);
      expect((await late.closed).reason).toBe('LOCKED: Lobby is sealed');
      expect(await guest.closed).toEqual({ code: 1000, reason: 'Seal complete' });
      expect(await host.closed).toEqual({ code: 1000, reason: 'Seal complete' });
      const after = await client(b, v);
      after.send(T.JOIN, 0, lobby);
      expect((await after.closed).reason).toBe('NOT_FOUND: Lobby does not exists');
    },
  );

  it('a newcomer’s immediate OFFER never overtakes its PEER_CONNECT on the other instance', async () => {
    const [a, b] = nodes as [AppProcess, AppProcess];
    for (let round = 0; round < 5; round++) {
      const host = await client(a, 4);
      const { lobby } = await host.join();
      const guest = await client(b, 4);
      // JOIN and an OFFER to the host (always peer 1) in one breath: the relay leaves instance B right
      // behind the join's change, while instance A still reads the store to introduce the newcomer. A
      // stock host drops a relay from a peer it was not told of, so it must come after the notice.
      guest.send(T.JOIN, 0, lobby);
      guest.offer(1, SDP);
      const gid = (await guest.nextOf(T.ID)).id;
      expect((await host.nextOf(T.OFFER)).id).toBe(gid);
      const order = host.received.map((m) => `${m.type}:${m.id}`);
      expect(order.indexOf(`${T.PEER_CONNECT}:${gid}`)).toBeGreaterThanOrEqual(0);
      expect(order.indexOf(`${T.PEER_CONNECT}:${gid}`)).toBeLessThan(order.indexOf(`${T.OFFER}:${gid}`));
      host.close();
      guest.close();
    }
  });

  it('a relay to a member of another lobby on the other instance is refused', async () => {
    const [a, b] = nodes as [AppProcess, AppProcess];
    const one = await client(a, 4);
    await one.join();
    const other = await client(b, 4);
    const { lobby } = await other.join();
    const target = await client(b, 4);
    const { id: tid } = await target.join(lobby);
    one.offer(tid, SDP);
    expect((await one.closed).reason).toBe('PEER_NOT_FOUND: Invalid destination');
    expect(target.received.some((m) => m.type === T.OFFER)).toBe(false);
  });
});

describe('an instance dies', { timeout: 60_000 }, () => {
  it('the host’s instance is killed: the janitor drops its seat and the peer elsewhere hears the lobby end', async () => {
    const env = {
      REDIS_URL: redis.url,
      REDIS_PREFIX: uniqueKeyPrefix('godot-dead'),
      SERVE_PAGES: 'false',
      SESSION_SECRET: 'a-shared-secret-for-all-instances',
      INSTANCE_TTL_MS: '1000',
      JANITOR_INTERVAL_MS: '300',
    };
    const [doomed, survivor] = await Promise.all([startAppProcess(env), startAppProcess(env)]);
    nodes.push(doomed!, survivor!);
    const host = await client(doomed!, 4);
    const { lobby } = await host.join();
    const guest = await client(survivor!, 3);
    await guest.join(lobby);
    await doomed!.stop('SIGKILL');
    expect(await guest.closed).toEqual({ code: 4000, reason: 'NOT_FOUND: Room host has disconnected' });
  });
});

describe('Redis is down', { timeout: 30_000 }, () => {
  it('a JOIN is answered UNAVAILABLE (close 4000), not left hanging', async () => {
    await redis.stop();
    try {
      const c = await client(nodes[0]!, 4);
      c.send(T.JOIN, 0, '');
      expect(await c.closed).toEqual({ code: 4000, reason: 'UNAVAILABLE: Server error, try again' });
    } finally {
      await redis.start();
    }
  });
});
