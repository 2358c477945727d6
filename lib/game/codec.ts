/**
 * Wire formats for Ring Out.
 * - Unreliable channel, binary: input packets (client → host) and snapshots (host → everyone).
 * - Reliable channel, JSON: roster, round/knockout/match events, rematch requests.
 * Every decoder returns a result union and never throws, whatever the bytes.
 */
import * as z from 'zod/mini';
import { MAX_NICKNAME_CHARS } from '../protocol/limits';
import { ARENA_START_RADIUS_U, MAX_PLAYERS, POS_SCALE, VEL_SCALE } from './constants';
import { PHASES, PUCK_STATUSES, NO_SLOT, type GameState, type PlayerInput, type Puck } from './types';

export const CODEC_VERSION = 1;
export const MessageKind = { INPUT: 0x01, SNAPSHOT: 0x02 } as const;

/** Each input packet repeats the last N inputs: a lost packet costs nothing unless N in a row are. */
export const INPUT_REDUNDANCY = 8;
const INPUT_HEADER_BYTES = 7;
const INPUT_BYTES = 3;
const STICK_MAX = 127;
const BUTTON_DASH = 1;

export const SNAPSHOT_HEADER_BYTES = 19;
export const SNAPSHOT_PLAYER_BYTES = 22;
export const MAX_RELIABLE_MESSAGE_BYTES = 4096;

export type CodecError =
  | { code: 'EMPTY' }
  | { code: 'BAD_KIND'; kind: number }
  | { code: 'BAD_VERSION'; version: number }
  | { code: 'BAD_LENGTH'; expected: number; actual: number }
  | { code: 'OUT_OF_RANGE'; field: string }
  | { code: 'TOO_LARGE'; bytes: number }
  | { code: 'BAD_JSON' }
  | { code: 'BAD_SHAPE' };

export type Decoded<T> = { ok: true; value: T } | { ok: false; error: CodecError };
const bad = <T>(error: CodecError): Decoded<T> => ({ ok: false, error });

export interface SequencedInput extends PlayerInput {
  seq: number;
}

function checkHeader(bytes: Uint8Array, kind: number, minLength: number): CodecError | null {
  if (bytes.length === 0) return { code: 'EMPTY' };
  if (bytes[0] !== kind) return { code: 'BAD_KIND', kind: bytes[0]! };
  if (bytes.length < minLength) return { code: 'BAD_LENGTH', expected: minLength, actual: bytes.length };
  if (bytes[1] !== CODEC_VERSION) return { code: 'BAD_VERSION', version: bytes[1]! };
  return null;
}

const toStick = (v: number) => Math.round(Math.max(-1, Math.min(1, Number.isFinite(v) ? v : 0)) * STICK_MAX);

/** Stick values travel as int8/127; quantize locally the same way so prediction replays what the host sees. */
export function quantizeInput(input: PlayerInput): PlayerInput {
  return { x: toStick(input.x) / STICK_MAX, y: toStick(input.y) / STICK_MAX, dash: input.dash };
}

/** `inputs` must hold consecutive sequence numbers, newest last; only the newest INPUT_REDUNDANCY are sent. */
export function encodeInputs(inputs: readonly SequencedInput[]): Uint8Array {
  const recent = inputs.slice(-INPUT_REDUNDANCY);
  if (recent.length === 0) throw new RangeError('encodeInputs needs at least one input');
  const newest = recent[recent.length - 1]!;
  const buf = new Uint8Array(INPUT_HEADER_BYTES + recent.length * INPUT_BYTES);
  const view = new DataView(buf.buffer);
  buf[0] = MessageKind.INPUT;
  buf[1] = CODEC_VERSION;
  buf[2] = recent.length;
  view.setUint32(3, newest.seq >>> 0);
  for (let i = 0; i < recent.length; i++) {
    const input = recent[recent.length - 1 - i]!;
    const at = INPUT_HEADER_BYTES + i * INPUT_BYTES;
    view.setInt8(at, toStick(input.x));
    view.setInt8(at + 1, toStick(input.y));
    buf[at + 2] = input.dash ? BUTTON_DASH : 0;
  }
  return buf;
}

