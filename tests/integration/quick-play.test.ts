import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LobbyClient } from '../../lib/client/LobbyClient';
import { ErrorCode, type QuickJoined, type Result } from '../../lib/protocol';
import type { Lobby } from '../../server/lobby/types';
import { RedisLobbyStore } from '../../server/store/redis';
import { startAppProcess, type AppProcess } from '../helpers/appProcess';
import { Clients, CountingStore, createLobby, expectOk, newPlayer, serverPerFile } from '../helpers/lobby';
import { memoryStorage } from '../helpers/memoryStorage';
import { startRedisServer, uniqueKeyPrefix, type TestRedis } from '../helpers/redis';
import { connectClient, request, startTestServer } from '../helpers/server';
import { lobbyWhere } from '../helpers/waits';

/** Quick play (`lobby:join-or-create`): the fullest open lobby of the game and size, or a new one. */
const ctx = serverPerFile();

const RACERS = 50;
const SEATS = 4;

const quick = (socket: Awaited<ReturnType<typeof connectClient>>, input: Record<string, unknown>) =>
  request<QuickJoined>(socket, 'lobby:join-or-create', input);

let joiners = 0;
/** A join by invite naming the lobby's game (the helper's joins are the built-in game's). */
const joinByInvite = (
  socket: Awaited<ReturnType<typeof connectClient>>,
  lobby: { inviteToken: string; game: string },
  nickname = `J${++joiners}`,
) => request(socket, 'lobby:join', { nickname, invite: lobby.inviteToken, game: lobby.game });

/** What a race left behind, checked the same way for every backend. */
function checkRace(lobbies: Lobby[], results: Result<QuickJoined>[], game: string) {
  expect(results.map((r) => (r.ok ? 'ok' : r.error))).toEqual(Array(RACERS).fill('ok'));
  const mine = lobbies.filter((l) => l.game === game);
  const sizes = mine.map((l) => l.members.length).sort((a, b) => b - a);
  expect(sizes.every((n) => n <= SEATS)).toBe(true);
  expect(sizes.filter((n) => n < SEATS).length).toBeLessThanOrEqual(1);
  expect(sizes.reduce((a, b) => a + b, 0)).toBe(RACERS);
  // Every player is seated exactly where its ack says, and each lobby was created by exactly one of them.
  const seatOf = new Map(mine.flatMap((l) => l.members.map((m) => [m.id, l.id] as const)));
  for (const r of results) if (r.ok) expect(seatOf.get(r.data.selfId)).toBe(r.data.lobby.id);
  expect(results.filter((r) => r.ok && r.data.created)).toHaveLength(mine.length);
  return { lobbies: mine.length, sizes };
}

