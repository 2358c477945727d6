import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../lib/protocol';
import { isOpenForQuickPlay } from '../../server/lobby/quickPlay';
import { LobbyService } from '../../server/lobby/service';
import { MemoryLobbyStore } from '../../server/store/memory';
import { T0, lobbyWith, must, newLobby, player } from './fixtures';

const HOST = 'player-host';

describe('which lobbies quick play may seat a newcomer in', () => {
  it('public, unlocked, waiting, not full, somebody present', () => {
    const open = lobbyWith(['a']);
    expect(isOpenForQuickPlay(open)).toBe(true);
    expect(isOpenForQuickPlay(newLobby({ visibility: 'private' }))).toBe(false);
    expect(isOpenForQuickPlay(must(open, { type: 'lock', actor: HOST, locked: true }))).toBe(false);
    expect(isOpenForQuickPlay(lobbyWith(['a', 'b', 'c']))).toBe(false);
    const ready = must(open, { type: 'ready', playerId: 'player-a', ready: true });
    expect(isOpenForQuickPlay(must(ready, { type: 'start', actor: HOST }))).toBe(false);
    const gone = must(newLobby(), { type: 'drop', playerId: HOST, connectionId: '', now: T0 + 1 });
    expect(isOpenForQuickPlay(gone)).toBe(false);
    // A Godot endpoint's lobby seats Godot peers only.
    expect(isOpenForQuickPlay(newLobby({ godot: 'mesh' }))).toBe(false);
  });
});

describe('LobbyService.joinOrCreate (memory store)', () => {
  const input = (nickname: string) => ({ game: 'pong', nickname, maxPlayers: 2, name: 'Quick' });

  it('creates, then fills, then creates the next: a lobby is never made while one is open', async () => {
    const service = new LobbyService(new MemoryLobbyStore(), () => T0);
    const a = await service.joinOrCreate(player('a'), input('a'));
    const b = await service.joinOrCreate(player('b'), input('b'));
    const c = await service.joinOrCreate(player('c'), input('c'));
    if (!a.ok || !b.ok || !c.ok) throw new Error('quick play failed');
    expect([a.data.created, b.data.created, c.data.created]).toEqual([true, false, true]);
    expect(b.data.lobby.id).toBe(a.data.lobby.id);
    expect(c.data.lobby.id).not.toBe(a.data.lobby.id);
  });

  it('without the right to create (quota), it only joins: TOO_MANY_LOBBIES when nothing is open', async () => {
    const store = new MemoryLobbyStore();
    const service = new LobbyService(store, () => T0);
    expect(await service.joinOrCreate(player('a'), input('a'), false)).toEqual({
      ok: false,
      error: ErrorCode.TOO_MANY_LOBBIES,
    });
    expect(await store.listAll()).toEqual([]);
    await service.joinOrCreate(player('a'), input('a'));
    const joined = await service.joinOrCreate(player('b'), input('b'), false);
    expect(joined.ok && joined.data.created).toBe(false);
  });

  it('a banned player skips the lobby that banned them', async () => {
    const store = new MemoryLobbyStore();
    const service = new LobbyService(store, () => T0);
    const first = await service.joinOrCreate(player('host'), { ...input('host'), maxPlayers: 4 });
    const victim = player('v');
    const joined = await service.joinOrCreate(victim, { ...input('v'), maxPlayers: 4 });
    if (!first.ok || !joined.ok) throw new Error('quick play failed');
    await service.run(first.data.lobby.id, {
      type: 'kick',
      actor: 'player-host',
      target: victim.id,
      ban: true,
      nextInviteToken: 'y'.repeat(22),
    });
    const again = await service.joinOrCreate(victim, { ...input('v'), maxPlayers: 4 });
    expect(again.ok && again.data.created).toBe(true);
  });

  it('a game the server does not host is UNKNOWN_GAME', async () => {
    const service = new LobbyService(new MemoryLobbyStore(), () => T0, { accepts: (g) => g === 'ring-out' });
    expect(await service.joinOrCreate(player('a'), input('a'))).toEqual({
      ok: false,
      error: ErrorCode.UNKNOWN_GAME,
    });
  });
});