/** Returns the inputs oldest first. */
export function decodeInputs(bytes: Uint8Array): Decoded<SequencedInput[]> {
  const headerError = checkHeader(bytes, MessageKind.INPUT, INPUT_HEADER_BYTES);
  if (headerError) return bad(headerError);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = bytes[2]!;
  if (count < 1 || count > INPUT_REDUNDANCY) return bad({ code: 'OUT_OF_RANGE', field: 'count' });
  const expected = INPUT_HEADER_BYTES + count * INPUT_BYTES;
  if (bytes.length !== expected) return bad({ code: 'BAD_LENGTH', expected, actual: bytes.length });
  const newestSeq = view.getUint32(3);
  if (newestSeq < count) return bad({ code: 'OUT_OF_RANGE', field: 'seq' });
  const out: SequencedInput[] = [];
  for (let i = count - 1; i >= 0; i--) {
    const at = INPUT_HEADER_BYTES + i * INPUT_BYTES;
    const x = view.getInt8(at);
    const y = view.getInt8(at + 1);
    const buttons = bytes[at + 2]!;
    if (x < -STICK_MAX || y < -STICK_MAX) return bad({ code: 'OUT_OF_RANGE', field: 'stick' });
    if ((buttons & ~BUTTON_DASH) !== 0) return bad({ code: 'OUT_OF_RANGE', field: 'buttons' });
    out.push({ seq: newestSeq - i, x: x / STICK_MAX, y: y / STICK_MAX, dash: buttons === BUTTON_DASH });
  }
  return { ok: true, value: out };
}

/** A snapshot is the complete sim state plus, per slot, the last input sequence the host applied. */
export interface Snapshot {
  state: GameState;
  acks: ReadonlyMap<number, number>;
}

export function snapshotBytes(playerCount: number): number {
  return SNAPSHOT_HEADER_BYTES + playerCount * SNAPSHOT_PLAYER_BYTES;
}

const u8 = (v: number) => Math.max(0, Math.min(255, Math.round(v)));
const u16 = (v: number) => Math.max(0, Math.min(0xffff, Math.round(v)));
const i16 = (v: number) => Math.max(-0x8000, Math.min(0x7fff, Math.round(v)));

export function encodeSnapshot(snap: Snapshot): Uint8Array {
  const { state } = snap;
  const buf = new Uint8Array(snapshotBytes(state.players.length));
  const view = new DataView(buf.buffer);
  buf[0] = MessageKind.SNAPSHOT;
  buf[1] = CODEC_VERSION;
  view.setUint32(2, state.tick >>> 0);
  buf[6] = PHASES.indexOf(state.phase);
  view.setUint16(7, u16(state.phaseTicks));
  buf[9] = u8(state.round);
  buf[10] = u8(state.roundsTotal);
  view.setUint16(11, u16(state.arenaRadius * POS_SCALE));
  view.setUint32(13, state.rng >>> 0);
  buf[17] = state.lastWinners & 0xff;
  buf[18] = state.players.length;
  state.players.forEach((p, i) => {
    const at = SNAPSHOT_HEADER_BYTES + i * SNAPSHOT_PLAYER_BYTES;
    buf[at] = p.slot;
    buf[at + 1] = PUCK_STATUSES.indexOf(p.status);
    view.setInt16(at + 2, i16(p.x * POS_SCALE));
    view.setInt16(at + 4, i16(p.y * POS_SCALE));
    view.setInt16(at + 6, i16(p.vx * VEL_SCALE));
    view.setInt16(at + 8, i16(p.vy * VEL_SCALE));
    buf[at + 10] = u8(p.dashCooldownTicks);
    buf[at + 11] = u8(p.dashActiveTicks);
    buf[at + 12] = u8(p.lastHitBy);
    buf[at + 13] = u8(p.lastHitAgeTicks);
    view.setUint16(at + 14, u16(p.score));
    buf[at + 16] = u8(p.knockouts);
    buf[at + 17] = u8(p.roundWins);
    view.setUint32(at + 18, (snap.acks.get(p.slot) ?? 0) >>> 0);
  });
  return buf;
}

