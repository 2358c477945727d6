import { ROUNDS_PER_MATCH } from '../../game/constants';

/**
 * Test-only switch: `localStorage['peerlobby.debug.rounds']` = a number of rounds per match (1..N),
 * read by the page that creates a match, so browser tests reach the results screen in seconds.
 * Absent or invalid → the normal ROUNDS_PER_MATCH.
 */
export function debugRoundsPerMatch(): number {
  try {
    const raw = window.localStorage.getItem('peerlobby.debug.rounds');
    const n = raw === null ? NaN : Number(raw);
    return Number.isInteger(n) && n >= 1 && n <= ROUNDS_PER_MATCH ? n : ROUNDS_PER_MATCH;
  } catch {
    return ROUNDS_PER_MATCH;
  }
}
