import { defineScript, type CommandParser } from 'redis';

/**
 * The keys one lobby touches. Every key a script reads or writes is passed as a key (not built in
 * Lua), as Redis requires; they are not hash-tagged, so this layout targets a single Redis node.
 */
export interface LobbyKeySet {
  lobby: string;
  code: string;
  invite: string;
  publicSet: string;
  /** The quick-play pool's open set (game and size) the lobby is in, or would be in when open. */
  open: string;
}

/**
 * An update's keys: the lobby's current ones, its invite key after the update (the same unless rotated)
 * and its pool's open set after the update (another one when the host changed the size).
 */
export interface CommitKeySet extends LobbyKeySet {
  nextInvite: string;
  nextOpen: string;
}

/** How a lobby is indexed: listed in the browser, and open for quick play with this many members. */
export interface LobbyIndexing {
  isPublic: boolean;
  /** Member count when open for quick play (isOpenForQuickPlay); null when not. */
  openScore: number | null;
}

const pushLobbyKeys = (parser: CommandParser, k: LobbyKeySet) =>
  parser.pushKeys([k.lobby, k.code, k.invite, k.publicSet, k.open]);
const indexArgs = (i: LobbyIndexing) => [
  i.isPublic ? '1' : '0',
  i.openScore === null ? '' : String(i.openScore),
];

/**
 * Creates a lobby and its indexes in one step, or nothing at all. Replies 1 when created, 0 when its
 * id, code or invite token is already taken, and — for quick play (`guard` = '1') — 2 when its pool
 * already has an open lobby other than the ids listed after the guard: the check and the insert are
 * one step, so of many quick players who found nothing open at once only one creates.
 */
export const INSERT_LOBBY = defineScript({
  NUMBER_OF_KEYS: 5,
  SCRIPT: `
    if ARGV[5] == '1' then
      local open = redis.call('ZCARD', KEYS[5])
      for i = 6, #ARGV do
        if redis.call('ZSCORE', KEYS[5], ARGV[i]) then open = open - 1 end
      end
      if open > 0 then return 2 end
    end
    if redis.call('EXISTS', KEYS[1], KEYS[2], KEYS[3]) > 0 then return 0 end
    redis.call('SET', KEYS[1], ARGV[2])
    redis.call('SET', KEYS[2], ARGV[1])
    redis.call('SET', KEYS[3], ARGV[1])
    if ARGV[3] == '1' then redis.call('SADD', KEYS[4], ARGV[1]) end
    if ARGV[4] ~= '' then redis.call('ZADD', KEYS[5], ARGV[4], ARGV[1]) end
    return 1
  `,
  parseCommand(
    parser: CommandParser,
    keys: LobbyKeySet,
    id: string,
    json: string,
    indexing: LobbyIndexing,
    unlessOpen: readonly string[] | null,
  ) {
    pushLobbyKeys(parser, keys);
    parser.push(id, json, ...indexArgs(indexing), unlessOpen ? '1' : '0', ...(unlessOpen ?? []));
  },
  transformReply: (reply: unknown) =>
    (reply === 1 ? 'inserted' : reply === 2 ? 'open-exists' : 'taken') as
      'inserted' | 'open-exists' | 'taken',
});

/**
 * Compare-and-set of one lobby: writes the next state (or deletes the lobby with its indexes, when
 * the next state is empty) only if the stored JSON is still exactly the one the caller read. A new
 * invite token (a ban, or the host's rotation) moves the invite index in the same step; a token
 * that is already taken makes it reply 0 like a lost race. The quick-play open sets follow the state.
 * Replies 1 when committed, 0 when someone else changed or deleted the lobby in between.
 *
 * Why not WATCH/MULTI/EXEC: WATCH belongs to a connection, and this store multiplexes every caller
 * over one connection, so two concurrent updates would clear each other's watches. A script runs
 * alone on the server and needs no per-caller connection.
 */
export const COMMIT_LOBBY = defineScript({
  NUMBER_OF_KEYS: 7,
  SCRIPT: `
    if redis.call('GET', KEYS[1]) ~= ARGV[2] then return 0 end
    if ARGV[3] ~= '' and KEYS[6] ~= KEYS[3] and redis.call('EXISTS', KEYS[6]) == 1 then return 0 end
    redis.call('ZREM', KEYS[5], ARGV[1])
    if ARGV[3] == '' then
      redis.call('DEL', KEYS[1])
      if redis.call('GET', KEYS[2]) == ARGV[1] then redis.call('DEL', KEYS[2]) end
      if redis.call('GET', KEYS[3]) == ARGV[1] then redis.call('DEL', KEYS[3]) end
      redis.call('SREM', KEYS[4], ARGV[1])
      return 1
    end
    redis.call('SET', KEYS[1], ARGV[3])
    if KEYS[6] ~= KEYS[3] then
      if redis.call('GET', KEYS[3]) == ARGV[1] then redis.call('DEL', KEYS[3]) end
      redis.call('SET', KEYS[6], ARGV[1])
    end
    if ARGV[4] == '1' then
      redis.call('SADD', KEYS[4], ARGV[1])
    else
      redis.call('SREM', KEYS[4], ARGV[1])
    end
    if ARGV[5] ~= '' then redis.call('ZADD', KEYS[7], ARGV[5], ARGV[1]) end
    return 1
  `,
  parseCommand(
    parser: CommandParser,
    keys: CommitKeySet,
    id: string,
    expectedJson: string,
    next: { json: string; indexing: LobbyIndexing } | null,
  ) {
    pushLobbyKeys(parser, keys);
    parser.pushKeys([keys.nextInvite, keys.nextOpen]);
    parser.push(id, expectedJson, next ? next.json : '', ...(next ? indexArgs(next.indexing) : ['0', '']));
  },
  transformReply: (reply: unknown) => reply === 1,
});
