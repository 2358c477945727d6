import { DEFAULT_GAME, ErrorCode, fail, type Result } from '../../lib/protocol';
import type { Lobby } from '../lobby/types';
import type { LobbyStore } from '../lobby/LobbyStore';

/** The embedded default: one process, no other service. */
export class MemoryLobbyStore implements LobbyStore {
  private readonly lobbies = new Map<string, Lobby>();
  private readonly byCode = new Map<string, string>();
  private readonly byInvite = new Map<string, string>();

  async insert(lobby: Lobby): Promise<boolean> {
    if (this.byCode.has(lobby.code) || this.byInvite.has(lobby.inviteToken)) return false;
    this.lobbies.set(lobby.id, lobby);
    this.byCode.set(lobby.code, lobby.id);
    this.byInvite.set(lobby.inviteToken, lobby.id);
    return true;
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
    }
    return result;
  }

  async listPublic(game: string = DEFAULT_GAME) {
    return [...this.lobbies.values()].filter((l) => l.visibility === 'public' && l.game === game);
  }

  async listAll() {
    return [...this.lobbies.values()];
  }

  async close() {
    this.lobbies.clear();
    this.byCode.clear();
    this.byInvite.clear();
  }

  private delete(lobby: Lobby) {
    this.lobbies.delete(lobby.id);
    this.byCode.delete(lobby.code);
    this.byInvite.delete(lobby.inviteToken);
  }
}
