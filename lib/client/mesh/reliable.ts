import { Reassembler, splitMessage, type Reassembled } from './chunking';
import { MAX_REORDER_FRAMES, MAX_UNACKED_BYTES } from './constants';
import { MeshError } from './errors';
import { encodeReliable, type ReliablePart } from './frames';

/** One reliable frame kept until acknowledged, so a route switch can resend what may be lost. */
export interface OutFrame {
  seq: number;
  bytes: Uint8Array;
  /** Negotiation id of the link it was last handed to, or null. */
  sentOnLink: number | null;
  /** Handed to the server relay (which is ordered and reliable while the socket lives). */
  sentOnRelay: boolean;
  acked: boolean;
}

/** Sender half of a pair's reliable stream: sequence numbers, chunking and the resend buffer. */
export class ReliableSender {
  private nextSeq = 0;
  private frames: OutFrame[] = [];
  private head = 0;
  private bytes = 0;

  constructor(readonly epoch: number) {}

  /** Frames for one message, in order; they stay buffered until acked. */
  push(message: Uint8Array, isString: boolean): OutFrame[] {
    const parts = splitMessage(message, isString);
    let size = 0;
    for (const p of parts) size += p.payload.byteLength;
    if (this.bytes + size > MAX_UNACKED_BYTES) throw new MeshError('QUEUE_FULL');
    const out = parts.map(({ part, payload }) => this.frame(part, payload));
    for (const f of out) this.frames.push(f);
    return out;
  }

  /** Drops every frame below `next` of our stream; acks for another epoch are for an older Mesh. */
  ack(epoch: number, next: number) {
    if (epoch !== this.epoch) return;
    while (this.head < this.frames.length && this.frames[this.head]!.seq < next) {
      const f = this.frames[this.head]!;
      f.acked = true;
      this.bytes -= f.bytes.byteLength;
      this.head++;
    }
    // Compact now and then instead of shifting on every ack.
    if (this.head > 1024 && this.head * 2 > this.frames.length) {
      this.frames = this.frames.slice(this.head);
      this.head = 0;
    }
  }

  /** Unacknowledged frames in sequence order. */
  *unacked(): Iterable<OutFrame> {
    for (let i = this.head; i < this.frames.length; i++) yield this.frames[i]!;
  }

  get unackedBytes() {
    return this.bytes;
  }

  get unackedCount() {
    return this.frames.length - this.head;
  }

  private frame(part: ReliablePart, payload: Uint8Array): OutFrame {
    const bytes = encodeReliable(this.epoch, this.nextSeq, part, payload);
    this.bytes += bytes.byteLength;
    return { seq: this.nextSeq++, bytes, sentOnLink: null, sentOnRelay: false, acked: false };
  }
}

/**
 * Receiver half: delivers each reliable frame exactly once and in order, whatever route it came
 * by. Duplicates (resent after a switch) are dropped; early frames wait for the gap to fill.
 */
export class ReliableReceiver {
  private epoch = -1;
  private next = 0;
  private readonly early = new Map<number, { part: ReliablePart; payload: Uint8Array }>();
  private readonly reassembler = new Reassembler();
  private unackedCount = 0;

  accept(epoch: number, seq: number, part: ReliablePart, payload: Uint8Array): Reassembled[] {
    if (epoch < this.epoch) return [];
    if (epoch > this.epoch) {
      // A new Mesh on the other side: its stream starts over.
      this.epoch = epoch;
      this.next = 0;
      this.early.clear();
      this.reassembler.reset();
    }
    if (seq < this.next) return [];
    if (seq > this.next) {
      if (this.early.size < MAX_REORDER_FRAMES) this.early.set(seq, { part, payload });
      return [];
    }
    const delivered: Reassembled[] = [];
    this.take(part, payload, delivered);
    for (let held = this.early.get(this.next); held; held = this.early.get(this.next)) {
      this.early.delete(this.next);
      this.take(held.part, held.payload, delivered);
    }
    return delivered;
  }

  /** What to acknowledge (cumulative), or null before anything arrived. */
  get ack(): { epoch: number; next: number } | null {
    return this.epoch < 0 ? null : { epoch: this.epoch, next: this.next };
  }

  /** Frames delivered since the last `acked()`. */
  get pendingAcks() {
    return this.unackedCount;
  }

  acked() {
    this.unackedCount = 0;
  }

  get waiting() {
    return this.early.size;
  }

  private take(part: ReliablePart, payload: Uint8Array, out: Reassembled[]) {
    this.next++;
    this.unackedCount++;
    const message = this.reassembler.push(part, payload);
    if (message) out.push(message);
  }
}
