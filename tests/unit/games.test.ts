import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  CreateLobbyInput,
  DEFAULT_GAME,
  ErrorCode,
  GameSlug,
  JoinLobbyInput,
  WatchBrowserInput,
} from '../../lib/protocol';
import { ConfigError, loadConfig } from '../../server/config';
import { gamePolicy } from '../../server/lobby/games';
import { LobbyService } from '../../server/lobby/service';
import { readLobbyFile } from '../../server/store/lobbyFile';
import { parseLobbyRecord } from '../../server/store/lobbyRecord';
import { MemoryLobbyStore } from '../../server/store/memory';
import { T0, mustFail, newLobby, player, must } from './fixtures';

describe('a lobby belongs to a game', () => {
  it('is the built-in game unless created for another; the view says which', () => {
    expect(newLobby().game).toBe(DEFAULT_GAME);
    expect(newLobby({ game: 'pong' }).game).toBe('pong');
  });

  it('a join by code or invite from a client of another game fails with WRONG_GAME and changes nothing', () => {
    const pong = newLobby({ game: 'pong' });
    mustFail(
      pong,
      { type: 'join', member: player('a'), via: 'code', game: 'ring-out', now: T0 },
      ErrorCode.WRONG_GAME,
    );
    mustFail(
      pong,
      { type: 'join', member: player('a'), via: 'invite', game: 'chess', now: T0 },
      ErrorCode.WRONG_GAME,
    );
    // A join that names no game is the built-in game's.
    mustFail(pong, { type: 'join', member: player('a'), via: 'invite', now: T0 }, ErrorCode.WRONG_GAME);
    expect(
      must(pong, { type: 'join', member: player('a'), via: 'code', game: 'pong', now: T0 }).members,
    ).toHaveLength(2);
  });

  it("a private lobby's code answers NOT_FOUND to every game: the game is not a way to probe it", () => {
    const hidden = newLobby({ game: 'pong', visibility: 'private' });
    mustFail(
      hidden,
      { type: 'join', member: player('a'), via: 'code', game: 'ring-out', now: T0 },
      ErrorCode.NOT_FOUND,
    );
    mustFail(
      hidden,
      { type: 'join', member: player('a'), via: 'code', game: 'pong', now: T0 },
      ErrorCode.NOT_FOUND,
    );
  });

  it('no game command changes the game', () => {
    const lobby = must(newLobby({ game: 'pong' }), {
      type: 'settings',
      actor: 'player-host',
      settings: { name: 'Other', visibility: 'private', maxPlayers: 8 },
    });
    expect(lobby.game).toBe('pong');
  });
});

describe('game slugs', () => {
  it.each(['ring-out', 'pong', 'a1', '2d-tag', 'x'.repeat(32)])('accepts %s', (slug) => {
    expect(GameSlug.safeParse(slug).success).toBe(true);
  });
  it.each(['', 'a', '-pong', 'Pong', 'pong!', 'po ng', 'pong:1', 'x'.repeat(33), 'ring_out', 42, null])(
    'refuses %s',
    (slug) => {
      expect(GameSlug.safeParse(slug).success).toBe(false);
    },
  );

  it('create, join and watch default to the built-in game and refuse a bad slug', () => {
    const create = { nickname: 'A', name: 'Room', visibility: 'public' };
    expect(CreateLobbyInput.parse(create).game).toBe(DEFAULT_GAME);
    expect(CreateLobbyInput.parse({ ...create, game: 'pong' }).game).toBe('pong');
    expect(CreateLobbyInput.safeParse({ ...create, game: 'Pong!' }).success).toBe(false);
    expect(JoinLobbyInput.parse({ nickname: 'A', code: 'ABCDEF' }).game).toBe(DEFAULT_GAME);
    expect(JoinLobbyInput.parse({ nickname: 'A', invite: 'x'.repeat(22), game: 'pong' }).game).toBe('pong');
    expect(JoinLobbyInput.safeParse({ nickname: 'A', code: 'ABCDEF', game: '' }).success).toBe(false);
    expect(WatchBrowserInput.parse({ watch: true })).toEqual({ watch: true, game: DEFAULT_GAME });
    expect(WatchBrowserInput.safeParse({ watch: true, game: '../x' }).success).toBe(false);
  });
});

describe('GAMES: which games a server hosts', () => {
  const config = (env: Record<string, string>) => loadConfig({ NODE_ENV: 'test', ...env }).games;

  it('unset, empty or * hosts any game; a list hosts exactly those', () => {
    expect(config({})).toBe('*');
    expect(config({ GAMES: '' })).toBe('*');
    expect(config({ GAMES: ' * ' })).toBe('*');
    expect(config({ GAMES: 'ring-out, pong' })).toEqual(['ring-out', 'pong']);
    const policy = gamePolicy(config({ GAMES: 'ring-out,pong' }));
    expect([policy.accepts('ring-out'), policy.accepts('pong'), policy.accepts('chess')]).toEqual([
      true,
      true,
      false,
    ]);
    expect(gamePolicy('*').accepts('chess')).toBe(true);
  });

  it('a list with a bad slug is a configuration error naming GAMES', () => {
    expect(() => config({ GAMES: 'ring-out,Bad Game' })).toThrow(ConfigError);
    expect(() => config({ GAMES: 'ring-out,Bad Game' })).toThrow(/GAMES/);
  });

  it('the service refuses a game it does not host with UNKNOWN_GAME, storing nothing', async () => {
    const store = new MemoryLobbyStore();
    const service = new LobbyService(store, () => T0, gamePolicy(['ring-out', 'pong']));
    const created = await service.create(player('h'), {
      game: 'chess',
      nickname: 'h',
      name: 'Room',
      visibility: 'public',
      maxPlayers: 4,
    });
    expect(created).toEqual({ ok: false, error: ErrorCode.UNKNOWN_GAME });
    expect(await store.listAll()).toEqual([]);
    expect(await service.listPublic('chess')).toEqual({ ok: false, error: ErrorCode.UNKNOWN_GAME });
    const pong = await service.create(player('h'), {
      game: 'pong',
      nickname: 'h',
      name: 'Room',
      visibility: 'public',
      maxPlayers: 4,
    });
    if (!pong.ok) throw new Error(pong.error);
    expect(await service.join(player('g'), { game: 'chess', nickname: 'g', code: pong.data.code })).toEqual({
      ok: false,
      error: ErrorCode.UNKNOWN_GAME,
    });
    expect(
      await service.join(player('g'), { game: 'ring-out', nickname: 'g', code: pong.data.code }),
    ).toEqual({
      ok: false,
      error: ErrorCode.WRONG_GAME,
    });
    expect((await store.get(pong.data.id))?.members).toHaveLength(1);
  });
});

describe('records written before games existed', () => {
  const dir = mkdtempSync(join(tmpdir(), 'peerlobby-games-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('read as the built-in game, from Redis JSON and from the saved lobby file', async () => {
    const { game: _dropped, ...old } = newLobby({ game: 'pong' });
    expect(parseLobbyRecord(JSON.stringify(old)).game).toBe(DEFAULT_GAME);
    const file = join(dir, 'lobbies.json');
    writeFileSync(file, JSON.stringify({ format: 1, savedAt: 0, lobbies: [old] }));
    expect((await readLobbyFile(file)).map((l) => l.game)).toEqual([DEFAULT_GAME]);
  });

  it('a stored game that is not a slug makes the record corrupt, not trusted', () => {
    expect(() => parseLobbyRecord(JSON.stringify({ ...newLobby(), game: 'Not A Slug' }))).toThrow(/schema/);
  });
});
