import { RELAY_PACE_BYTES, RELAY_PACE_MESSAGES, RELAY_PACE_WINDOW_MS } from './constants';

export interface RelayBudget {
  messages: number;
  bytes: number;
  windowMs: number;
}

export const DEFAULT_RELAY_BUDGET: RelayBudget = {
  messages: RELAY_PACE_MESSAGES,
  bytes: RELAY_PACE_BYTES,
  windowMs: RELAY_PACE_WINDOW_MS,
};

interface Item {
  to: string;
  bytes: Uint8Array;
  /** Asked right before sending: false skips the item (acked meanwhile, or the pair went direct). */
  wanted?: () => boolean;
  sent?: () => void;
}

/**
 * Paces everything the Mesh sends through the server relay, across all pairs, so the server's
 * per-player limits are never hit: reliable frames wait in order, and for each (peer, slot) of
 * unreliable traffic only the newest frame waits. Latest-only slots go first: they are small and
 * time-critical (pings, acks, game state).
 */
export class RelayPacer {
  private readonly fifo: Item[] = [];
  private head = 0;
  private readonly latest = new Map<string, Item>();
  private windowStart = -Infinity;
  private usedMessages = 0;
  private usedBytes = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private closed = false;

  constructor(
    private readonly emit: (to: string, bytes: Uint8Array) => void,
    private readonly budget: RelayBudget = DEFAULT_RELAY_BUDGET,
    private readonly now: () => number = Date.now,
  ) {}

  /** A reliable frame: sent in order with every other queued one. */
  enqueue(to: string, bytes: Uint8Array, wanted?: () => boolean, sent?: () => void) {
    if (this.closed) return;
    this.fifo.push({ to, bytes, wanted, sent });
    this.drain();
  }

  /** An unreliable frame: replaces whatever still waits in the same slot. */
  replace(to: string, slot: string, bytes: Uint8Array) {
    if (this.closed) return;
    this.latest.set(`${to}\n${slot}`, { to, bytes });
    this.drain();
  }

  dropPeer(to: string) {
    for (const [key, item] of this.latest) if (item.to === to) this.latest.delete(key);
    for (let i = this.head; i < this.fifo.length; i++) {
      const item = this.fifo[i]!;
      if (item.to === to) item.wanted = () => false;
    }
  }

  close() {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.fifo.length = 0;
    this.head = 0;
    this.latest.clear();
  }

  private drain() {
    if (this.closed || this.timer) return;
    const now = this.now();
    if (now - this.windowStart >= this.budget.windowMs) {
      this.windowStart = now;
      this.usedMessages = 0;
      this.usedBytes = 0;
    }
    for (const [key, item] of this.latest) {
      if (!this.take(item)) return this.wait();
      this.latest.delete(key);
    }
    while (this.head < this.fifo.length) {
      const item = this.fifo[this.head]!;
      if (item.wanted && !item.wanted()) {
        this.head++;
        continue;
      }
      if (!this.take(item)) return this.wait();
      this.head++;
      item.sent?.();
    }
    this.fifo.length = 0;
    this.head = 0;
  }

  private take(item: Item): boolean {
    const size = item.bytes.byteLength;
    // An empty window takes any one frame (frames never exceed the relay cap anyway).
    if (
      this.usedMessages > 0 &&
      (this.usedMessages + 1 > this.budget.messages || this.usedBytes + size > this.budget.bytes)
    ) {
      return false;
    }
    this.usedMessages++;
    this.usedBytes += size;
    this.emit(item.to, item.bytes);
    return true;
  }

  private wait() {
    if (this.head > 1024 && this.head * 2 > this.fifo.length) {
      this.fifo.splice(0, this.head);
      this.head = 0;
    }
    const delay = Math.max(0, this.windowStart + this.budget.windowMs - this.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      this.drain();
    }, delay);
  }
}
