import type { LobbyView } from '../../protocol';

/**
 * Who runs the game's simulation. The lobby host while present, else the first *present* member in
 * join order. (The server already hands the host role to a present member when the host drops, and
 * back on resume; this also covers a lobby whose every other member is dropped.) Every page computes
 * this from the same lobby view, so all agree without a message of their own.
 *
 * `stalled`: members this page saw stop simulating while the server still counts them present (a frozen
 * or suspended page keeps its socket for a while). They are passed over like dropped members; every
 * page sees the same silence at the same time, so they agree on the next one (see GameSession).
 *
 * `heard`: members the server counts dropped but whose snapshots this page still receives — it lost only
 * the server (a restart): the game's own evidence that they simulate beats the server's presence.
 */
export function gameAuthority(
  lobby: LobbyView,
  stalled: ReadonlySet<string> = new Set(),
  heard: ReadonlySet<string> = new Set(),
): string | null {
  const present = lobby.members.filter((m) => m.presence === 'present' || heard.has(m.id));
  // Passing everyone over would stop the game for sure; a guess that leaves nobody is ignored.
  const awake = present.some((m) => !stalled.has(m.id)) ? present.filter((m) => !stalled.has(m.id)) : present;
  if (awake.some((m) => m.id === lobby.hostId)) return lobby.hostId;
  return awake[0]?.id ?? null;
}
