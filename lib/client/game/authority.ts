import type { LobbyView } from '../../protocol';

/**
 * Who runs the game's simulation. The lobby host while present; when the host's connection drops,
 * the first *present* member in join order at once — the lobby's host role waits for the seat grace
 * window (the host may come back), but a game cannot pause for it. Every page computes this from
 * the same lobby view, so all agree without a message of their own.
 */
export function gameAuthority(lobby: LobbyView): string | null {
  const present = lobby.members.filter((m) => m.presence === 'present');
  if (present.some((m) => m.id === lobby.hostId)) return lobby.hostId;
  return present[0]?.id ?? null;
}
