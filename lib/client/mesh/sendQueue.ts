/** What a send queue writes to: an RTCDataChannel, or a fake in tests. */
export interface FrameSink {
  readonly bufferedAmount: number;
  send(frame: Uint8Array): void;
}

export type QueueMode = 'queue' | 'latest';

/**
 * Keeps a data channel's own buffer under a high-water mark. Above it, a reliable channel queues
 * frames in order ('queue'); an unreliable one keeps only the newest frame ('latest'), because a
 * stale game state is worth nothing once a newer one exists. `drain` runs on `bufferedamountlow`.
 */
export class SendQueue {
  private readonly waiting: Uint8Array[] = [];
  private head = 0;
  private waitingBytes = 0;

  constructor(
    private readonly sink: FrameSink,
    private readonly mode: QueueMode,
    private readonly highWaterBytes: number,
  ) {}

  /** 'sent' when handed to the channel, 'queued' when it waits, 'replaced' when it displaced an older one. */
  send(frame: Uint8Array): 'sent' | 'queued' | 'replaced' {
    if (this.length === 0 && this.hasRoom(frame)) {
      this.sink.send(frame);
      return 'sent';
    }
    if (this.mode === 'latest') {
      const replaced = this.length > 0;
      this.clear();
      this.push(frame);
      return replaced ? 'replaced' : 'queued';
    }
    this.push(frame);
    return 'queued';
  }

  /** Sends waiting frames while the channel has room. */
  drain() {
    while (this.length > 0) {
      const frame = this.waiting[this.head]!;
      if (!this.hasRoom(frame)) return;
      this.head++;
      this.waitingBytes -= frame.byteLength;
      this.sink.send(frame);
    }
    this.clear();
  }

  clear() {
    this.waiting.length = 0;
    this.head = 0;
    this.waitingBytes = 0;
  }

  get length() {
    return this.waiting.length - this.head;
  }

  get queuedBytes() {
    return this.waitingBytes;
  }

  /** An empty channel always takes one frame, however big. */
  private hasRoom(frame: Uint8Array) {
    const buffered = this.sink.bufferedAmount;
    return buffered === 0 || buffered + frame.byteLength <= this.highWaterBytes;
  }

  private push(frame: Uint8Array) {
    this.waiting.push(frame);
    this.waitingBytes += frame.byteLength;
  }
}
