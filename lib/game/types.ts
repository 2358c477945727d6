/** Ring Out simulation state. Plain data only: structured-cloneable and deep-comparable. */

export type Phase = 'countdown' | 'play' | 'roundOver' | 'matchOver';
export const PHASES: readonly Phase[] = ['countdown', 'play', 'roundOver', 'matchOver'];

/** `alive`: in the ring; `out`: fell this round; `spectator`: joined mid-round, plays from the next. */
export type PuckStatus = 'alive' | 'out' | 'spectator';
export const PUCK_STATUSES: readonly PuckStatus[] = ['alive', 'out', 'spectator'];

/** One tick of one player's controls. x, y in [-1, 1] (integers/127 on the wire). */
export interface PlayerInput {
  x: number;
  y: number;
  /** Dash pressed on this tick (an edge, not a held button). */
  dash: boolean;
}
export const NEUTRAL_INPUT: PlayerInput = Object.freeze({ x: 0, y: 0, dash: false });

/** `NO_SLOT` marks "nobody" in slot-valued fields. */
export const NO_SLOT = 255;

export interface Puck {
  slot: number;
  status: PuckStatus;
  x: number;
  y: number;
  vx: number;
  vy: number;
  dashCooldownTicks: number;
  dashActiveTicks: number;
  lastHitBy: number;
  lastHitAgeTicks: number;
  score: number;
  knockouts: number;
  roundWins: number;
}

export interface GameState {
  tick: number;
  phase: Phase;
  /** Ticks left in countdown / roundOver; ticks elapsed in play; unused in matchOver. */
  phaseTicks: number;
  round: number;
  roundsTotal: number;
  arenaRadius: number;
  /** mulberry32 state; the only source of randomness. */
  rng: number;
  /** Slot bitmask of the last finished round's winners (for the results screen). */
  lastWinners: number;
  /** Sorted by slot. */
  players: Puck[];
}

export type GameEvent =
  | { type: 'roundStart'; round: number; roundsTotal: number }
  | { type: 'knockout'; victim: number; by: number | null }
  | { type: 'roundEnd'; round: number; winners: number[] }
  | { type: 'matchEnd'; winners: number[] };

/** Inputs for one tick keyed by slot; a missing slot means neutral input. */
export type TickInputs = ReadonlyMap<number, PlayerInput>;

export interface StepResult {
  state: GameState;
  events: GameEvent[];
}
