import type { Result } from '../../lib/protocol';
import type { QuickPlayPool } from './quickPlay';
import type { Lobby } from './types';

/** What `insertUnlessOpen` did: inserted, refused because an open lobby exists, or its code/invite is taken. */
export type InsertUnlessOpen = 'inserted' | 'open-exists' | 'taken';

/**
 * Where lobbies live. Every mutation goes through `update`, which must be atomic per lobby: the
 * memory store is trivially so on one event loop; the Redis store retries on concurrent writes.
 */
export interface LobbyStore {
  /** Inserts a new lobby; false if its code is taken (the caller draws another). */
  insert(lobby: Lobby): Promise<boolean>;
  get(id: string): Promise<Lobby | null>;
  idByCode(code: string): Promise<string | null>;
  idByInvite(token: string): Promise<string | null>;
  /**
   * Applies `fn` atomically. `fn` returns the next lobby, `null` to delete it, or an error (nothing
   * changes). A lobby that does not exist yields NOT_FOUND.
   */
  update(id: string, fn: (lobby: Lobby) => Result<Lobby | null>): Promise<Result<Lobby | null>>;
  /** The public lobbies of one game (DEFAULT_GAME when left out). */
  listPublic(game?: string): Promise<Lobby[]>;
  /**
   * Quick play's candidates: the lobbies of `pool` open for quick play (isOpenForQuickPlay), fullest
   * first, at most `limit`.
   */
  listOpen(pool: QuickPlayPool, limit: number): Promise<Lobby[]>;
  /**
   * Inserts `lobby` only if its pool has no open lobby other than those in `skip` (lobbies that refused
   * this player). Check and insert are one atomic step, across every instance sharing the store: of
   * many quick players finding nothing open at once, one creates and the others find its lobby.
   */
  insertUnlessOpen(lobby: Lobby, skip: readonly string[]): Promise<InsertUnlessOpen>;
  /** Every lobby; for the janitor's sweep, not for request paths. */
  listAll(): Promise<Lobby[]>;
  /** Resolves when the backing service answers; /healthz calls it. Absent for in-process stores. */
  ping?(): Promise<void>;
  close(): Promise<void>;
}
