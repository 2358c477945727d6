import { afterEach, describe, expect, it, vi } from 'vitest';
import { RelayPacer } from '../../lib/client/mesh/relayPacer';
import { RELAY_RATE_MESSAGES, RELAY_RATE_WINDOW_MS } from '../../lib/protocol';
import { SendQueue, type FrameSink } from '../../lib/client/mesh/sendQueue';

/** A channel whose buffer the test drains by hand. */
class FakeChannel implements FrameSink {
  bufferedAmount = 0;
  readonly sent: number[] = [];
  send(frame: Uint8Array) {
    this.bufferedAmount += frame.byteLength;
    this.sent.push(frame[0]!);
  }
}
const frame = (tag: number, size = 100) => {
  const f = new Uint8Array(size);
  f[0] = tag;
  return f;
};

describe('SendQueue', () => {
  it('reliable: sends under the high-water mark, queues above it in order, drains in order', () => {
    const ch = new FakeChannel();
    const q = new SendQueue(ch, 'queue', 250);
    expect(q.send(frame(1))).toBe('sent');
    expect(q.send(frame(2))).toBe('sent');
    expect(q.send(frame(3))).toBe('queued');
    expect(q.send(frame(4))).toBe('queued');
    expect(q.queuedBytes).toBe(200);
    expect(ch.sent).toEqual([1, 2]);
    ch.bufferedAmount = 100;
    q.drain();
    expect(ch.sent).toEqual([1, 2, 3]);
    ch.bufferedAmount = 0;
    q.drain();
    expect(ch.sent).toEqual([1, 2, 3, 4]);
    expect(q.length).toBe(0);
  });

  it('reliable: nothing overtakes a queued frame even when the buffer has room', () => {
    const ch = new FakeChannel();
    const q = new SendQueue(ch, 'queue', 150);
    q.send(frame(1));
    q.send(frame(2));
    ch.bufferedAmount = 0;
    expect(q.send(frame(3, 10))).toBe('queued');
    q.drain();
    expect(ch.sent).toEqual([1, 2, 3]);
  });

  it('unreliable: above the high-water mark only the latest frame waits', () => {
    const ch = new FakeChannel();
    const q = new SendQueue(ch, 'latest', 150);
    q.send(frame(1));
    expect(q.send(frame(2))).toBe('queued');
    expect(q.send(frame(3))).toBe('replaced');
    expect(q.send(frame(4))).toBe('replaced');
    ch.bufferedAmount = 0;
    q.drain();
    expect(ch.sent).toEqual([1, 4]);
  });

  it('an empty channel takes a frame bigger than the mark', () => {
    const ch = new FakeChannel();
    expect(new SendQueue(ch, 'queue', 50).send(frame(1, 100))).toBe('sent');
  });
});

describe('RelayPacer', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('never exceeds its budget per window, and sends the rest in later windows in order', () => {
    vi.useFakeTimers();
    const sent: [string, number, number][] = [];
    const pacer = new RelayPacer((to, b) => sent.push([to, b[0]!, Date.now()]), {
      messages: 3,
      bytes: 10_000,
      windowMs: 100,
    });
    for (let i = 1; i <= 8; i++) pacer.enqueue('p', frame(i));
    expect(sent.map((s) => s[1])).toEqual([1, 2, 3]);
    vi.advanceTimersByTime(100);
    expect(sent.map((s) => s[1])).toEqual([1, 2, 3, 4, 5, 6]);
    vi.advanceTimersByTime(100);
    expect(sent.map((s) => s[1])).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    // Any 100 ms holds at most 3.
    for (const [, , at] of sent)
      expect(sent.filter(([, , t]) => t >= at && t < at + 100).length).toBeLessThanOrEqual(3);
    pacer.close();
  });

  it('caps bytes too, latest-only slots go first and replace each other, unwanted items are skipped', () => {
    vi.useFakeTimers();
    const sent: number[] = [];
    const pacer = new RelayPacer((_to, b) => sent.push(b[0]!), { messages: 100, bytes: 250, windowMs: 100 });
    pacer.enqueue('p', frame(1));
    pacer.enqueue('p', frame(2));
    pacer.enqueue('p', frame(3)); // over 250 bytes: waits
    pacer.enqueue('p', frame(4), () => false); // skipped when its turn comes
    pacer.replace('p', 'ping', frame(10));
    pacer.replace('p', 'ping', frame(11));
    pacer.replace('q', 'ping', frame(12));
    expect(sent).toEqual([1, 2]);
    vi.advanceTimersByTime(100);
    expect(sent).toEqual([1, 2, 11, 12]);
    vi.advanceTimersByTime(100);
    expect(sent).toEqual([1, 2, 11, 12, 3]);
    pacer.close();
  });

  it('dropPeer forgets everything waiting for that peer', () => {
    vi.useFakeTimers();
    const sent: string[] = [];
    const pacer = new RelayPacer((to) => sent.push(to), { messages: 1, bytes: 10_000, windowMs: 100 });
    pacer.enqueue('a', frame(1));
    pacer.enqueue('b', frame(2));
    pacer.enqueue('a', frame(3));
    pacer.replace('b', 'x', frame(4));
    pacer.dropPeer('b');
    vi.advanceTimersByTime(1000);
    expect(sent).toEqual(['a', 'a']);
    pacer.close();
  });

  it('over budget, latest-only traffic is thinned evenly: 60 Hz to three peers never freezes a peer', () => {
    vi.useFakeTimers();
    const at = new Map<string, number[]>();
    const pacer = new RelayPacer((to) => at.set(to, [...(at.get(to) ?? []), Date.now()]));
    const peers = ['a', 'b', 'c'];
    // 180 game frames/s wanted against a budget of 100/s, for 3 s.
    for (let i = 0; i < 180; i++) {
      for (const p of peers) pacer.replace(p, 'game', frame(1, 120));
      vi.advanceTimersByTime(i % 3 === 2 ? 16 : 17);
    }
    for (const p of peers) {
      const times = at.get(p)!;
      const gaps = times.slice(1).map((t, i) => t - times[i]!);
      expect(Math.max(...gaps)).toBeLessThanOrEqual(70); // within what the interpolation delay bridges
      expect(times.length).toBeGreaterThan(60); // ~33 frames/s each
    }
    // And the server's limit (a fixed window) is never at risk.
    const all = [...at.values()].flat().sort((x, y) => x - y);
    for (const t of all)
      expect(all.filter((u) => u >= t && u < t + RELAY_RATE_WINDOW_MS).length).toBeLessThanOrEqual(
        RELAY_RATE_MESSAGES,
      );
    pacer.close();
  });
});
