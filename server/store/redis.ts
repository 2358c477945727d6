import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import { DEFAULT_GAME, ErrorCode, fail, type Result } from '../../lib/protocol';
import type { Lobby } from '../lobby/types';
import { StoreUnavailableError } from './errors';
import { isOpenForQuickPlay, poolOf, type QuickPlayPool } from '../lobby/quickPlay';
import type { InsertUnlessOpen, LobbyStore } from '../lobby/LobbyStore';
import { parseLobbyRecord } from './lobbyRecord';
import { createStoreClient, toStoreError, type StoreClient } from './redisClient';
import { DEFAULT_KEY_PREFIX, redisKeys, type RedisKeys } from './redisKeys';
import type { LobbyIndexing, LobbyKeySet } from './redisScripts';

/** Longest wait for one round trip; past it the operation fails with reason 'timeout' (R10: ~1 s). */
export const STORE_COMMAND_DEADLINE_MS = 1_000;
/** How long `connect` waits for the first connection before giving up. */
export const STORE_STARTUP_TIMEOUT_MS = 5_000;
/**
 * Optimistic update rounds before giving up with reason 'contention'. Each round commits at least one
 * contender, so this bounds the contenders on one lobby (≤ MAX_LOBBY_SIZE players acting at once).
 */
export const MAX_UPDATE_ATTEMPTS = 50;
/** After losing a round, wait a random 0..min(2^attempt, cap) ms so contenders spread out. */
const CONFLICT_BACKOFF_CAP_MS = 16;

export interface RedisLobbyStoreOptions {
  url: string;
  /** Namespace for every key; lets tests and separate deployments share one redis-server. */
  keyPrefix?: string;
  /** Connection losses and recoveries are logged here (once per transition, not per retry). */
  logger?: Pick<Logger, 'warn' | 'info'>;
}

/** Where the store's connection is; logged on transitions. */
type Link = 'connecting' | 'ready' | 'down' | 'closed';

/**
 * Lobbies in Redis, shared by every app instance. Reads are plain GETs; every write is a Lua script,
 * so a write and its index changes happen together; `update` is optimistic (read, apply `fn`,
 * compare-and-set, retry on a lost race), so it is atomic across processes (R6).
 */
export class RedisLobbyStore implements LobbyStore {
  private link: Link = 'connecting';
  private lastError: unknown;

  private constructor(
    private readonly client: StoreClient,
    private readonly keys: RedisKeys,
    private readonly log: Pick<Logger, 'warn' | 'info'> | undefined,
  ) {
    // Without an 'error' listener node-redis would crash the process on the first lost connection.
    client.on('error', (err: unknown) => {
      this.lastError = err;
      this.moveTo('down', err);
    });
    client.on('ready', () => this.moveTo('ready'));
  }

  /** Connects and resolves once Redis answers; rejects with StoreUnavailableError if it never does. */
  static async connect(opts: RedisLobbyStoreOptions): Promise<RedisLobbyStore> {
    const client = createStoreClient(opts.url);
    const store = new RedisLobbyStore(client, redisKeys(opts.keyPrefix ?? DEFAULT_KEY_PREFIX), opts.logger);
    try {
      await withDeadline(client.connect(), STORE_STARTUP_TIMEOUT_MS);
      return store;
    } catch (err) {
      await store.close();
      // Never connected: say so, with the last connection error rather than our own deadline.
      throw new StoreUnavailableError('unreachable', { cause: store.lastError ?? err });
    }
  }

  async insert(lobby: Lobby): Promise<boolean> {
    const json = JSON.stringify(lobby);
    return (
      (await this.call(() =>
        this.client.insertLobby(this.keySet(lobby), lobby.id, json, indexing(lobby), null),
      )) === 'inserted'
    );
  }

  insertUnlessOpen(lobby: Lobby, skip: readonly string[]): Promise<InsertUnlessOpen> {
    const json = JSON.stringify(lobby);
    return this.call(() =>
      this.client.insertLobby(this.keySet(lobby), lobby.id, json, indexing(lobby), skip),
    );
  }

  async listOpen(pool: QuickPlayPool, limit: number): Promise<Lobby[]> {
    const ids = await this.call(() =>
      this.client.zRange(this.keys.open(pool), '+inf', '-inf', {
        BY: 'SCORE',
        REV: true,
        LIMIT: { offset: 0, count: limit },
      }),
    );
    if (ids.length === 0) return [];
    const jsons = await this.call(() => this.client.mGet(ids.map((id) => this.keys.lobby(id))));
    // An id whose record is gone is not a lobby any more (ids are never reused): its entry can only be
    // left over from a writer that did not keep the open sets (an older build, an operator's DEL), and
    // it would make every quick-play create in this pool answer 'open-exists'. Dropped here.
    const gone = ids.filter((_, i) => jsons[i] === null);
    if (gone.length > 0) await this.call(() => this.client.zRem(this.keys.open(pool), gone));
    // Read in two steps: a lobby may have changed in between; the join re-checks on its own snapshot.
    return jsons.filter((json): json is string => json !== null).map(parseLobbyRecord);
  }

