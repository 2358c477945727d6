import { DEFAULT_GAME, ErrorCode, fail, type Result } from '../../lib/protocol';
import { isOpenForQuickPlay, type QuickPlayPool } from '../lobby/quickPlay';
import type { Lobby } from '../lobby/types';
import type { InsertUnlessOpen, LobbyStore } from '../lobby/LobbyStore';

const poolKey = (pool: QuickPlayPool) => `${pool.game}/${pool.maxPlayers}`;

/** The embedded default: one process, no other service. */
export class MemoryLobbyStore implements LobbyStore {
  private readonly lobbies = new Map<string, Lobby>();
  private readonly byCode = new Map<string, string>();
  private readonly byInvite = new Map<string, string>();
  /** Per quick-play pool (game and size): the ids of its open lobbies. */
  private readonly open = new Map<string, Set<string>>();

  async insert(lobby: Lobby): Promise<boolean> {
    if (this.byCode.has(lobby.code) || this.byInvite.has(lobby.inviteToken)) return false;
    this.lobbies.set(lobby.id, lobby);
    this.byCode.set(lobby.code, lobby.id);
    this.byInvite.set(lobby.inviteToken, lobby.id);
    this.indexOpen(null, lobby);
    return true;
  }

  // The check and the insert run with no await in between: one critical section on the event loop.
  // `this.insert` (which subclasses extend) changes the maps before its first await.
  async insertUnlessOpen(lobby: Lobby, skip: readonly string[]): Promise<InsertUnlessOpen> {
    const open = this.open.get(poolKey(lobby));
    if (open && [...open].some((id) => !skip.includes(id))) return 'open-exists';
    return (await this.insert(lobby)) ? 'inserted' : 'taken';
  }

  async get(id: string) {
    return this.lobbies.get(id) ?? null;
  }

  async idByCode(code: string) {
    return this.byCode.get(code) ?? null;
  }

  async idByInvite(token: string) {
    return this.byInvite.get(token) ?? null;
  }

  // No await between read and write: atomic on the event loop.
  async update(id: string, fn: (lobby: Lobby) => Result<Lobby | null>): Promise<Result<Lobby | null>> {
    const current = this.lobbies.get(id);
    if (!current) return fail(ErrorCode.NOT_FOUND);
    const result = fn(current);
    if (!result.ok) return result;
    if (result.data === null) this.delete(current);
    else {
      if (result.data.inviteToken !== current.inviteToken) {
        // 128 random bits: a clash is not going to happen, but an index must never point elsewhere.
        if (this.byInvite.has(result.data.inviteToken)) return fail(ErrorCode.UNAVAILABLE);
        this.byInvite.delete(current.inviteToken);
        this.byInvite.set(result.data.inviteToken, id);
      }
      this.lobbies.set(id, result.data);
      this.indexOpen(current, result.data);
    }
    return result;
  }

  async listPublic(game: string = DEFAULT_GAME) {
    return [...this.lobbies.values()].filter((l) => l.visibility === 'public' && l.game === game);
  }

  async listOpen(pool: QuickPlayPool, limit: number) {
    const ids = [...(this.open.get(poolKey(pool)) ?? [])];
    const lobbies = ids.map((id) => this.lobbies.get(id)).filter((l): l is Lobby => l !== undefined);
    return lobbies.sort((a, b) => b.members.length - a.members.length).slice(0, limit);
  }

  async listAll() {
    return [...this.lobbies.values()];
  }

  async close() {
    this.lobbies.clear();
    this.byCode.clear();
    this.byInvite.clear();
    this.open.clear();
  }

  private delete(lobby: Lobby) {
    this.lobbies.delete(lobby.id);
    this.byCode.delete(lobby.code);
    this.byInvite.delete(lobby.inviteToken);
    this.indexOpen(lobby, null);
  }

  /** Moves a lobby between pools' open sets as it changes (size, visibility, lock, phase, members). */
  private indexOpen(before: Lobby | null, after: Lobby | null) {
    if (before) {
      const key = poolKey(before);
      const set = this.open.get(key);
      set?.delete(before.id);
      if (set?.size === 0) this.open.delete(key);
    }
    if (after && isOpenForQuickPlay(after)) {
      const key = poolKey(after);
      const set = this.open.get(key) ?? new Set<string>();
      set.add(after.id);
      this.open.set(key, set);
    }
  }
}
