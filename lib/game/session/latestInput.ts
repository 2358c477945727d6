/**
 * Host-side intake of one player's inputs: each tick applies the newest input that has arrived and drops
 * the older ones not applied yet, carrying a dash among them onto it. So an input waits at most for the
 * next tick, never behind a backlog.
 *
 * Why not a jitter buffer (one input per tick, in order, a reserve kept against late arrivals)? It keeps
 * a player's input timeline exact on a jittery link, but each input it holds is a tick of delay for
 * everyone watching that player, and under bursty arrival (a busy page, a jittery network) its depth
 * settled at 2–3 ticks. When steering a puck, a stick position that arrives late matters more than one
 * held a tick longer or shorter; the cost is a correction of the player's own prediction, of about one
 * tick of motion, when two inputs arrive within one tick. When nothing new arrived the last stick
 * position is held (without its dash).
 */
import { NEUTRAL_INPUT, type PlayerInput } from '../types';
import type { SequencedInput } from '../codec';

export class LatestInput {
  private newest: SequencedInput | null = null;
  private carriedDash = false;
  /** Sequence numbers above `applied` that arrived: what the next apply did not lose. */
  private readonly arrived = new Set<number>();
  private held: PlayerInput = NEUTRAL_INPUT;
  private applied: number;
  private lost = 0;
  private skipped = 0;

  constructor(lastAppliedSeq = 0) {
    this.applied = lastAppliedSeq;
  }

  /** The last sequence number applied: echoed to the client in snapshots as its ack. */
  get ack(): number {
    return this.applied;
  }

  /** Inputs that never arrived (every redundant copy lost): the cost of the unreliable channel. */
  get lostInputs(): number {
    return this.lost;
  }

  /** Inputs that arrived but were overtaken by a newer one before a tick applied them. */
  get skippedInputs(): number {
    return this.skipped;
  }

  /** Whether an input newer than the last applied one waits for the next tick. */
  get waiting(): boolean {
    return this.newest !== null;
  }

  receive(inputs: readonly SequencedInput[]): void {
    for (const input of inputs) {
      if (input.seq <= this.applied || this.arrived.has(input.seq)) continue;
      this.arrived.add(input.seq);
      if (!this.newest || input.seq > this.newest.seq) {
        if (this.newest?.dash) this.carriedDash = true;
        this.newest = input;
      } else if (input.dash) this.carriedDash = true;
    }
  }

  /** The input for this tick. */
  next(): PlayerInput {
    const input = this.newest;
    if (!input) {
      this.held = { ...this.held, dash: false };
      return this.held;
    }
    const between = input.seq - this.applied - 1;
    const arrivedBetween = this.arrived.size - 1;
    this.lost += between - arrivedBetween;
    this.skipped += arrivedBetween;
    this.applied = input.seq;
    this.held = { x: input.x, y: input.y, dash: input.dash || this.carriedDash };
    this.newest = null;
    this.carriedDash = false;
    this.arrived.clear();
    return this.held;
  }
}
