/**
 * Host-side buffer of one player's inputs. The host consumes one input per tick. Duplicates from the
 * redundant packets are dropped; when the queue runs dry the last stick position is held (without its
 * dash); when it grows past MAX_BUFFERED_INPUTS (client clock running fast, a burst after a stall) the
 * oldest are skipped so latency stays bounded — a skipped dash is carried onto the next input.
 * The queue is also a jitter buffer: a burst of arrivals leaves it deeper than jitter needs, adding
 * latency for good (one input in, one out per tick). So once per window, if it never dipped below
 * two inputs, the surplus is trimmed.
 */
import { NEUTRAL_INPUT, type PlayerInput } from '../types';
import type { SequencedInput } from '../codec';

export const MAX_BUFFERED_INPUTS = 6;
export const TRIM_WINDOW_TICKS = 60;
/** Inputs the queue may keep through a whole window without being trimmed. */
export const JITTER_RESERVE_INPUTS = 1;

export class InputQueue {
  private queue: SequencedInput[] = [];
  private held: PlayerInput = NEUTRAL_INPUT;
  private applied: number;
  private lost = 0;
  private windowTicks = 0;
  private lowWater = Infinity;

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

  get length(): number {
    return this.queue.length;
  }

  receive(inputs: readonly SequencedInput[]): void {
    for (const input of inputs) {
      if (input.seq <= this.applied) continue;
      let i = this.queue.length;
      while (i > 0 && this.queue[i - 1]!.seq > input.seq) i--;
      if (i > 0 && this.queue[i - 1]!.seq === input.seq) continue;
      this.queue.splice(i, 0, input);
    }
  }

  /** The input for this tick. */
  next(): PlayerInput {
    let carriedDash = false;
    const skip = () => {
      const skipped = this.queue.shift()!;
      this.applied = skipped.seq;
      carriedDash ||= skipped.dash;
    };
    while (this.queue.length > MAX_BUFFERED_INPUTS) skip();
    this.lowWater = Math.min(this.lowWater, this.queue.length);
    if (++this.windowTicks >= TRIM_WINDOW_TICKS) {
      for (let surplus = this.lowWater - JITTER_RESERVE_INPUTS - 1; surplus > 0; surplus--) skip();
      this.windowTicks = 0;
      this.lowWater = Infinity;
    }
    const input = this.queue.shift();
    if (!input) {
      this.held = { ...this.held, dash: false };
      return this.held;
    }
    this.lost += input.seq - this.applied - 1;
    this.applied = input.seq;
    this.held = { x: input.x, y: input.y, dash: input.dash || carriedDash };
    return this.held;
  }
}