export function decodeSnapshot(bytes: Uint8Array): Decoded<Snapshot> {
  const headerError = checkHeader(bytes, MessageKind.SNAPSHOT, SNAPSHOT_HEADER_BYTES);
  if (headerError) return bad(headerError);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = bytes[18]!;
  if (count > MAX_PLAYERS) return bad({ code: 'OUT_OF_RANGE', field: 'count' });
  const expected = snapshotBytes(count);
  if (bytes.length !== expected) return bad({ code: 'BAD_LENGTH', expected, actual: bytes.length });
  const phase = PHASES[bytes[6]!];
  if (phase === undefined) return bad({ code: 'OUT_OF_RANGE', field: 'phase' });
  const round = bytes[9]!;
  const roundsTotal = bytes[10]!;
  if (roundsTotal < 1 || round < 1 || round > roundsTotal)
    return bad({ code: 'OUT_OF_RANGE', field: 'round' });
  const arenaRadius = view.getUint16(11) / POS_SCALE;
  if (arenaRadius > ARENA_START_RADIUS_U) return bad({ code: 'OUT_OF_RANGE', field: 'arenaRadius' });
  const players: Puck[] = [];
  const acks = new Map<number, number>();
  for (let i = 0; i < count; i++) {
    const at = SNAPSHOT_HEADER_BYTES + i * SNAPSHOT_PLAYER_BYTES;
    const slot = bytes[at]!;
    // Slots strictly ascending: in range, unique, and in the sim's own order.
    if (slot >= MAX_PLAYERS || (i > 0 && slot <= players[i - 1]!.slot))
      return bad({ code: 'OUT_OF_RANGE', field: 'slot' });
    const status = PUCK_STATUSES[bytes[at + 1]!];
    if (status === undefined) return bad({ code: 'OUT_OF_RANGE', field: 'status' });
    const lastHitBy = bytes[at + 12]!;
    if (lastHitBy !== NO_SLOT && lastHitBy >= MAX_PLAYERS)
      return bad({ code: 'OUT_OF_RANGE', field: 'lastHitBy' });
    players.push({
      slot,
      status,
      x: view.getInt16(at + 2) / POS_SCALE,
      y: view.getInt16(at + 4) / POS_SCALE,
      vx: view.getInt16(at + 6) / VEL_SCALE,
      vy: view.getInt16(at + 8) / VEL_SCALE,
      dashCooldownTicks: bytes[at + 10]!,
      dashActiveTicks: bytes[at + 11]!,
      lastHitBy,
      lastHitAgeTicks: bytes[at + 13]!,
      score: view.getUint16(at + 14),
      knockouts: bytes[at + 16]!,
      roundWins: bytes[at + 17]!,
    });
    acks.set(slot, view.getUint32(at + 18));
  }
  const state: GameState = {
    tick: view.getUint32(2),
    phase,
    phaseTicks: view.getUint16(7),
    round,
    roundsTotal,
    arenaRadius,
    rng: view.getUint32(13),
    lastWinners: bytes[17]!,
    players,
  };
  return { ok: true, value: { state, acks } };
}

/** Reads the kind byte so a receiver can route a binary message without decoding it twice. */
export function peekKind(bytes: Uint8Array): number | null {
  return bytes.length > 0 ? bytes[0]! : null;
}

// ---- Reliable channel (JSON) ----

const slotSchema = z.int().check(z.minimum(0), z.maximum(MAX_PLAYERS - 1));
const rosterEntrySchema = z.object({
  slot: slotSchema,
  id: z.string().check(z.minLength(1), z.maxLength(64)),
  nickname: z.string().check(z.maxLength(MAX_NICKNAME_CHARS)),
});
export type RosterEntry = z.infer<typeof rosterEntrySchema>;

const gameEventSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('roundStart'),
    round: z.int().check(z.minimum(1), z.maximum(255)),
    roundsTotal: z.int().check(z.minimum(1), z.maximum(255)),
  }),
  z.object({ type: z.literal('knockout'), victim: slotSchema, by: z.nullable(slotSchema) }),
  z.object({
    type: z.literal('roundEnd'),
    round: z.int().check(z.minimum(1), z.maximum(255)),
    winners: z.array(slotSchema).check(z.maxLength(MAX_PLAYERS)),
  }),
  z.object({ type: z.literal('matchEnd'), winners: z.array(slotSchema).check(z.maxLength(MAX_PLAYERS)) }),
]);

const scoreLineSchema = z.object({
  slot: slotSchema,
  score: z.int().check(z.minimum(0), z.maximum(0xffff)),
  knockouts: z.int().check(z.minimum(0), z.maximum(255)),
  roundWins: z.int().check(z.minimum(0), z.maximum(255)),
});
export type ScoreEntry = z.infer<typeof scoreLineSchema>;

