import { createClient } from 'redis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_GAME, ErrorCode, fail, ok, type Result } from '../../lib/protocol';
import { newInviteToken, newLobbyCode, newLobbyId, newPlayerId } from '../../server/lobby/ids';
import { applyCommand, createLobby } from '../../server/lobby/lobby';
import { LobbyService } from '../../server/lobby/service';
import type { Lobby, NewMember } from '../../server/lobby/types';
import type { LobbyStore } from '../../server/lobby/LobbyStore';
import { CorruptLobbyRecordError } from '../../server/store/lobbyRecord';
import { MemoryLobbyStore } from '../../server/store/memory';
import { RedisLobbyStore } from '../../server/store/redis';
import { startRedisServer, uniqueKeyPrefix, type TestRedis } from '../helpers/redis';

const NOW = 1_700_000_000_000;
/** R6: many joins race for few seats. */
const OPEN_SEATS = 4;
const RACING_JOINS = 50;

// Nicknames are unique within a lobby: the default is the (unique) id.
const player = (nickname?: string): NewMember => {
  const id = newPlayerId();
  return { id, nickname: nickname ?? `P-${id}`, deviceId: `dev-${id}` };
};

function makeLobby(
  over: Partial<Pick<Lobby, 'visibility' | 'maxPlayers' | 'code' | 'inviteToken' | 'game'>> = {},
): Lobby {
  return createLobby({
    id: newLobbyId(),
    game: over.game,
    code: over.code ?? newLobbyCode(),
    inviteToken: over.inviteToken ?? newInviteToken(),
    name: 'Room',
    visibility: over.visibility ?? 'public',
    maxPlayers: over.maxPlayers ?? 8,
    host: player('Host'),
    now: NOW,
  });
}

const joinCmd = (member: NewMember) => ({ type: 'join' as const, member, via: 'invite' as const, now: NOW });

const errorOf = (r: Result<unknown>) => (r.ok ? null : r.error);

