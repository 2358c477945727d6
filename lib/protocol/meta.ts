import * as z from 'zod/mini';
import { MAX_LOBBY_META_BYTES, MAX_META_DEPTH, MAX_PLAYER_META_BYTES } from './limits';

/** Any JSON value. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
/** Small game-defined metadata: a JSON object (a map, a mode; a player's team or colour). */
export type Meta = { [key: string]: Json };

/**
 * Whether `value` is a plain JSON object nested at most `maxDepth` deep (the object itself is level 1)
 * whose JSON is at most `maxBytes` bytes of UTF-8. The walk stops at the first value past the depth or
 * the running (under-)estimate of the size; the exact size is measured last, on what is left.
 */
export function isMeta(value: unknown, maxBytes: number, maxDepth: number): value is Meta {
  if (!isPlainObject(value)) return false;
  let budget = maxBytes;
  const walk = (v: unknown, depth: number): boolean => {
    if (--budget < 0) return false;
    if (v === null || typeof v === 'boolean' || typeof v === 'string') return true;
    if (typeof v === 'number') return Number.isFinite(v);
    if (depth >= maxDepth) return false;
    if (Array.isArray(v)) return v.every((x) => walk(x, depth + 1));
    if (!isPlainObject(v)) return false;
    return Object.entries(v).every(([k, x]) => (budget -= k.length) >= 0 && walk(x, depth + 1));
  };
  if (!Object.entries(value).every(([k, x]) => (budget -= k.length) >= 0 && walk(x, 1))) return false;
  return new TextEncoder().encode(JSON.stringify(value)).length <= maxBytes;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

const meta = (maxBytes: number) =>
  z.custom<Meta>((v) => isMeta(v, maxBytes, MAX_META_DEPTH), {
    message: `a JSON object of at most ${maxBytes} bytes, ${MAX_META_DEPTH} levels deep`,
  });

/** Set by the host, seen by every member (e.g. `{ map: 'arena', mode: 'ffa' }`). */
export const LobbyMeta = meta(MAX_LOBBY_META_BYTES);
/** Set by each player for themself, seen by every member (e.g. `{ team: 'red' }`). */
export const PlayerMeta = meta(MAX_PLAYER_META_BYTES);

/** Replaces the lobby's metadata (host only). */
export const SetLobbyMetaInput = z.strictObject({ meta: LobbyMeta });
/** Replaces the sender's own player metadata. */
export const SetPlayerMetaInput = z.strictObject({ meta: PlayerMeta });
