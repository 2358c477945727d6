import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_GAME, ErrorCode, type LobbySummary, type LobbyView } from '../../lib/protocol';
import { browserRoom } from '../../server/socket/types';
import {
  Clients,
  CountingStore,
  createLobby,
  expectOk,
  joinByCode,
  newPlayer,
  record,
  serverPerFile,
} from '../helpers/lobby';
import { request, startTestServer, type TestServer } from '../helpers/server';

/** One server, many games: lobbies, codes, invites and the browser are per game. */
const ctx = serverPerFile();

const watch = async (game?: string) => {
  const p = await newPlayer(ctx.clients);
  const lists = record<LobbySummary[]>(p.socket, 'browser:list');
  const first = expectOk(
    await request<LobbySummary[]>(p.socket, 'browser:watch', game ? { watch: true, game } : { watch: true }),
  );
  return { ...p, lists, first };
};

describe('lobbies of several games on one server', () => {
  it("a lobby is created for a game and says so; without one it is the built-in game's", async () => {
    const pong = await createLobby((await newPlayer(ctx.clients)).socket, { game: 'pong' });
    expect(pong.lobby.game).toBe('pong');
    const ring = await createLobby((await newPlayer(ctx.clients)).socket);
    expect(ring.lobby.game).toBe(DEFAULT_GAME);
  });

  it("each game's browser lists its own public lobbies only, live", async () => {
    const pongWatcher = await watch('pong');
    const ringWatcher = await watch();
    const host = await newPlayer(ctx.clients);
    const created = await createLobby(host.socket, { game: 'pong', name: 'Pong room' });
    await pongWatcher.lists.waitFor((rows) => rows.some((r) => r.code === created.lobby.code));
    // The built-in game's browser: the pong lobby is not in its list now, nor in a push the change caused.
    const ringNow = expectOk(
      await request<LobbySummary[]>(ringWatcher.socket, 'browser:watch', { watch: true }),
    );
    expect(ringNow.some((r) => r.code === created.lobby.code)).toBe(false);
    expect(ringWatcher.lists.items.flat().some((r) => r.code === created.lobby.code)).toBe(false);
    // Watching another game leaves the first game's room.
    expectOk(await request(pongWatcher.socket, 'browser:watch', { watch: true, game: 'tag' }));
    const inPong = await ctx.server.app.io.in(browserRoom('pong')).fetchSockets();
    expect(inPong.map((s) => s.id)).not.toContain(pongWatcher.socket.id);
    // Deleting the lobby reaches the pong watchers (the feed knows the game of a deleted lobby).
    const stillWatching = await watch('pong');
    expect(stillWatching.first.some((r) => r.code === created.lobby.code)).toBe(true);
    expectOk(await request(host.socket, 'lobby:leave', {}));
    await stillWatching.lists.waitFor((rows) => !rows.some((r) => r.code === created.lobby.code));
  });

  it('a join by code or invite from another game fails with WRONG_GAME and changes nothing', async () => {
    const host = await newPlayer(ctx.clients);
    const created = await createLobby(host.socket, { game: 'pong' });
    const guest = await newPlayer(ctx.clients);
    const attempts = [
      await joinByCode(guest.socket, created.lobby.code),
      await request(guest.socket, 'lobby:join', { nickname: 'G', invite: created.lobby.inviteToken }),
      await request(guest.socket, 'lobby:join', { nickname: 'G', code: created.lobby.code, game: 'tag' }),
    ];
    expect(attempts).toEqual(Array(3).fill({ ok: false, error: ErrorCode.WRONG_GAME }));
    const stored = ctx.store.live.find((l) => l.id === created.lobby.id);
    expect(stored?.members).toHaveLength(1);
    expect(stored?.version).toBe(created.lobby.version);
    expect(host.states.items.every((v: LobbyView) => v.version === created.lobby.version)).toBe(true);
    // The guest is in no lobby: a join of the right game still works.
    const joined = expectOk(
      await request<{ lobby: LobbyView }>(guest.socket, 'lobby:join', {
        nickname: 'G',
        code: created.lobby.code,
        game: 'pong',
      }),
    );
    expect(joined.lobby.members.map((m) => m.nickname)).toEqual(['Host', 'G']);
  });

  it('a bad slug is INVALID_PAYLOAD and creates nothing', async () => {
    const p = await newPlayer(ctx.clients);
    const before = ctx.store.inserts;
    for (const game of ['Pong', '-x', 'a', 'x'.repeat(33), 7]) {
      expect(
        await request(p.socket, 'lobby:create', { nickname: 'H', name: 'R', visibility: 'public', game }),
      ).toEqual({
        ok: false,
        error: ErrorCode.INVALID_PAYLOAD,
      });
    }
    expect(await request(p.socket, 'browser:watch', { watch: true, game: 'Pong' })).toEqual({
      ok: false,
      error: ErrorCode.INVALID_PAYLOAD,
    });
    expect(ctx.store.inserts).toBe(before);
  });
});

describe('GAMES limits which games a server hosts', () => {
  let server: TestServer;
  const store = new CountingStore();
  const clients = new Clients(() => server.url);
  beforeAll(async () => {
    server = await startTestServer({ store, env: { GAMES: 'ring-out,pong' } });
  });
  afterAll(async () => {
    clients.closeAll();
    await server.close();
  });

  it('another game is UNKNOWN_GAME for create, join and browse, and nothing is stored or watched', async () => {
    const p = await newPlayer(clients);
    expect(
      await request(p.socket, 'lobby:create', {
        nickname: 'H',
        name: 'R',
        visibility: 'public',
        game: 'chess',
      }),
    ).toEqual({
      ok: false,
      error: ErrorCode.UNKNOWN_GAME,
    });
    expect(store.inserts).toBe(0);
    expect(await request(p.socket, 'browser:watch', { watch: true, game: 'chess' })).toEqual({
      ok: false,
      error: ErrorCode.UNKNOWN_GAME,
    });
    expect((await server.app.io.in(browserRoom('chess')).fetchSockets()).length).toBe(0);
    const pong = await createLobby(p.socket, { game: 'pong' });
    const q = await newPlayer(clients);
    expect(
      await request(q.socket, 'lobby:join', { nickname: 'Q', code: pong.lobby.code, game: 'chess' }),
    ).toEqual({
      ok: false,
      error: ErrorCode.UNKNOWN_GAME,
    });
    // The listed games work.
    expect((await createLobby(q.socket)).lobby.game).toBe(DEFAULT_GAME);
  });
});
