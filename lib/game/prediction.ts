/**
 * Client-side prediction of the own puck. Local inputs move the puck at once; each authoritative
 * snapshot rebases the prediction on the host's state and replays the inputs the host has not applied
 * yet (those with seq > the snapshot's ack for this slot). The visible jump a correction would cause is
 * kept as an offset that fades out, so corrections look like a nudge, not a teleport.
 */
import { step } from './sim';
import type { SequencedInput } from './codec';
import type { GameState, PlayerInput, Puck } from './types';

/** Inputs kept for replay; older ones are dropped (two seconds at 60 Hz). */
export const MAX_PENDING_INPUTS = 120;
/** Corrections larger than this (a respawn, a big desync) snap instead of gliding. */
export const SNAP_CORRECTION_U = 90;
/** The correction offset halves every this many milliseconds. */
export const CORRECTION_HALF_LIFE_MS = 60;

export class Predictor {
  private pending: SequencedInput[] = [];
  private predicted: GameState | null = null;
  private offset = { x: 0, y: 0 };

  constructor(readonly slot: number) {}

  /** The predicted world: the last snapshot advanced by every not-yet-acknowledged own input. */
  get state(): GameState | null {
    return this.predicted;
  }

  get pendingCount(): number {
    return this.pending.length;
  }

  ownPuck(): Puck | undefined {
    return this.predicted?.players.find((p) => p.slot === this.slot);
  }

  /** Apply a new local input right away (call once per local tick, seq strictly increasing). */
  applyLocal(input: SequencedInput): void {
    this.pending.push(input);
    if (this.pending.length > MAX_PENDING_INPUTS)
      this.pending.splice(0, this.pending.length - MAX_PENDING_INPUTS);
    if (this.predicted) this.predicted = this.advance(this.predicted, input);
  }

  /** Rebase on an authoritative state whose ack for this slot is `ackSeq`, then replay. */
  reconcile(authoritative: GameState, ackSeq: number): void {
    const before = this.ownPuck();
    this.pending = this.pending.filter((i) => i.seq > ackSeq);
    let s = authoritative;
    for (const input of this.pending) s = this.advance(s, input);
    this.predicted = s;
    const after = this.ownPuck();
    if (!before || !after || before.status !== after.status) {
      this.offset = { x: 0, y: 0 };
      return;
    }
    const ox = this.offset.x + before.x - after.x;
    const oy = this.offset.y + before.y - after.y;
    this.offset = Math.hypot(ox, oy) > SNAP_CORRECTION_U ? { x: 0, y: 0 } : { x: ox, y: oy };
  }

  /** Where to draw the own puck: the prediction plus the fading correction offset. */
  renderPosition(): { x: number; y: number } | null {
    const p = this.ownPuck();
    return p ? { x: p.x + this.offset.x, y: p.y + this.offset.y } : null;
  }

  /** Fade the correction offset by elapsed render time. */
  decay(elapsedMs: number): void {
    const k = Math.pow(0.5, Math.max(0, elapsedMs) / CORRECTION_HALF_LIFE_MS);
    this.offset = { x: this.offset.x * k, y: this.offset.y * k };
  }

  get correction(): { x: number; y: number } {
    return { ...this.offset };
  }

  reset(): void {
    this.pending = [];
    this.predicted = null;
    this.offset = { x: 0, y: 0 };
  }

  private advance(s: GameState, input: PlayerInput): GameState {
    return step(s, new Map([[this.slot, input]])).state;
  }
}