describe('quick play', () => {
  it('joins the fullest open lobby of the game and size, skipping private, locked, started, other games and sizes', async () => {
    const game = 'fullest';
    const emptier = await createLobby((await newPlayer(ctx.clients)).socket, { game, maxPlayers: 4 });
    const fuller = await createLobby((await newPlayer(ctx.clients)).socket, { game, maxPlayers: 4 });
    expectOk(await joinByInvite((await newPlayer(ctx.clients)).socket, fuller.lobby));
    // Fuller still, but not open to quick play (or not this pool):
    const closed = [
      await createLobby((await newPlayer(ctx.clients)).socket, {
        game,
        maxPlayers: 4,
        visibility: 'private',
      }),
      await createLobby((await newPlayer(ctx.clients)).socket, { game, maxPlayers: 8 }),
      await createLobby((await newPlayer(ctx.clients)).socket, { game: 'other', maxPlayers: 4 }),
    ];
    const lockedHost = await newPlayer(ctx.clients);
    const locked = await createLobby(lockedHost.socket, { game, maxPlayers: 4 });
    for (let i = 0; i < 2; i++)
      expectOk(await joinByInvite((await newPlayer(ctx.clients)).socket, locked.lobby));
    expectOk(await request(lockedHost.socket, 'lobby:lock', { locked: true }));
    for (const c of closed) expectOk(await joinByInvite((await newPlayer(ctx.clients)).socket, c.lobby));

    const p = await newPlayer(ctx.clients);
    const joined = expectOk(await quick(p.socket, { game, nickname: 'Quick', maxPlayers: 4 }));
    expect(joined.created).toBe(false);
    expect(joined.lobby.id).toBe(fuller.lobby.id);
    expect(joined.lobby.members.map((m) => m.nickname)).toContain('Quick');
    const next = expectOk(
      await quick((await newPlayer(ctx.clients)).socket, { game, nickname: 'Quick2', maxPlayers: 4 }),
    );
    expect(next.lobby.id).toBe(fuller.lobby.id);
    // Full now: the next one goes to the emptier lobby.
    const third = expectOk(
      await quick((await newPlayer(ctx.clients)).socket, { game, nickname: 'Quick3', maxPlayers: 4 }),
    );
    expect(third.lobby.id).toBe(emptier.lobby.id);
  });

  it('creates a public lobby of the game and size, with the name and metadata given, when none is open', async () => {
    const p = await newPlayer(ctx.clients);
    const made = expectOk(
      await quick(p.socket, {
        game: 'lonely',
        nickname: 'First',
        maxPlayers: 3,
        name: 'Duel pit',
        meta: { mode: 'duel' },
      }),
    );
    expect(made.created).toBe(true);
    expect(made.lobby).toMatchObject({
      game: 'lonely',
      visibility: 'public',
      maxPlayers: 3,
      name: 'Duel pit',
      meta: { mode: 'duel' },
      hostId: made.selfId,
    });
    const def = expectOk(await quick((await newPlayer(ctx.clients)).socket, { nickname: 'Dflt' }));
    expect(def.lobby).toMatchObject({ game: 'ring-out', maxPlayers: 8, name: 'Quick play' });
  });

  it('skips a lobby that refuses this player (nickname taken) and creates one instead', async () => {
    const host = await newPlayer(ctx.clients);
    const taken = await createLobby(host.socket, { game: 'names', maxPlayers: 4, nickname: 'Sam' });
    const r = expectOk(
      await quick((await newPlayer(ctx.clients)).socket, { game: 'names', nickname: 'sam', maxPlayers: 4 }),
    );
    expect(r.created).toBe(true);
    expect(r.lobby.id).not.toBe(taken.lobby.id);
  });

  it('refusals change nothing: already seated, bad input', async () => {
    const f = await createLobby((await newPlayer(ctx.clients)).socket, { game: 'refuse' });
    const seated = await newPlayer(ctx.clients);
    expectOk(await joinByInvite(seated.socket, f.lobby, 'Seated'));
    const inserts = ctx.store.inserts;
    expect(await quick(seated.socket, { game: 'refuse', nickname: 'Again' })).toEqual({
      ok: false,
      error: ErrorCode.ALREADY_IN_LOBBY,
    });
    const p = await newPlayer(ctx.clients);
    for (const bad of [
      {},
      { nickname: 'X', maxPlayers: 1 },
      { nickname: 'X', maxPlayers: 17 },
      { nickname: 'X', game: 'Bad' },
      { nickname: 'X', visibility: 'private' },
    ]) {
      expect(await quick(p.socket, bad)).toEqual({ ok: false, error: ErrorCode.INVALID_PAYLOAD });
    }
    expect(ctx.store.inserts).toBe(inserts);
  });

  it('LobbyClient.joinOrCreate seats the client (lobby event, resume record) in its game', async () => {
    const a = new LobbyClient({
      url: ctx.url,
      game: 'sdk-quick',
      storage: memoryStorage(),
      sessionStorage: memoryStorage(),
    });
    const b = new LobbyClient({
      url: ctx.url,
      game: 'sdk-quick',
      storage: memoryStorage(),
      sessionStorage: memoryStorage(),
    });
    try {
      const first = await a.joinOrCreate({ nickname: 'A', maxPlayers: 2 });
      expect(first.ok && first.data.created).toBe(true);
      const second = await b.joinOrCreate({ nickname: 'B', maxPlayers: 2 });
      expect(second.ok && !second.data.created && second.data.lobby.id).toBe(first.ok && first.data.lobby.id);
      const seen = await lobbyWhere(a, (l) => l.members.length === 2);
      expect(seen.game).toBe('sdk-quick');
      expect(b.currentLobby?.id).toBe(seen.id);
    } finally {
      a.close();
      b.close();
    }
  });
});