const reliableSchema = z.discriminatedUnion('t', [
  /** host → all: who holds which slot; sent on start, on every change and to each newcomer. */
  z.object({
    t: z.literal('roster'),
    v: z.literal(CODEC_VERSION),
    players: z.array(rosterEntrySchema).check(z.maxLength(MAX_PLAYERS)),
  }),
  /** host → all: something happened in the sim. */
  z.object({
    t: z.literal('event'),
    v: z.literal(CODEC_VERSION),
    tick: z.int().check(z.minimum(0)),
    event: gameEventSchema,
  }),
  /** host → all: standings after each round (`final` after the last one); snapshots carry them too. */
  z.object({
    t: z.literal('scoreboard'),
    v: z.literal(CODEC_VERSION),
    round: z.int().check(z.minimum(1), z.maximum(255)),
    final: z.boolean(),
    winners: z.array(slotSchema).check(z.maxLength(MAX_PLAYERS)),
    lines: z.array(scoreLineSchema).check(z.maxLength(MAX_PLAYERS)),
  }),
  /** client → authority: "send me the roster" (on start and after an authority change). Means nothing else. */
  z.object({ t: z.literal('hello'), v: z.literal(CODEC_VERSION) }),
  /**
   * A page that must simulate but holds no state (it loaded into a running game) → everyone: "whoever
   * holds the match, hand it to me". Pages that are not simulating answer with `handoff`.
   */
  z.object({ t: z.literal('handoff-request'), v: z.literal(CODEC_VERSION) }),
  /**
   * The match itself, for `to`, the page that simulates next: sent to it by an authority that stops being
   * one, or in answer to its `handoff-request`; broadcast by an authority that finds it was stalled (so
   * every page learns it stepped down). The snapshot is the binary snapshot encoding, base64.
   */
  z.object({
    t: z.literal('handoff'),
    v: z.literal(CODEC_VERSION),
    to: rosterEntrySchema.shape.id,
    roster: z.array(rosterEntrySchema).check(z.maxLength(MAX_PLAYERS)),
    snapshot: z
      .string()
      .check(z.maxLength(Math.ceil((SNAPSHOT_HEADER_BYTES + MAX_PLAYERS * SNAPSHOT_PLAYER_BYTES) / 3) * 4)),
  }),
  /** client → host: start the next match (only honored in matchOver). */
  z.object({ t: z.literal('rematch'), v: z.literal(CODEC_VERSION) }),
]);
export type ReliableMessage = z.infer<typeof reliableSchema>;

export function encodeReliable(msg: ReliableMessage): string {
  return JSON.stringify(msg);
}

export function decodeReliable(data: string | Uint8Array): Decoded<ReliableMessage> {
  if (typeof data !== 'string') return bad({ code: 'BAD_KIND', kind: data.length > 0 ? data[0]! : -1 });
  if (data.length > MAX_RELIABLE_MESSAGE_BYTES) return bad({ code: 'TOO_LARGE', bytes: data.length });
  let raw: unknown;
  try {
    raw = JSON.parse(data);
  } catch {
    return bad({ code: 'BAD_JSON' });
  }
  const parsed = reliableSchema.safeParse(raw);
  return parsed.success ? { ok: true, value: parsed.data } : bad({ code: 'BAD_SHAPE' });
}

/** A handoff as it travels: roster and snapshot in one reliable message, so neither arrives alone. */
export function encodeHandoff(to: string, snapshot: Snapshot, roster: readonly RosterEntry[]): string {
  return encodeReliable({
    t: 'handoff',
    v: CODEC_VERSION,
    to,
    roster: [...roster],
    snapshot: toBase64(encodeSnapshot(snapshot)),
  });
}

/** The snapshot inside a decoded `handoff` message (its base64 decoded and checked like any snapshot). */
export function handoffSnapshot(msg: Extract<ReliableMessage, { t: 'handoff' }>): Decoded<Snapshot> {
  const bytes = fromBase64(msg.snapshot);
  return bytes ? decodeSnapshot(bytes) : bad({ code: 'BAD_SHAPE' });
}

function toBase64(bytes: Uint8Array): string {
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin);
}

function fromBase64(text: string): Uint8Array | null {
  let bin: string;
  try {
    bin = atob(text);
  } catch {
    return null;
  }
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}
