import { isFull } from './lobby';
import type { Lobby } from './types';

/**
 * Whether quick play may seat a newcomer in this lobby: public, unlocked, not started, not full, and
 * somebody actually there (a lobby whose every seat is only held waits to expire, like in the browser).
 * A Godot endpoint's lobby (server/godot) seats only Godot peers, so it is never open to quick play.
 */
export function isOpenForQuickPlay(lobby: Lobby): boolean {
  return (
    lobby.godot === undefined &&
    lobby.visibility === 'public' &&
    !lobby.locked &&
    lobby.phase === 'waiting' &&
    !isFull(lobby) &&
    lobby.members.some((m) => m.presence.kind === 'present')
  );
}

/**
 * Quick play matches lobbies of one game and one size: a game asking for lobbies of 4 never lands in a
 * lobby of 8. Stores index open lobbies by this pair.
 */
export interface QuickPlayPool {
  game: string;
  maxPlayers: number;
}

export const poolOf = (lobby: Lobby): QuickPlayPool => ({ game: lobby.game, maxPlayers: lobby.maxPlayers });