/** The behaviour every LobbyStore must share; `open` gives a fresh, empty store per test. */
function lobbyStoreContract(name: string, open: () => Promise<LobbyStore>) {
  describe(`LobbyStore contract: ${name}`, () => {
    let store: LobbyStore;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(() => store.close());

    it('inserts a lobby and finds it by id, code and invite', async () => {
      const lobby = makeLobby();
      expect(await store.insert(lobby)).toBe(true);
      expect(await store.get(lobby.id)).toEqual(lobby);
      expect(await store.idByCode(lobby.code)).toBe(lobby.id);
      expect(await store.idByInvite(lobby.inviteToken)).toBe(lobby.id);
    });

    it('answers null for unknown ids, codes and invites', async () => {
      await store.insert(makeLobby());
      expect(await store.get(newLobbyId())).toBeNull();
      expect(await store.idByCode('ZZZZZZ')).toBeNull();
      expect(await store.idByInvite(newInviteToken())).toBeNull();
    });

    it('refuses a taken code and leaves nothing of the refused lobby behind', async () => {
      const first = makeLobby();
      await store.insert(first);
      const clash = makeLobby({ code: first.code });
      expect(await store.insert(clash)).toBe(false);
      expect(await store.get(clash.id)).toBeNull();
      expect(await store.idByInvite(clash.inviteToken)).toBeNull();
      expect(await store.idByCode(first.code)).toBe(first.id);
      expect(await store.get(first.id)).toEqual(first);
      expect((await store.listPublic()).map((l) => l.id)).toEqual([first.id]);
    });

    it('refuses a taken invite token', async () => {
      const first = makeLobby();
      await store.insert(first);
      const clash = makeLobby({ inviteToken: first.inviteToken });
      expect(await store.insert(clash)).toBe(false);
      expect(await store.idByCode(clash.code)).toBeNull();
      expect(await store.idByInvite(first.inviteToken)).toBe(first.id);
    });

    it('lets exactly one of many concurrent inserts with one code win', async () => {
      const code = newLobbyCode();
      const racers = Array.from({ length: 10 }, () => makeLobby({ code }));
      const results = await Promise.all(racers.map((l) => store.insert(l)));
      expect(results.filter(Boolean)).toHaveLength(1);
      const winner = racers[results.indexOf(true)]!;
      expect(await store.idByCode(code)).toBe(winner.id);
    });

    it('commits a successful update', async () => {
      const lobby = makeLobby();
      await store.insert(lobby);
      const joiner = player('Ann');
      const result = await store.update(lobby.id, (l) => applyCommand(l, joinCmd(joiner)));
      expect(result.ok).toBe(true);
      const stored = await store.get(lobby.id);
      expect(stored).toEqual(result.ok ? result.data : null);
      expect(stored?.members.map((m) => m.id)).toEqual([lobby.hostId, joiner.id]);
      expect(stored?.version).toBe(lobby.version + 1);
    });

    it('leaves the lobby untouched when the update returns an error', async () => {
      const lobby = makeLobby();
      await store.insert(lobby);
      const result = await store.update(lobby.id, () => fail(ErrorCode.LOCKED));
      expect(errorOf(result)).toBe(ErrorCode.LOCKED);
      expect(await store.get(lobby.id)).toEqual(lobby);
      expect(await store.idByCode(lobby.code)).toBe(lobby.id);
    });

    it('answers NOT_FOUND for an update of a missing lobby without calling fn', async () => {
      let calls = 0;
      const result = await store.update(newLobbyId(), (l) => {
        calls++;
        return ok(l);
      });
      expect(errorOf(result)).toBe(ErrorCode.NOT_FOUND);
      expect(calls).toBe(0);
    });

    it('moves the invite index when an update rotates the invite token; the old token is free and finds nothing', async () => {
      const lobby = makeLobby();
      await store.insert(lobby);
      const next = newInviteToken();
      const result = await store.update(lobby.id, (l) =>
        applyCommand(l, { type: 'rotate-invite', actor: l.hostId, inviteToken: next }),
      );
      expect(result.ok).toBe(true);
      expect(await store.idByInvite(next)).toBe(lobby.id);
      expect(await store.idByInvite(lobby.inviteToken)).toBeNull();
      expect(await store.idByCode(lobby.code)).toBe(lobby.id);
      // Deleting the lobby afterwards frees the new token too.
      expect(
        await store.update(lobby.id, (l) => applyCommand(l, { type: 'leave', playerId: l.hostId })),
      ).toEqual(ok(null));
      expect(await store.idByInvite(next)).toBeNull();
    });

    it('refuses to rotate to an invite token another lobby holds, changing nothing', async () => {
      const [a, b] = [makeLobby(), makeLobby()];
      await store.insert(a);
      await store.insert(b);
      await store
        .update(a.id, (l) =>
          applyCommand(l, { type: 'rotate-invite', actor: l.hostId, inviteToken: b.inviteToken }),
        )
        .catch(() => null);
      expect(await store.idByInvite(b.inviteToken)).toBe(b.id);
      expect(await store.idByInvite(a.inviteToken)).toBe(a.id);
      expect((await store.get(a.id))?.inviteToken).toBe(a.inviteToken);
    });

    it('deletes the lobby and both indexes when the update returns null', async () => {
      const lobby = makeLobby();
      await store.insert(lobby);
      const result = await store.update(lobby.id, (l) =>
        applyCommand(l, { type: 'leave', playerId: l.hostId }),
      );
      expect(result).toEqual(ok(null));
      expect(await store.get(lobby.id)).toBeNull();
      expect(await store.idByCode(lobby.code)).toBeNull();
      expect(await store.idByInvite(lobby.inviteToken)).toBeNull();
      expect(await store.listPublic()).toEqual([]);
      expect(errorOf(await store.update(lobby.id, (l) => ok(l)))).toBe(ErrorCode.NOT_FOUND);
      // The code and invite are free again.
      expect(await store.insert(makeLobby({ code: lobby.code, inviteToken: lobby.inviteToken }))).toBe(true);
    });

    it('lists public lobbies only, following visibility changes', async () => {
      const open = makeLobby({ visibility: 'public' });
      const hidden = makeLobby({ visibility: 'private' });
      await store.insert(open);
      await store.insert(hidden);
      expect((await store.listPublic()).map((l) => l.id)).toEqual([open.id]);

      const settings = (lobby: Lobby, visibility: Lobby['visibility']) =>
        store.update(lobby.id, (l) =>
          applyCommand(l, { type: 'settings', actor: l.hostId, settings: { visibility } }),
        );
      expect((await settings(open, 'private')).ok).toBe(true);
      expect(await store.listPublic()).toEqual([]);
      expect((await settings(hidden, 'public')).ok).toBe(true);
      const listed = await store.listPublic();
      expect(listed.map((l) => l.id)).toEqual([hidden.id]);
      expect(listed[0]?.visibility).toBe('public');
    });

    it("lists each game's public lobbies apart; a lobby with no game named is the built-in game's", async () => {
      const ring = makeLobby();
      const pong = makeLobby({ game: 'pong' });
      const pongHidden = makeLobby({ game: 'pong', visibility: 'private' });
      for (const l of [ring, pong, pongHidden]) await store.insert(l);
      expect(ring.game).toBe(DEFAULT_GAME);
      expect((await store.listPublic(DEFAULT_GAME)).map((l) => l.id)).toEqual([ring.id]);
      expect((await store.listPublic()).map((l) => l.id)).toEqual([ring.id]);
      expect((await store.listPublic('pong')).map((l) => l.id)).toEqual([pong.id]);
      expect(await store.listPublic('chess')).toEqual([]);
      // Deleting a lobby takes it out of its game's list.
      await store.update(pong.id, (l) => applyCommand(l, { type: 'leave', playerId: l.hostId }));
      expect(await store.listPublic('pong')).toEqual([]);
      expect((await store.get(pongHidden.id))?.game).toBe('pong');
    });

    it('quick play: lists the open lobbies of one game and size, fullest first, following their state', async () => {
      const pool = { game: 'pong', maxPlayers: 4 };
      const one = makeLobby({ game: 'pong', maxPlayers: 4 });
      const two = makeLobby({ game: 'pong', maxPlayers: 4 });
      const others = [
        makeLobby({ game: 'pong', maxPlayers: 8 }),
        makeLobby({ maxPlayers: 4 }),
        makeLobby({ game: 'pong', maxPlayers: 4, visibility: 'private' }),
      ];
      for (const l of [one, two, ...others]) await store.insert(l);
      const ids = async () => (await store.listOpen(pool, 10)).map((l) => l.id);
      expect((await ids()).sort()).toEqual([one.id, two.id].sort());
      await store.update(two.id, (l) => applyCommand(l, { ...joinCmd(player()), game: 'pong' }));
      expect(await ids()).toEqual([two.id, one.id]);
      expect((await store.listOpen(pool, 1)).map((l) => l.id)).toEqual([two.id]);
      // Full, locked, started or resized: out of this pool.
      await store.update(two.id, (l) => applyCommand(l, { ...joinCmd(player()), game: 'pong' }));
      await store.update(two.id, (l) => applyCommand(l, { ...joinCmd(player()), game: 'pong' }));
      expect(await ids()).toEqual([one.id]);
      await store.update(one.id, (l) => applyCommand(l, { type: 'lock', actor: l.hostId, locked: true }));
      expect(await ids()).toEqual([]);
      await store.update(one.id, (l) => applyCommand(l, { type: 'lock', actor: l.hostId, locked: false }));
      expect(await ids()).toEqual([one.id]);
      await store.update(one.id, (l) =>
        applyCommand(l, { type: 'settings', actor: l.hostId, settings: { maxPlayers: 8 } }),
      );
      expect(await ids()).toEqual([]);
      expect((await store.listOpen({ game: 'pong', maxPlayers: 8 }, 10)).map((l) => l.id).sort()).toEqual(
        [one.id, others[0]!.id].sort(),
      );
      // Nobody present (every seat held): not offered. Deleted: gone.
      const host = one.members[0]!;
      await store.update(one.id, (l) =>
        applyCommand(l, { type: 'drop', playerId: host.id, connectionId: host.connectionId, now: NOW }),
      );
      expect((await store.listOpen({ game: 'pong', maxPlayers: 8 }, 10)).map((l) => l.id)).toEqual([
        others[0]!.id,
      ]);
      await store.update(others[0]!.id, (l) => applyCommand(l, { type: 'leave', playerId: l.hostId }));
      expect(await store.listOpen({ game: 'pong', maxPlayers: 8 }, 10)).toEqual([]);
    });

    it('quick play: inserts unless the pool has an open lobby (other than those skipped), in one step', async () => {
      const first = makeLobby({ game: 'pong', maxPlayers: 4 });
      expect(await store.insertUnlessOpen(first, [])).toBe('inserted');
      const second = makeLobby({ game: 'pong', maxPlayers: 4 });
      expect(await store.insertUnlessOpen(second, [])).toBe('open-exists');
      expect(await store.get(second.id)).toBeNull();
      expect(await store.idByCode(second.code)).toBeNull();
      // Another pool is not affected; a skipped lobby (it refused this player) does not count.
      expect(await store.insertUnlessOpen(makeLobby({ game: 'pong', maxPlayers: 6 }), [])).toBe('inserted');
      expect(await store.insertUnlessOpen(second, [first.id])).toBe('inserted');
      expect(await store.insertUnlessOpen(makeLobby({ game: 'pong', maxPlayers: 4 }), [first.id])).toBe(
        'open-exists',
      );
      // A taken code is reported as such.
      expect(await store.insertUnlessOpen(makeLobby({ game: 'tag', code: first.code }), [])).toBe('taken');
      // Concurrent: of many inserts into an empty pool, exactly one lands.
      const racing = Array.from({ length: 20 }, () => makeLobby({ game: 'race', maxPlayers: 4 }));
      const results = await Promise.all(racing.map((l) => store.insertUnlessOpen(l, [])));
      expect(results.filter((r) => r === 'inserted')).toHaveLength(1);
      expect(await store.listOpen({ game: 'race', maxPlayers: 4 }, 50)).toHaveLength(1);
    });

    it(`quick play: ${RACING_JOINS} concurrent quick players fill lobbies of ${OPEN_SEATS} one after another`, async () => {
      const service = new LobbyService(store, () => NOW);
      const players = Array.from({ length: RACING_JOINS }, (_, i) => player(`Q${i}`));
      const results = await Promise.all(
        players.map((m) =>
          service.joinOrCreate(m, {
            game: 'race',
            nickname: m.nickname,
            maxPlayers: OPEN_SEATS,
            name: 'Quick',
          }),
        ),
      );
      expect(results.every((r) => r.ok)).toBe(true);
      const lobbies = (await store.listAll()).filter((l) => l.game === 'race');
      expect(lobbies).toHaveLength(Math.ceil(RACING_JOINS / OPEN_SEATS));
      expect(lobbies.every((l) => l.members.length <= OPEN_SEATS)).toBe(true);
      expect(lobbies.filter((l) => l.members.length < OPEN_SEATS)).toHaveLength(1);
      expect(results.filter((r) => r.ok && r.data.created)).toHaveLength(lobbies.length);
    });

    it(`R6: of ${RACING_JOINS} concurrent joins to ${OPEN_SEATS} open seats, exactly ${OPEN_SEATS} succeed`, async () => {
      const service = new LobbyService(store, () => NOW);
      const lobby = makeLobby({ maxPlayers: 1 + OPEN_SEATS });
      await store.insert(lobby);
      const joiners = Array.from({ length: RACING_JOINS }, (_, i) => player(`J${i}`));
      const results = await Promise.all(
        joiners.map((m) => service.join(m, { nickname: m.nickname, code: lobby.code })),
      );

      const admitted = joiners.filter((_, i) => results[i]!.ok).map((m) => m.id);
      expect(admitted).toHaveLength(OPEN_SEATS);
      expect(results.map(errorOf).filter((e) => e !== null)).toEqual(
        Array(RACING_JOINS - OPEN_SEATS).fill(ErrorCode.FULL),
      );
      const final = await store.get(lobby.id);
      expect(final?.members.map((m) => m.id).sort()).toEqual([lobby.hostId, ...admitted].sort());
      expect(final?.version).toBe(lobby.version + OPEN_SEATS);
    });

    it('loses no write when members update one lobby at once', async () => {
      let lobby = makeLobby();
      await store.insert(lobby);
      for (const m of [player(), player(), player()]) {
        const r = await store.update(lobby.id, (l) => applyCommand(l, joinCmd(m)));
        if (r.ok && r.data) lobby = r.data;
      }
      const results = await Promise.all(
        lobby.members.map((m) =>
          store.update(lobby.id, (l) => applyCommand(l, { type: 'ready', playerId: m.id, ready: true })),
        ),
      );
      expect(results.every((r) => r.ok)).toBe(true);
      const final = await store.get(lobby.id);
      expect(final?.members.map((m) => m.ready)).toEqual([true, true, true, true]);
      expect(final?.version).toBe(lobby.version + lobby.members.length);
    });
  });
}

