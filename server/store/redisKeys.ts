/**
 * Key layout of the Redis lobby store. Everything sits under one prefix so several test runs or
 * deployments can share a redis-server without seeing each other.
 *
 *   {prefix}lobby:{id}       string  the lobby as JSON (LobbyRecord)
 *   {prefix}code:{code}      string  lobby id, for joins by code
 *   {prefix}invite:{token}   string  lobby id, for joins by invite link
 *   {prefix}public           set     ids of public lobbies, for the browser
 */
export const DEFAULT_KEY_PREFIX = 'peerlobby:';

export interface RedisKeys {
  lobby(id: string): string;
  code(code: string): string;
  invite(token: string): string;
  readonly publicSet: string;
}

export function redisKeys(prefix: string = DEFAULT_KEY_PREFIX): RedisKeys {
  return {
    lobby: (id) => `${prefix}lobby:${id}`,
    code: (code) => `${prefix}code:${code}`,
    invite: (token) => `${prefix}invite:${token}`,
    publicSet: `${prefix}public`,
  };
}
