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
}

/** An update's keys: the lobby's current ones, and its invite key after the update (the same unless rotated). */
export interface CommitKeySet extends LobbyKeySet {
  nextInvite: string;
}

const pushLobbyKeys = (parser: CommandParser, k: LobbyKeySet) => parser.pushKeys([k.lobby, k.code, k.invite, k.publicSet]);

/**
 * Creates a lobby and its indexes in one step, or nothing at all if its id, code or invite token is
 * already taken. Replies 1 when created, 0 on a collision.
 */
export const INSERT_LOBBY = defineScript({
  NUMBER_OF_KEYS: 4,
  SCRIPT: `
    if redis.call('EXISTS', KEYS[1], KEYS[2], KEYS[3]) > 0 then return 0 end
    redis.call('SET', KEYS[1], ARGV[2])
    redis.call('SET', KEYS[2], ARGV[1])
    redis.call('SET', KEYS[3], ARGV[1])
    if ARGV[3] == '1' then redis.call('SADD', KEYS[4], ARGV[1]) end
    return 1
  `,
  parseCommand(parser: CommandParser, keys: LobbyKeySet, id: string, json: string, isPublic: boolean) {
    pushLobbyKeys(parser, keys);
    parser.push(id, json, isPublic ? '1' : '0');
  },
  transformReply: (reply: unknown) => reply === 1,
});

/**
 * Compare-and-set of one lobby: writes the next state (or deletes the lobby with its indexes, when
 * the next state is empty) only if the stored JSON is still exactly the one the caller read. A new
 * invite token (a ban, or the host's rotation) moves the invite index in the same step; a token
 * that is already taken makes it reply 0 like a lost race.
 * Replies 1 when committed, 0 when someone else changed or deleted the lobby in between.
 *
 * Why not WATCH/MULTI/EXEC: WATCH belongs to a connection, and this store multiplexes every caller
 * over one connection, so two concurrent updates would clear each other's watches. A script runs
 * alone on the server and needs no per-caller connection.
 */
export const COMMIT_LOBBY = defineScript({
  NUMBER_OF_KEYS: 5,
  SCRIPT: `
    if redis.call('GET', KEYS[1]) ~= ARGV[2] then return 0 end
    if ARGV[3] ~= '' and KEYS[5] ~= KEYS[3] and redis.call('EXISTS', KEYS[5]) == 1 then return 0 end
    if ARGV[3] == '' then
      redis.call('DEL', KEYS[1])
      if redis.call('GET', KEYS[2]) == ARGV[1] then redis.call('DEL', KEYS[2]) end
      if redis.call('GET', KEYS[3]) == ARGV[1] then redis.call('DEL', KEYS[3]) end
      redis.call('SREM', KEYS[4], ARGV[1])
      return 1
    end
    redis.call('SET', KEYS[1], ARGV[3])
    if KEYS[5] ~= KEYS[3] then
      if redis.call('GET', KEYS[3]) == ARGV[1] then redis.call('DEL', KEYS[3]) end
      redis.call('SET', KEYS[5], ARGV[1])
    end
    if ARGV[4] == '1' then
      redis.call('SADD', KEYS[4], ARGV[1])
    else
      redis.call('SREM', KEYS[4], ARGV[1])
    end
    return 1
  `,
  parseCommand(
    parser: CommandParser,
    keys: CommitKeySet,
    id: string,
    expectedJson: string,
    next: { json: string; isPublic: boolean } | null,
  ) {
    pushLobbyKeys(parser, keys);
    parser.pushKey(keys.nextInvite);
    parser.push(id, expectedJson, next ? next.json : '', next?.isPublic ? '1' : '0');
  },
  transformReply: (reply: unknown) => reply === 1,
});