  async get(id: string): Promise<Lobby | null> {
    const json = await this.call(() => this.client.get(this.keys.lobby(id)));
    return json === null ? null : parseLobbyRecord(json);
  }

  idByCode(code: string): Promise<string | null> {
    return this.call(() => this.client.get(this.keys.code(code)));
  }

  idByInvite(token: string): Promise<string | null> {
    return this.call(() => this.client.get(this.keys.invite(token)));
  }

  async update(id: string, fn: (lobby: Lobby) => Result<Lobby | null>): Promise<Result<Lobby | null>> {
    for (let attempt = 0; attempt < MAX_UPDATE_ATTEMPTS; attempt++) {
      const json = await this.call(() => this.client.get(this.keys.lobby(id)));
      if (json === null) return fail(ErrorCode.NOT_FOUND);
      const current = parseLobbyRecord(json);
      const result = fn(current);
      // A refusal was decided on a consistent snapshot (one GET): nothing to write, nothing to retry.
      if (!result.ok) return result;
      const next = result.data;
      if (next) assertSameIdentity(current, next);
      const committed = await this.call(() =>
        this.client.commitLobby(
          {
            ...this.keySet(current),
            nextInvite: this.keys.invite((next ?? current).inviteToken),
            nextOpen: this.keys.open(poolOf(next ?? current)),
          },
          id,
          json,
          next ? { json: JSON.stringify(next), indexing: indexing(next) } : null,
        ),
      );
      if (committed) return result;
      await sleep(Math.random() * Math.min(2 ** attempt, CONFLICT_BACKOFF_CAP_MS));
    }
    throw new StoreUnavailableError('contention');
  }

  async listPublic(game: string = DEFAULT_GAME): Promise<Lobby[]> {
    const ids = await this.call(() => this.client.sMembers(this.keys.publicSet(game)));
    if (ids.length === 0) return [];
    const jsons = await this.call(() => this.client.mGet(ids.map((id) => this.keys.lobby(id))));
    // A lobby deleted between the two reads comes back null; visibility is re-checked on the record.
    return jsons
      .filter((json): json is string => json !== null)
      .map(parseLobbyRecord)
      .filter((lobby) => lobby.visibility === 'public' && lobby.game === game);
  }

  async listAll(): Promise<Lobby[]> {
    const ids: string[] = [];
    // SCAN, not KEYS: never blocks Redis, whatever the number of lobbies.
    for await (const batch of this.client.scanIterator({ MATCH: this.keys.lobby('*'), COUNT: 500 }))
      ids.push(...batch);
    if (ids.length === 0) return [];
    const jsons = await this.call(() => this.client.mGet(ids));
    return jsons.filter((json): json is string => json !== null).map(parseLobbyRecord);
  }

  async ping(): Promise<void> {
    await this.call(() => this.client.ping());
  }

  async close(): Promise<void> {
    if (this.link === 'closed') return;
    const wasReady = this.client.isReady;
    this.link = 'closed';
    // QUIT politely when connected; while down there is nothing to wait for.
    if (wasReady) await this.client.close().catch(() => this.client.destroy());
    else if (this.client.isOpen) this.client.destroy();
  }

  private keySet(lobby: Lobby): LobbyKeySet {
    return {
      lobby: this.keys.lobby(lobby.id),
      code: this.keys.code(lobby.code),
      invite: this.keys.invite(lobby.inviteToken),
      publicSet: this.keys.publicSet(lobby.game),
      open: this.keys.open(poolOf(lobby)),
    };
  }

  /** One round trip, bounded in time, failing with the store's error vocabulary. */
  private async call<T>(command: () => Promise<T>): Promise<T> {
    if (this.link === 'closed') throw new StoreUnavailableError('unreachable');
    try {
      return await withDeadline(command(), STORE_COMMAND_DEADLINE_MS);
    } catch (err) {
      throw toStoreError(err);
    }
  }

  private moveTo(link: 'ready' | 'down', err?: unknown) {
    if (this.link === link || this.link === 'closed') return;
    const was = this.link;
    this.link = link;
    if (link === 'down')
      this.log?.warn({ err }, 'redis lobby store: connection lost, failing fast until it is back');
    else if (was === 'down') this.log?.info('redis lobby store: connection restored');
  }
}

const indexing = (lobby: Lobby): LobbyIndexing => ({
  isPublic: lobby.visibility === 'public',
  openScore: isOpenForQuickPlay(lobby) ? lobby.members.length : null,
});

/**
 * The id and code index keys (and the game's public set) are written once, at insert: a command that changed them would orphan
 * them. The invite token may change (COMMIT_LOBBY moves its index).
 */
function assertSameIdentity(current: Lobby, next: Lobby) {
  if (next.id !== current.id || next.code !== current.code || next.game !== current.game) {
    throw new Error('a lobby update may not change its id, code or game');
  }
}

function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StoreUnavailableError('timeout')), ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}