lobbyStoreContract('memory', async () => new MemoryLobbyStore());

describe('RedisLobbyStore', () => {
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(() => redis?.close());

  const connect = (keyPrefix = uniqueKeyPrefix()) => RedisLobbyStore.connect({ url: redis.url, keyPrefix });

  lobbyStoreContract('redis', () => connect());

  describe('across instances', () => {
    let a: RedisLobbyStore;
    let b: RedisLobbyStore;
    beforeEach(async () => {
      // Two stores, two connections, one prefix: what two app instances behind a balancer have.
      const keyPrefix = uniqueKeyPrefix();
      [a, b] = await Promise.all([connect(keyPrefix), connect(keyPrefix)]);
    });
    afterEach(async () => {
      await Promise.all([a.close(), b.close()]);
    });

    it(`quick play through two instances: ${RACING_JOINS} players, lobbies of ${OPEN_SEATS}, at most one partly filled`, async () => {
      const services = [new LobbyService(a, () => NOW), new LobbyService(b, () => NOW)];
      const players = Array.from({ length: RACING_JOINS }, (_, i) => player(`Q${i}`));
      const results = await Promise.all(
        players.map((m, i) =>
          services[i % 2]!.joinOrCreate(m, {
            game: 'race',
            nickname: m.nickname,
            maxPlayers: OPEN_SEATS,
            name: 'Quick',
          }),
        ),
      );
      expect(results.map((r) => (r.ok ? 'ok' : r.error))).toEqual(Array(RACING_JOINS).fill('ok'));
      const lobbies = await a.listAll();
      expect(lobbies.every((l) => l.members.length <= OPEN_SEATS)).toBe(true);
      expect(lobbies.filter((l) => l.members.length < OPEN_SEATS).length).toBeLessThanOrEqual(1);
      expect(lobbies.reduce((n, l) => n + l.members.length, 0)).toBe(RACING_JOINS);
      expect(lobbies).toHaveLength(Math.ceil(RACING_JOINS / OPEN_SEATS));
    });

    it(`R6: joins racing through two instances fill exactly ${OPEN_SEATS} open seats`, async () => {
      const lobby = makeLobby({ maxPlayers: 1 + OPEN_SEATS });
      await a.insert(lobby);
      const services = [new LobbyService(a, () => NOW), new LobbyService(b, () => NOW)];
      const joiners = Array.from({ length: RACING_JOINS }, (_, i) => player(`J${i}`));
      const results = await Promise.all(
        joiners.map((m, i) => services[i % 2]!.join(m, { nickname: m.nickname, invite: lobby.inviteToken })),
      );

      const admitted = joiners.filter((_, i) => results[i]!.ok).map((m) => m.id);
      expect(admitted).toHaveLength(OPEN_SEATS);
      expect(results.filter((r) => !r.ok).map(errorOf)).toEqual(
        Array(RACING_JOINS - OPEN_SEATS).fill(ErrorCode.FULL),
      );
      const [seenByA, seenByB] = await Promise.all([a.get(lobby.id), b.get(lobby.id)]);
      expect(seenByA).toEqual(seenByB);
      expect(seenByA?.members.map((m) => m.id).sort()).toEqual([lobby.hostId, ...admitted].sort());
    });

    it('sees inserts, updates and deletes made by the other instance', async () => {
      const lobby = makeLobby();
      await a.insert(lobby);
      expect(await b.idByCode(lobby.code)).toBe(lobby.id);
      expect(await b.insert(makeLobby({ code: lobby.code }))).toBe(false);
      await b.update(lobby.id, (l) => applyCommand(l, { type: 'leave', playerId: l.hostId }));
      expect(await a.get(lobby.id)).toBeNull();
      expect(await a.idByInvite(lobby.inviteToken)).toBeNull();
    });
  });

  it('keeps stores with different key prefixes apart on one server', async () => {
    const [x, y] = await Promise.all([connect(), connect()]);
    try {
      const lobby = makeLobby();
      expect(await x.insert(lobby)).toBe(true);
      expect(await y.get(lobby.id)).toBeNull();
      expect(await y.listPublic()).toEqual([]);
      expect(await y.insert(makeLobby({ code: lobby.code }))).toBe(true);
    } finally {
      await Promise.all([x.close(), y.close()]);
    }
  });

  it("reads a lobby an older build wrote (no game) as the built-in game's, listed and joinable", async () => {
    const keyPrefix = uniqueKeyPrefix();
    const store = await connect(keyPrefix);
    const raw = createClient({ url: redis.url });
    await raw.connect();
    try {
      const { game: _dropped, ...old } = makeLobby();
      // Exactly the keys an older build wrote: the record, its indexes and the one public set.
      await raw.set(`${keyPrefix}lobby:${old.id}`, JSON.stringify(old));
      await raw.set(`${keyPrefix}code:${old.code}`, old.id);
      await raw.set(`${keyPrefix}invite:${old.inviteToken}`, old.id);
      await raw.sAdd(`${keyPrefix}public`, old.id);
      expect((await store.get(old.id))?.game).toBe(DEFAULT_GAME);
      expect((await store.listPublic(DEFAULT_GAME)).map((l) => l.id)).toEqual([old.id]);
      const joined = await new LobbyService(store, () => NOW).join(player('Newcomer'), {
        nickname: 'Newcomer',
        code: old.code,
      });
      expect(joined.ok && joined.data.members.map((m) => m.nickname)).toEqual(['Host', 'Newcomer']);
      expect(JSON.parse((await raw.get(`${keyPrefix}lobby:${old.id}`))!)).toMatchObject({
        game: DEFAULT_GAME,
      });
    } finally {
      await raw.close();
      await store.close();
    }
  });

  it('quick play is not blocked by an open-set entry whose lobby is gone or closed (older build, operator delete)', async () => {
    const keyPrefix = uniqueKeyPrefix();
    const store = await connect(keyPrefix);
    const raw = createClient({ url: redis.url });
    await raw.connect();
    try {
      const closed = makeLobby({ game: 'stale', maxPlayers: 4 });
      await store.insert(closed);
      await store.update(closed.id, (l) => applyCommand(l, { type: 'lock', actor: l.hostId, locked: true }));
      // Entries no script of this build would leave: a deleted lobby's id, and a locked lobby.
      await raw.zAdd(`${keyPrefix}open:stale:4`, [
        { score: 3, value: 'gone-lobby-id' },
        { score: 1, value: closed.id },
      ]);
      const service = new LobbyService(store, () => NOW);
      const r = await service.joinOrCreate(player('Q'), {
        game: 'stale',
        nickname: 'Q',
        maxPlayers: 4,
        name: 'Quick',
      });
      expect(r.ok && r.data.created).toBe(true);
      expect((await store.get(closed.id))?.members).toHaveLength(1);
      // The entry of the lobby that is gone was dropped on the way.
      expect(await raw.zScore(`${keyPrefix}open:stale:4`, 'gone-lobby-id')).toBeNull();
    } finally {
      await raw.close();
      await store.close();
    }
  });

  it('rejects a stored record that is not a lobby instead of trusting it', async () => {
    const keyPrefix = uniqueKeyPrefix();
    const store = await connect(keyPrefix);
    const raw = createClient({ url: redis.url });
    await raw.connect();
    try {
      await raw.set(`${keyPrefix}lobby:forged`, JSON.stringify({ id: 'forged', members: 'lots' }));
      await expect(store.get('forged')).rejects.toBeInstanceOf(CorruptLobbyRecordError);
      await expect(store.update('forged', (l) => ok(l))).rejects.toBeInstanceOf(CorruptLobbyRecordError);
      expect(await raw.get(`${keyPrefix}lobby:forged`)).toContain('lots');
    } finally {
      await raw.close();
      await store.close();
    }
  });

  it('refuses an update that would change the index keys, changing nothing', async () => {
    const store = await connect();
    try {
      const lobby = makeLobby();
      await store.insert(lobby);
      await expect(store.update(lobby.id, (l) => ok({ ...l, code: newLobbyCode() }))).rejects.toThrow(/code/);
      expect(await store.get(lobby.id)).toEqual(lobby);
    } finally {
      await store.close();
    }
  });
});
