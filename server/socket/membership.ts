import { ErrorCode } from '../../lib/protocol';
import type { Lobby } from '../lobby/types';

/**
 * Per-process map lobbyId → member ids, so the signal hot path checks membership without a store
 * read. It is written wherever the lobby handlers broadcast `lobby:state` (every membership change
 * goes through there) and when a lobby is deleted. With several nodes each node only sees its own
 * broadcasts: the multi-node adapter must feed `update` from its inter-server lobby events too.
 */
export class Membership {
  private readonly lobbies = new Map<string, { version: number; members: ReadonlySet<string> }>();

  update(lobby: Lobby) {
    this.set(
      lobby.id,
      lobby.version,
      lobby.members.map((m) => m.id),
    );
  }

  /** From this process's broadcasts or another instance's (server-side events). */
  set(lobbyId: string, version: number, memberIds: readonly string[]) {
    // Broadcasts of concurrent commands can finish out of order (async stores); never go back.
    const known = this.lobbies.get(lobbyId);
    if (known && known.version >= version) return;
    this.lobbies.set(lobbyId, { version, members: new Set(memberIds) });
  }

  delete(lobbyId: string) {
    this.lobbies.delete(lobbyId);
  }

  /** Null when `from` may send to `to`; otherwise the error to answer. */
  check(lobbyId: string, from: string, to: string): ErrorCode | null {
    const members = this.lobbies.get(lobbyId)?.members;
    if (!members?.has(from)) return ErrorCode.NOT_IN_LOBBY;
    if (to === from || !members.has(to)) return ErrorCode.PEER_NOT_FOUND;
    return null;
  }

  get size() {
    return this.lobbies.size;
  }
}
