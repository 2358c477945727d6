/**
 * Key layout of the Redis lobby store. Everything sits under one prefix so several test runs or
 * deployments can share a redis-server without seeing each other.
 *
 *   {prefix}lobby:{id}       string  the lobby as JSON (LobbyRecord)
 *   {prefix}code:{code}      string  lobby id, for joins by code
 *   {prefix}invite:{token}   string  lobby id, for joins by invite link
 *   {prefix}public           set     ids of public lobbies of the built-in game (DEFAULT_GAME), for the browser
 *   {prefix}public:{game}    set     ids of public lobbies of any other game
 *   {prefix}open:{game}:{n}  zset    ids of lobbies of that game and size open for quick play, scored
 *                                    by member count (fullest first)
 *
 * The built-in game keeps the set it had before lobbies had a game, so a Redis written by an older
 * build lists its lobbies unchanged (a slug cannot contain ':', so the two forms never meet).
 */
import { DEFAULT_GAME } from '../../lib/protocol';
import type { QuickPlayPool } from '../lobby/quickPlay';

export const DEFAULT_KEY_PREFIX = 'peerlobby:';

export interface RedisKeys {
  lobby(id: string): string;
  code(code: string): string;
  invite(token: string): string;
  publicSet(game: string): string;
  open(pool: QuickPlayPool): string;
}

export function redisKeys(prefix: string = DEFAULT_KEY_PREFIX): RedisKeys {
  return {
    lobby: (id) => `${prefix}lobby:${id}`,
    code: (code) => `${prefix}code:${code}`,
    invite: (token) => `${prefix}invite:${token}`,
    publicSet: (game) => (game === DEFAULT_GAME ? `${prefix}public` : `${prefix}public:${game}`),
    open: (pool) => `${prefix}open:${pool.game}:${pool.maxPlayers}`,
  };
}