describe('quick play at the lobby quota', () => {
  it('an address at its cap still joins an open lobby, and gets TOO_MANY_LOBBIES only when none is', async () => {
    const store = new CountingStore();
    const server = await startTestServer({ store, limits: { maxLobbiesPerAddress: 1 } });
    const clients = new Clients(() => server.url);
    try {
      const first = expectOk(
        await quick(await clients.connect(), { game: 'cap', nickname: 'One', maxPlayers: 2 }),
      );
      expect(first.created).toBe(true);
      const joined = expectOk(
        await quick(await clients.connect(), { game: 'cap', nickname: 'Two', maxPlayers: 2 }),
      );
      expect(joined.lobby.id).toBe(first.lobby.id);
      const inserts = store.inserts;
      expect(await quick(await clients.connect(), { game: 'cap', nickname: 'Three', maxPlayers: 2 })).toEqual(
        {
          ok: false,
          error: ErrorCode.TOO_MANY_LOBBIES,
        },
      );
      expect(store.inserts).toBe(inserts);
    } finally {
      clients.closeAll();
      await server.close();
    }
  });
});

describe(`quick play race: ${RACERS} real clients into lobbies of ${SEATS}`, { timeout: 120_000 }, () => {
  it('one server, memory store: no lobby over capacity, at most one partly filled', async () => {
    const sockets = await Promise.all(Array.from({ length: RACERS }, () => ctx.clients.connect()));
    const t0 = performance.now();
    const results = await Promise.all(
      sockets.map((s, i) => quick(s, { game: 'race-mem', nickname: `R${i}`, maxPlayers: SEATS })),
    );
    const ms = performance.now() - t0;
    const figures = checkRace(ctx.store.live, results, 'race-mem');
    console.log(
      `quick-play race, memory: ${RACERS} clients → ${figures.lobbies} lobbies ${JSON.stringify(figures.sizes)} in ${ms.toFixed(0)} ms`,
    );
  });

  describe('two server processes on one Redis', () => {
    let redis: TestRedis;
    let procs: AppProcess[] = [];
    let store: RedisLobbyStore;
    const prefix = uniqueKeyPrefix('quick');
    beforeAll(async () => {
      redis = await startRedisServer();
      const env = {
        REDIS_URL: redis.url,
        REDIS_PREFIX: prefix,
        SERVE_PAGES: 'false',
        SESSION_SECRET: 'a-shared-secret-for-both-instances',
        // Every racer comes from 127.0.0.1: the per-address budgets would otherwise throttle the race itself.
        MAX_CONNECTIONS_PER_IP: '10000',
        IP_EVENT_RATE_PER_10S: '100000',
        MAX_LOBBIES_PER_ADDRESS: '10000',
      };
      procs = await Promise.all([startAppProcess(env), startAppProcess(env)]);
      store = await RedisLobbyStore.connect({ url: redis.url, keyPrefix: prefix });
    }, 90_000);
    afterAll(async () => {
      await store?.close();
      await Promise.all(procs.map((p) => p.stop('SIGKILL')));
      await redis?.close();
    });

    it('no lobby over capacity, at most one partly filled, every player seated where its ack says', async () => {
      const sockets = await Promise.all(
        Array.from({ length: RACERS }, (_, i) => connectClient(procs[i % 2]!.url)),
      );
      try {
        const t0 = performance.now();
        const results = await Promise.all(
          sockets.map((s, i) => quick(s, { game: 'race-redis', nickname: `R${i}`, maxPlayers: SEATS })),
        );
        const ms = performance.now() - t0;
        const figures = checkRace(await store.listAll(), results, 'race-redis');
        // Both instances created and joined lobbies (the race really crossed processes).
        const viaA = results.filter((r, i) => r.ok && i % 2 === 0).map((r) => r.ok && r.data.lobby.id);
        const viaB = results.filter((r, i) => r.ok && i % 2 === 1).map((r) => r.ok && r.data.lobby.id);
        expect(viaA.some((id) => viaB.includes(id))).toBe(true);
        console.log(
          `quick-play race, 2 instances on Redis: ${RACERS} clients → ${figures.lobbies} lobbies ${JSON.stringify(figures.sizes)} in ${ms.toFixed(0)} ms`,
        );
      } finally {
        sockets.forEach((s) => s.close());
      }
    });
  });
});
