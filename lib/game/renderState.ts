/** What the renderer draws: plain data, produced by GameClient.renderState(now). */
import type { PuckSample } from './interpolation';
import type { Phase } from './types';

export interface RenderPuck extends PuckSample {
  slot: number;
  color: string;
  nickname: string;
  isSelf: boolean;
  /** Recent positions while dashing, oldest first (for the trail). */
  trail: { x: number; y: number }[];
}

export interface RenderBurst {
  x: number;
  y: number;
  color: string;
  /** Milliseconds since the knockout. */
  ageMs: number;
  seed: number;
}

export interface ScoreLine {
  slot: number;
  nickname: string;
  color: string;
  score: number;
  knockouts: number;
  roundWins: number;
  isSelf: boolean;
}

export interface RenderState {
  phase: Phase;
  /** Whole seconds left in the countdown / results pause, or seconds of the round left in play. */
  secondsLeft: number;
  round: number;
  roundsTotal: number;
  arenaRadius: number;
  arenaStartRadius: number;
  shrinking: boolean;
  selfSlot: number | null;
  /** Own dash readiness in [0, 1]; 1 = ready. */
  dashReady: number;
  pucks: RenderPuck[];
  bursts: RenderBurst[];
  /** Winners of the last round (roundOver) or of the match (matchOver). */
  winners: number[];
  /** Sorted best first. */
  scoreboard: ScoreLine[];
}
