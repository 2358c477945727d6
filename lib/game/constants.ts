/**
 * Ring Out — tuning constants. Units are in the names: world units (u) are roughly CSS pixels at
 * the default zoom; time in the simulation is counted in ticks so every client agrees exactly.
 */
export const TICK_HZ = 60;
export const TICK_MS = 1000 / TICK_HZ;
export const TICK_DT_S = 1 / TICK_HZ;
/**
 * The host broadcasts a snapshot every N ticks: every tick (60 Hz). At 30 Hz a remote player's move
 * waited for the next snapshot (8 ms on average) and the interpolation delay could not go below 33 ms;
 * the price is bandwidth — 6.4 kB/s to each peer with 4 players (docs/performance.md).
 */
export const SNAPSHOT_EVERY_TICKS = 1;

export const MIN_PLAYERS = 2;
export const MAX_PLAYERS = 8;
export const ROUNDS_PER_MATCH = 5;

export const COUNTDOWN_TICKS = 3 * TICK_HZ;
/** Hard cap on a round; the ring is at its smallest well before. */
export const ROUND_MAX_TICKS = 45 * TICK_HZ;
export const ROUND_OVER_TICKS = 3.5 * TICK_HZ;

export const ARENA_START_RADIUS_U = 360;
export const ARENA_MIN_RADIUS_U = 110;
/** Shrinking starts after a short grace and reaches the minimum at SHRINK_END. */
export const SHRINK_START_TICKS = 4 * TICK_HZ;
export const SHRINK_END_TICKS = 36 * TICK_HZ;
/** Spawn ring, as a fraction of the start radius. */
export const SPAWN_RADIUS_FRACTION = 0.62;

export const PUCK_RADIUS_U = 22;
export const MOVE_ACCEL_U_S2 = 1250;
/** Linear drag: terminal speed = MOVE_ACCEL / DRAG ≈ 390 u/s. */
export const DRAG_PER_S = 3.2;
/**
 * Below this speed a puck stops: drag on the 1/8 u/s grid would otherwise leave it creeping at ~1 u/s
 * forever (round(v·0.947) = v for small v).
 */
export const STOP_SPEED_U_S = 4;
export const DASH_IMPULSE_U_S = 620;
export const DASH_COOLDOWN_TICKS = Math.round(1.1 * TICK_HZ);
/** While dashing a puck counts as heavier: it wins head-on bumps. */
export const DASH_ACTIVE_TICKS = Math.round(0.25 * TICK_HZ);
export const DASH_MASS = 2.2;
export const RESTITUTION = 1.0;
/** Extra separation speed on every bump so even slow touches shove. */
export const BUMP_BONUS_U_S = 140;

/** A knockout is credited to the last toucher when the touch was this recent. */
export const KO_CREDIT_TICKS = 2 * TICK_HZ;
export const POINTS_PER_KO = 1;
export const POINTS_PER_ROUND_WIN = 3;

/** Snapshot quantization: positions to 1/16 u, velocities to 1/8 u/s, both int16. */
export const POS_SCALE = 16;
export const VEL_SCALE = 8;
export const MAX_ABS_POS_U = 2000;
export const MAX_ABS_VEL_U_S = 4000;

/** Eight colors, one per slot, distinguishable on a dark background. */
export const SLOT_COLORS = [
  '#ff4d6d',
  '#4dabff',
  '#ffd43b',
  '#51cf66',
  '#cc5de8',
  '#ff922b',
  '#22d3ee',
  '#f8f9fa',
] as const;
