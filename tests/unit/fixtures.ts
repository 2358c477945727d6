import { expect } from 'vitest';
import type { ErrorCode, Result } from '../../lib/protocol';
import type { LobbyCommand } from '../../server/lobby/commands';
import { applyCommand, createLobby, type LobbyInit } from '../../server/lobby/lobby';
import type { Lobby, NewMember } from '../../server/lobby/types';

/** A player with a stable id and device; ids satisfy the PlayerId schema. */
export const player = (name: string, deviceId = `dev-${name}`): NewMember => ({
  id: `player-${name}`,
  nickname: name,
  deviceId,
});

export const T0 = 1_000;

export function newLobby(overrides: Partial<LobbyInit> = {}): Lobby {
  return createLobby({
    id: 'lobby-1',
    code: 'ABCDEF',
    inviteToken: 'x'.repeat(22),
    name: 'Room',
    visibility: 'public',
    maxPlayers: 4,
    host: player('host'),
    now: T0,
    ...overrides,
  });
}

/** Applies a command that must succeed with a lobby; checks the version moved by exactly one. */
export function must(lobby: Lobby, cmd: LobbyCommand): Lobby {
  const before = structuredClone(lobby);
  const result = applyCommand(lobby, cmd);
  // Pure on success too: the caller's object is never mutated.
  expect(lobby).toEqual(before);
  if (!result.ok) throw new Error(`${cmd.type} failed: ${result.error}`);
  if (result.data === null) throw new Error(`${cmd.type} deleted the lobby`);
  expect(result.data.version).toBe(lobby.version + 1);
  return result.data;
}

/** Applies a command that must fail with `code`, and checks the input was not touched. */
export function mustFail(lobby: Lobby, cmd: LobbyCommand, code: ErrorCode): void {
  const before = structuredClone(lobby);
  const result: Result<Lobby | null> = applyCommand(lobby, cmd);
  expect(result).toEqual({ ok: false, error: code });
  expect(lobby).toEqual(before);
}

/** A lobby holding host plus the named players, joined in order at T0+1, T0+2, … */
export function lobbyWith(names: string[], overrides: Partial<LobbyInit> = {}): Lobby {
  let lobby = newLobby(overrides);
  names.forEach((name, i) => {
    lobby = must(lobby, { type: 'join', member: player(name), via: 'invite', now: T0 + 1 + i });
  });
  return lobby;
}
