/**
 * Ring Out simulation: a pure, deterministic function of (state, inputs). No Math.random, no clocks,
 * no I/O. Every tick ends by quantizing positions and velocities to the snapshot grid, so the host's
 * state is exactly what a snapshot carries and a new host can continue from one without drift.
 */
import {
  ARENA_MIN_RADIUS_U,
  ARENA_START_RADIUS_U,
  BUMP_BONUS_U_S,
  COUNTDOWN_TICKS,
  DASH_ACTIVE_TICKS,
  DASH_COOLDOWN_TICKS,
  DASH_IMPULSE_U_S,
  DASH_MASS,
  DRAG_PER_S,
  KO_CREDIT_TICKS,
  MAX_PLAYERS,
  MIN_PLAYERS,
  MOVE_ACCEL_U_S2,
  POINTS_PER_KO,
  POINTS_PER_ROUND_WIN,
  POS_SCALE,
  PUCK_RADIUS_U,
  RESTITUTION,
  ROUNDS_PER_MATCH,
  ROUND_MAX_TICKS,
  ROUND_OVER_TICKS,
  SHRINK_END_TICKS,
  SHRINK_START_TICKS,
  SPAWN_RADIUS_FRACTION,
  STOP_SPEED_U_S,
  TICK_DT_S,
} from './constants';
import { assertNever } from '../protocol/errors';
import { clamp, quantizePos, quantizeVel, sinCosTurns } from './math';
import { nextRandom } from './rng';
import {
  NEUTRAL_INPUT,
  NO_SLOT,
  type GameEvent,
  type GameState,
  type PlayerInput,
  type Puck,
  type StepResult,
  type TickInputs,
} from './types';

const MAX_HIT_AGE_TICKS = 255;

export function cloneState(s: GameState): GameState {
  return { ...s, players: s.players.map((p) => ({ ...p })) };
}

function newPuck(slot: number, status: Puck['status']): Puck {
  return {
    slot,
    status,
    x: 0,
    y: 0,
    vx: 0,
    vy: 0,
    dashCooldownTicks: 0,
    dashActiveTicks: 0,
    lastHitBy: NO_SLOT,
    lastHitAgeTicks: MAX_HIT_AGE_TICKS,
    score: 0,
    knockouts: 0,
    roundWins: 0,
  };
}

function isValidSlot(slot: number): boolean {
  return Number.isInteger(slot) && slot >= 0 && slot < MAX_PLAYERS;
}

/** A new match: round 1 counting down with every given slot in the ring. */
export function createMatch(opts: {
  seed: number;
  slots: readonly number[];
  roundsTotal?: number;
}): GameState {
  const slots = [...new Set(opts.slots.filter(isValidSlot))].sort((a, b) => a - b);
  const state: GameState = {
    tick: 0,
    phase: 'countdown',
    phaseTicks: COUNTDOWN_TICKS,
    round: 1,
    roundsTotal: opts.roundsTotal ?? ROUNDS_PER_MATCH,
    arenaRadius: ARENA_START_RADIUS_U,
    rng: opts.seed >>> 0,
    lastWinners: 0,
    players: slots.map((slot) => newPuck(slot, 'alive')),
  };
  layoutRound(state);
  return state;
}

