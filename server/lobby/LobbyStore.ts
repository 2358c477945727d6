import type { Result } from '../../lib/protocol';
import type { Lobby } from './types';

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
  /** Every lobby; for the janitor's sweep, not for request paths. */
  listAll(): Promise<Lobby[]>;
  /** Resolves when the backing service answers; /healthz calls it. Absent for in-process stores. */
  ping?(): Promise<void>;
  close(): Promise<void>;
}
