import type { LobbyView } from '../../protocol';

/**
 * Who runs the game's simulation. The lobby host while present, else the first *present* member in
 * join order. (The server already hands the host role to a present member when the host drops, and
 * back on resume; this also covers a lobby whose every other member is dropped.) Every page computes
 * this from the same lobby view, so all agree without a message of their own.
 */
export function gameAuthority(lobby: LobbyView): string | null {
  const present = lobby.members.filter((m) => m.presence === 'present');
  if (present.some((m) => m.id === lobby.hostId)) return lobby.hostId;
  return present[0]?.id ?? null;
}