/** Everyone present enters the ring at evenly spaced spawns; rotation and order come from the PRNG. */
function layoutRound(s: GameState): void {
  s.arenaRadius = ARENA_START_RADIUS_U;
  s.phase = 'countdown';
  s.phaseTicks = COUNTDOWN_TICKS;
  const order = s.players.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const r = nextRandom(s.rng);
    s.rng = r.state;
    const j = Math.floor(r.value * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const r = nextRandom(s.rng);
  s.rng = r.state;
  const spawnRadius = ARENA_START_RADIUS_U * SPAWN_RADIUS_FRACTION;
  order.forEach((playerIndex, k) => {
    const p = s.players[playerIndex]!;
    const { sin, cos } = sinCosTurns(r.value + k / order.length);
    Object.assign(p, {
      status: 'alive',
      x: quantizePos(cos * spawnRadius),
      y: quantizePos(sin * spawnRadius),
      vx: 0,
      vy: 0,
      dashCooldownTicks: 0,
      dashActiveTicks: 0,
      lastHitBy: NO_SLOT,
      lastHitAgeTicks: MAX_HIT_AGE_TICKS,
    } satisfies Partial<Puck>);
  });
}

/** Arena radius after `playTicks` of play, on the position grid. */
export function arenaRadiusAt(playTicks: number): number {
  if (playTicks <= SHRINK_START_TICKS) return ARENA_START_RADIUS_U;
  if (playTicks >= SHRINK_END_TICKS) return ARENA_MIN_RADIUS_U;
  const f = (playTicks - SHRINK_START_TICKS) / (SHRINK_END_TICKS - SHRINK_START_TICKS);
  const r = ARENA_START_RADIUS_U + (ARENA_MIN_RADIUS_U - ARENA_START_RADIUS_U) * f;
  return Math.round(r * POS_SCALE) / POS_SCALE;
}

const participants = (s: GameState) => s.players.filter((p) => p.status !== 'spectator').length;
const alive = (s: GameState) => s.players.filter((p) => p.status === 'alive');

/**
 * A player joins. During a countdown, or while fewer than two are playing, they enter at once (the
 * round restarts its countdown); otherwise they watch until the next round.
 */
export function addPlayer(state: GameState, slot: number): GameState {
  if (!isValidSlot(slot) || state.players.some((p) => p.slot === slot)) return state;
  const s = cloneState(state);
  s.players.push(newPuck(slot, 'spectator'));
  s.players.sort((a, b) => a.slot - b.slot);
  const joinNow = s.phase === 'countdown' || (s.phase === 'play' && participants(state) < MIN_PLAYERS);
  if (joinNow) layoutRound(s);
  return s;
}

/** A player left: their puck disappears and nobody is credited for touching them. */
export function removePlayer(state: GameState, slot: number): GameState {
  if (!state.players.some((p) => p.slot === slot)) return state;
  const s = cloneState(state);
  s.players = s.players.filter((p) => p.slot !== slot);
  for (const p of s.players) if (p.lastHitBy === slot) p.lastHitBy = NO_SLOT;
  s.lastWinners &= ~(1 << slot);
  return s;
}

/** After matchOver: scores reset, everyone present plays round 1. */
export function rematch(state: GameState): GameState {
  if (state.phase !== 'matchOver') return state;
  const s = cloneState(state);
  s.round = 1;
  s.lastWinners = 0;
  for (const p of s.players) Object.assign(p, { score: 0, knockouts: 0, roundWins: 0 });
  layoutRound(s);
  return s;
}

function sanitize(input: PlayerInput | undefined): PlayerInput {
  if (!input) return NEUTRAL_INPUT;
  let x = Number.isFinite(input.x) ? clamp(input.x, -1, 1) : 0;
  let y = Number.isFinite(input.y) ? clamp(input.y, -1, 1) : 0;
  const len = Math.sqrt(x * x + y * y);
  if (len > 1) {
    x /= len;
    y /= len;
  }
  return { x, y, dash: input.dash === true };
}

function applyInput(p: Puck, input: PlayerInput, dt: number): void {
  if (p.dashCooldownTicks > 0) p.dashCooldownTicks--;
  if (p.dashActiveTicks > 0) p.dashActiveTicks--;
  p.vx += input.x * MOVE_ACCEL_U_S2 * dt;
  p.vy += input.y * MOVE_ACCEL_U_S2 * dt;
  if (!input.dash || p.dashCooldownTicks > 0) return;
  // Dash where the stick points, else where the puck is going; a still puck with no stick can't dash.
  let dx = input.x;
  let dy = input.y;
  let len = Math.sqrt(dx * dx + dy * dy);
  if (len < 0.2) {
    dx = p.vx;
    dy = p.vy;
    len = Math.sqrt(dx * dx + dy * dy);
    if (len < 1) return;
  }
  p.vx += (dx / len) * DASH_IMPULSE_U_S;
  p.vy += (dy / len) * DASH_IMPULSE_U_S;
  p.dashCooldownTicks = DASH_COOLDOWN_TICKS;
  p.dashActiveTicks = DASH_ACTIVE_TICKS;
}

function integrate(p: Puck, dt: number): void {
  const keep = 1 - DRAG_PER_S * dt;
  p.vx *= keep;
  p.vy *= keep;
  if (p.vx * p.vx + p.vy * p.vy < STOP_SPEED_U_S * STOP_SPEED_U_S) {
    p.vx = 0;
    p.vy = 0;
  }
  p.x += p.vx * dt;
  p.y += p.vy * dt;
}

const massOf = (p: Puck) => (p.dashActiveTicks > 0 ? DASH_MASS : 1);

/** Pairwise circle collisions in slot order (deterministic): separate, then an elastic shove. */
function collide(pucks: Puck[]): void {
  const minDist = 2 * PUCK_RADIUS_U;
  for (let i = 0; i < pucks.length; i++) {
    for (let j = i + 1; j < pucks.length; j++) {
      const a = pucks[i]!;
      const b = pucks[j]!;
      const dx = b.x - a.x;
      const dy = b.y - a.y;
      const d2 = dx * dx + dy * dy;
      if (d2 >= minDist * minDist) continue;
      const d = Math.sqrt(d2);
      // Exactly stacked pucks: pick a fixed axis rather than divide by zero.
      const nx = d > 1e-9 ? dx / d : 1;
      const ny = d > 1e-9 ? dy / d : 0;
      const ma = massOf(a);
      const mb = massOf(b);
      const overlap = minDist - d;
      a.x -= nx * overlap * (mb / (ma + mb));
      a.y -= ny * overlap * (mb / (ma + mb));
      b.x += nx * overlap * (ma / (ma + mb));
      b.y += ny * overlap * (ma / (ma + mb));
      const vn = (b.vx - a.vx) * nx + (b.vy - a.vy) * ny;
      if (vn < 0) {
        const impulse = (-(1 + RESTITUTION) * vn + BUMP_BONUS_U_S) / (1 / ma + 1 / mb);
        a.vx -= (impulse / ma) * nx;
        a.vy -= (impulse / ma) * ny;
        b.vx += (impulse / mb) * nx;
        b.vy += (impulse / mb) * ny;
      }
      a.lastHitBy = b.slot;
      a.lastHitAgeTicks = 0;
      b.lastHitBy = a.slot;
      b.lastHitAgeTicks = 0;
    }
  }
}

function slotsToMask(slots: number[]): number {
  return slots.reduce((m, s) => m | (1 << s), 0);
}

function endRound(s: GameState, winners: Puck[], events: GameEvent[]): void {
  for (const w of winners) {
    w.score += POINTS_PER_ROUND_WIN;
    w.roundWins++;
  }
  const slots = winners.map((w) => w.slot);
  s.lastWinners = slotsToMask(slots);
  s.phase = 'roundOver';
  s.phaseTicks = ROUND_OVER_TICKS;
  events.push({ type: 'roundEnd', round: s.round, winners: slots });
}

/** Highest score wins; ties share the win; nobody wins a match where nobody scored. */
export function matchWinners(s: GameState): number[] {
  const best = Math.max(0, ...s.players.map((p) => p.score));
  return s.players.filter((p) => p.score === best && best > 0).map((p) => p.slot);
}

/**
 * Advance one tick. `dt` is the physics step in seconds and should stay TICK_DT_S: timers count
 * ticks, so a different dt changes speeds but not durations.
 */
export function step(state: GameState, inputs: TickInputs, dt: number = TICK_DT_S): StepResult {
  const s = cloneState(state);
  const events: GameEvent[] = [];
  s.tick++;
  const moving = s.players.filter((p) => p.status !== 'spectator');
  switch (s.phase) {
    case 'countdown':
      if (--s.phaseTicks <= 0) {
        s.phase = 'play';
        s.phaseTicks = 0;
        events.push({ type: 'roundStart', round: s.round, roundsTotal: s.roundsTotal });
      }
      break;
    case 'play': {
      s.phaseTicks++;
      s.arenaRadius = arenaRadiusAt(s.phaseTicks);
      const inRing = moving.filter((p) => p.status === 'alive');
      for (const p of inRing) applyInput(p, sanitize(inputs.get(p.slot)), dt);
      for (const p of moving) integrate(p, dt);
      collide(inRing);
      for (const p of inRing) {
        if (p.lastHitAgeTicks < MAX_HIT_AGE_TICKS) p.lastHitAgeTicks++;
        if (p.x * p.x + p.y * p.y <= s.arenaRadius * s.arenaRadius) continue;
        p.status = 'out';
        const credited =
          p.lastHitBy !== NO_SLOT && p.lastHitAgeTicks <= KO_CREDIT_TICKS
            ? s.players.find((q) => q.slot === p.lastHitBy)
            : undefined;
        if (credited) {
          credited.score += POINTS_PER_KO;
          credited.knockouts++;
        }
        events.push({ type: 'knockout', victim: p.slot, by: credited ? credited.slot : null });
      }
      const left = alive(s);
      const roundIsOver =
        s.phaseTicks >= ROUND_MAX_TICKS ||
        left.length === 0 ||
        (participants(s) >= MIN_PLAYERS && left.length <= 1);
      if (roundIsOver) endRound(s, left, events);
      break;
    }
    case 'roundOver':
      for (const p of moving) integrate(p, dt);
      if (--s.phaseTicks <= 0) {
        if (s.round >= s.roundsTotal) {
          s.phase = 'matchOver';
          s.phaseTicks = 0;
          events.push({ type: 'matchEnd', winners: matchWinners(s) });
        } else {
          s.round++;
          layoutRound(s);
        }
      }
      break;
    case 'matchOver':
      for (const p of moving) integrate(p, dt);
      break;
    default:
      assertNever(s.phase);
  }
  for (const p of s.players) {
    p.x = quantizePos(p.x);
    p.y = quantizePos(p.y);
    p.vx = quantizeVel(p.vx);
    p.vy = quantizeVel(p.vy);
  }
  return { state: s, events };
}
