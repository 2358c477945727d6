import { COUNTDOWN_TICKS } from '../../lib/game/constants';
import { nextRandom } from '../../lib/game/rng';
import { createMatch, step } from '../../lib/game/sim';
import type { GameEvent, GameState, PlayerInput, Puck } from '../../lib/game/types';

/** A reproducible stream of plausible inputs for `slots`. */
export function randomInputs(seed: number) {
  let rng = seed;
  const rand = () => {
    const r = nextRandom(rng);
    rng = r.state;
    return r.value;
  };
  return (slots: readonly number[]): Map<number, PlayerInput> =>
    new Map(slots.map((s) => [s, { x: rand() * 2 - 1, y: rand() * 2 - 1, dash: rand() < 0.05 }]));
}

export function runTicks(
  state: GameState,
  ticks: number,
  inputsFor: (s: GameState) => Map<number, PlayerInput> = () => new Map(),
) {
  const events: GameEvent[] = [];
  let s = state;
  for (let i = 0; i < ticks; i++) {
    const r = step(s, inputsFor(s));
    s = r.state;
    events.push(...r.events);
  }
  return { state: s, events };
}

/** A match already past its countdown. */
export function playing(slots: number[], seed = 7): GameState {
  return runTicks(createMatch({ seed, slots }), COUNTDOWN_TICKS).state;
}

export function puck(s: GameState, slot: number): Puck {
  const p = s.players.find((q) => q.slot === slot);
  if (!p) throw new Error(`no puck ${slot}`);
  return p;
}

/** Copy with some pucks moved/re-aimed (test setup only). */
export function place(s: GameState, changes: Record<number, Partial<Puck>>): GameState {
  return { ...s, players: s.players.map((p) => ({ ...p, ...(changes[p.slot] ?? {}) })) };
}
