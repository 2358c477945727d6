/**
 * Host-side buffer of one player's inputs. The host consumes one input per tick. Duplicates from the
 * redundant packets are dropped; when the queue runs dry the last stick position is held (without its
 * dash); when it grows past MAX_BUFFERED_INPUTS (client clock running fast, a burst after a stall) the
 * oldest are skipped so latency stays bounded — a skipped dash is carried onto the next input.
 */
import { NEUTRAL_INPUT, type PlayerInput } from '../types';
import type { SequencedInput } from '../codec';

export const MAX_BUFFERED_INPUTS = 6;

export class InputQueue {
  private queue: SequencedInput[] = [];
  private held: PlayerInput = NEUTRAL_INPUT;
  private applied: number;

  constructor(lastAppliedSeq = 0) {
    this.applied = lastAppliedSeq;
  }

  /** The last sequence number applied: echoed to the client in snapshots as its ack. */
  get ack(): number {
    return this.applied;
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
    while (this.queue.length > MAX_BUFFERED_INPUTS) carriedDash = this.queue.shift()!.dash || carriedDash;
    const input = this.queue.shift();
    if (!input) {
      this.held = { ...this.held, dash: false };
      return this.held;
    }
    this.applied = input.seq;
    this.held = { x: input.x, y: input.y, dash: input.dash || carriedDash };
    return this.held;
  }
}
