/**
 * Deterministic helpers. +, -, *, / and Math.sqrt are exactly specified by IEEE 754, so they agree
 * across engines; Math.sin/cos are not, so the sim uses a polynomial of its own.
 */
import { MAX_ABS_POS_U, MAX_ABS_VEL_U_S, POS_SCALE, VEL_SCALE } from './constants';

export function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}

/**
 * Round to the int16 wire grid and clamp to its range, so sim state and snapshots agree exactly.
 * `+ 0` turns -0 into 0: the wire has no negative zero, and deep equality tells them apart.
 */
export function quantizePos(v: number): number {
  return Math.round(clamp(v, -MAX_ABS_POS_U, MAX_ABS_POS_U) * POS_SCALE) / POS_SCALE + 0;
}
export function quantizeVel(v: number): number {
  return Math.round(clamp(v, -MAX_ABS_VEL_U_S, MAX_ABS_VEL_U_S) * VEL_SCALE) / VEL_SCALE + 0;
}

/** sin and cos of `turns` (1 turn = 2π) from a Taylor polynomial on [-π/8, π/8]; error < 1e-9. */
export function sinCosTurns(turns: number): { sin: number; cos: number } {
  const t = turns - Math.floor(turns);
  const k = Math.floor(t * 8 + 0.5);
  const a = (t - k / 8) * 2 * Math.PI; // in [-π/8, π/8]
  const octant = k % 8;
  const a2 = a * a;
  const s = a * (1 - (a2 / 6) * (1 - (a2 / 20) * (1 - (a2 / 42) * (1 - a2 / 72))));
  const c = 1 - (a2 / 2) * (1 - (a2 / 12) * (1 - (a2 / 30) * (1 - a2 / 56)));
  const r = Math.SQRT1_2;
  switch (octant) {
    case 0:
      return { sin: s, cos: c };
    case 1:
      return { sin: r * (s + c), cos: r * (c - s) };
    case 2:
      return { sin: c, cos: -s };
    case 3:
      return { sin: r * (c - s), cos: -r * (s + c) };
    case 4:
      return { sin: -s, cos: -c };
    case 5:
      return { sin: -r * (s + c), cos: r * (s - c) };
    case 6:
      return { sin: -c, cos: s };
    default:
      return { sin: r * (s - c), cos: r * (s + c) };
  }
}
