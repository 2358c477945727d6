import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_UNACKED_BYTES } from '../../lib/client/mesh/constants';
import { decodeFrame, messageData } from '../../lib/client/mesh/frames';
import { ReliableReceiver, ReliableSender, type OutFrame } from '../../lib/client/mesh/reliable';

/** Feeds encoded frames to a receiver; returns delivered messages as text. */
function feed(receiver: ReliableReceiver, frames: OutFrame[]): string[] {
  const out: string[] = [];
  for (const f of frames) {
    const d = decodeFrame(f.bytes);
    if (d?.kind !== 'reliable') throw new Error('not reliable');
    for (const m of receiver.accept(d.epoch, d.seq, d.part, d.payload))
      out.push(String(messageData(m.bytes, m.isString)));
  }
  return out;
}

const text = (s: string) => new TextEncoder().encode(s);

describe('reliable stream', () => {
  it('delivers in order, holds early frames, drops duplicates', () => {
    const sender = new ReliableSender(1);
    const frames = ['a', 'b', 'c', 'd'].flatMap((s) => sender.push(text(s), true));
    const r = new ReliableReceiver();
    expect(feed(r, [frames[2]!, frames[1]!])).toEqual([]);
    expect(r.waiting).toBe(2);
    expect(feed(r, [frames[0]!])).toEqual(['a', 'b', 'c']);
    expect(feed(r, [frames[0]!, frames[2]!, frames[3]!, frames[3]!])).toEqual(['d']);
    expect(r.ack).toEqual({ epoch: 1, next: 4 });
  });

  it('a newer epoch (a recreated Mesh) restarts the stream; an older one is ignored', () => {
    const r = new ReliableReceiver();
    const old = new ReliableSender(5);
    expect(feed(r, old.push(text('x'), true))).toEqual(['x']);
    const fresh = new ReliableSender(6);
    expect(feed(r, fresh.push(text('y'), true))).toEqual(['y']);
    expect(feed(r, old.push(text('late'), true))).toEqual([]);
  });

  it('acks free the resend buffer; acks for another epoch do nothing', () => {
    const sender = new ReliableSender(2);
    const frames = ['a', 'b', 'c'].flatMap((s) => sender.push(text(s), true));
    sender.ack(3, 3);
    expect(sender.unackedCount).toBe(3);
    sender.ack(2, 2);
    expect([...sender.unacked()].map((f) => f.seq)).toEqual([2]);
    expect(frames[0]!.acked && frames[1]!.acked && !frames[2]!.acked).toBe(true);
    expect(sender.unackedBytes).toBe(frames[2]!.bytes.byteLength);
  });

  it('refuses to buffer more than MAX_UNACKED_BYTES', () => {
    const sender = new ReliableSender(1);
    const chunk = new Uint8Array(4 * 1024 * 1024);
    for (let sent = 0; sent + chunk.byteLength <= MAX_UNACKED_BYTES - 1024 * 1024; sent += chunk.byteLength)
      sender.push(chunk, false);
    expect(() => sender.push(chunk, false)).toThrow(expect.objectContaining({ code: 'QUEUE_FULL' }));
  });

  it('delivers every message exactly once and in order, whatever the arrival order and duplication', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ maxLength: 40 }), { minLength: 1, maxLength: 30 }),
        fc.array(fc.nat(), { maxLength: 60 }),
        fc.nat(),
        (messages, dupPicks, seed) => {
          const sender = new ReliableSender(9);
          const frames = messages.flatMap((m) => sender.push(text(m), true));
          // Arrival = a shuffled copy plus duplicates (a route switch resends unacked frames).
          const arrival = [...frames, ...dupPicks.map((i) => frames[i % frames.length]!)];
          let s = seed;
          for (let i = arrival.length - 1; i > 0; i--) {
            s = (s * 1103515245 + 12345) >>> 0;
            const j = s % (i + 1);
            [arrival[i], arrival[j]] = [arrival[j]!, arrival[i]!];
          }
          expect(feed(new ReliableReceiver(), arrival)).toEqual(messages);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('chunked messages interleaved with small ones survive reordering', () => {
    const sender = new ReliableSender(4);
    const big = 'x'.repeat(50_000);
    const frames = [
      ...sender.push(text('first'), true),
      ...sender.push(text(big), true),
      ...sender.push(text('last'), true),
    ];
    expect(frames.length).toBeGreaterThan(4);
    const out = feed(new ReliableReceiver(), [...frames].reverse());
    expect(out).toEqual(['first', big, 'last']);
  });
});
