/**
 * Which games this server hosts (config GAMES). A lobby of any other game cannot be created, joined or
 * browsed here: the answer is UNKNOWN_GAME.
 */
export interface GamePolicy {
  accepts(game: string): boolean;
}

/** `'*'`: any game (any valid slug); a list: exactly those. */
export function gamePolicy(games: '*' | readonly string[]): GamePolicy {
  if (games === '*') return { accepts: () => true };
  const allowed = new Set(games);
  return { accepts: (game) => allowed.has(game) };
}
