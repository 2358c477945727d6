import type { LobbySummary, LobbyView } from '../../lib/protocol';
import { isFull } from './lobby';
import type { Lobby } from './types';

/** The member-facing view: no device ids, no ban lists. */
export function toLobbyView(lobby: Lobby): LobbyView {
  return {
    id: lobby.id,
    game: lobby.game,
    code: lobby.code,
    inviteToken: lobby.inviteToken,
    name: lobby.name,
    visibility: lobby.visibility,
    maxPlayers: lobby.maxPlayers,
    locked: lobby.locked,
    phase: lobby.phase,
    hostId: lobby.hostId,
    meta: lobby.meta,
    members: lobby.members.map((m) => ({
      id: m.id,
      nickname: m.nickname,
      ready: m.ready,
      presence: m.presence.kind,
      joinedAt: m.joinedAt,
      meta: m.meta,
    })),
    version: lobby.version,
  };
}

/** A public browser row, or null: private lobbies are never listed. */
export function toSummary(lobby: Lobby): LobbySummary | null {
  if (lobby.visibility !== 'public') return null;
  const host = lobby.members.find((m) => m.id === lobby.hostId);
  return {
    code: lobby.code,
    name: lobby.name,
    hostName: host?.nickname ?? '',
    players: lobby.members.length,
    maxPlayers: lobby.maxPlayers,
    status: lobby.phase === 'in-game' ? 'in-game' : lobby.locked ? 'locked' : isFull(lobby) ? 'full' : 'open',
  };
}
