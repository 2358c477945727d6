import { describe, expect, it } from 'vitest';
import { Reassembler, splitMessage } from '../../lib/client/mesh/chunking';
import { MAX_FRAME_BYTES } from '../../lib/client/mesh/constants';
import {
  decodeFrame,
  encodeAck,
  encodePing,
  encodeReliable,
  encodeUnreliable,
  messageBytes,
  messageData,
} from '../../lib/client/mesh/frames';

const bytes = (n: number) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + 7) & 0xff);

function roundTrip(message: Uint8Array, isString: boolean) {
  const parts = splitMessage(message, isString);
  const r = new Reassembler();
  const out = [];
  for (const [i, { part, payload }] of parts.entries()) {
    const frame = encodeReliable(3, i, part, payload);
    expect(frame.byteLength).toBeLessThanOrEqual(MAX_FRAME_BYTES);
    const decoded = decodeFrame(frame);
    if (decoded?.kind !== 'reliable') throw new Error('not reliable');
    expect(decoded.seq).toBe(i);
    const done = r.push(decoded.part, decoded.payload);
    if (done) out.push(done);
  }
  return { parts, out };
}

describe('chunking', () => {
  it('sends a small message as one whole frame', () => {
    const { parts, out } = roundTrip(bytes(100), false);
    expect(parts).toHaveLength(1);
    expect(parts[0]!.part.type).toBe('whole');
    expect(out).toHaveLength(1);
    expect([...out[0]!.bytes]).toEqual([...bytes(100)]);
  });

  it('splits at the frame cap: the biggest whole message and the smallest chunked one', () => {
    expect(splitMessage(bytes(MAX_FRAME_BYTES - 9), false)).toHaveLength(1);
    expect(splitMessage(bytes(MAX_FRAME_BYTES - 8), false)).toHaveLength(2);
  });

  it('reassembles 1 MB exactly, every frame within the cap', () => {
    const message = bytes(1024 * 1024);
    const { parts, out } = roundTrip(message, false);
    expect(parts.length).toBe(
      Math.ceil((message.byteLength - (MAX_FRAME_BYTES - 13)) / (MAX_FRAME_BYTES - 9)) + 1,
    );
    expect(out).toHaveLength(1);
    expect(Buffer.compare(Buffer.from(out[0]!.bytes), Buffer.from(message))).toBe(0);
  });

  it('keeps strings strings, including multi-byte text split inside a character', () => {
    const text = '→ ünïcødé 🎮 '.repeat(3000);
    const { bytes: encoded, isString } = messageBytes(text);
    const { out } = roundTrip(encoded, isString);
    expect(messageData(out[0]!.bytes, out[0]!.isString)).toBe(text);
  });

  it('refuses a message announced above the maximum before allocating it', () => {
    const r = new Reassembler(1000);
    expect(r.push({ type: 'start', isString: false, total: 1001 }, bytes(10))).toBeNull();
    expect(r.inProgress).toBe(false);
    expect(r.push({ type: 'chunk' }, bytes(10))).toBeNull();
  });

  it('drops a message whose chunks overflow its announced size, then recovers', () => {
    const r = new Reassembler();
    expect(r.push({ type: 'start', isString: false, total: 15 }, bytes(10))).toBeNull();
    expect(r.push({ type: 'chunk' }, bytes(10))).toBeNull();
    expect(r.inProgress).toBe(false);
    expect(r.push({ type: 'whole', isString: false }, bytes(3))?.bytes.byteLength).toBe(3);
  });

  it('ignores chunks without a start', () => {
    expect(new Reassembler().push({ type: 'chunk' }, bytes(10))).toBeNull();
  });
});

describe('frames', () => {
  it('round-trips control and unreliable frames', () => {
    expect(decodeFrame(encodeAck(7, 42))).toEqual({ kind: 'ack', epoch: 7, next: 42 });
    expect(decodeFrame(encodePing('ping', 9))).toEqual({ kind: 'ping', id: 9 });
    expect(decodeFrame(encodePing('pong', 2 ** 32 - 1))).toEqual({ kind: 'pong', id: 2 ** 32 - 1 });
    expect(decodeFrame(encodePing('hello', 123))).toEqual({ kind: 'hello', epoch: 123 });
    const u = decodeFrame(encodeUnreliable('unreliable-ordered', true, messageBytes('hé').bytes));
    expect(u).toMatchObject({ kind: 'unreliable', channel: 'unreliable-ordered', isString: true });
    if (u?.kind === 'unreliable') expect(messageData(u.payload, u.isString)).toBe('hé');
  });

  it('returns null for malformed frames instead of throwing', () => {
    for (const bad of [[], [0], [99, 1, 2], [1, 0, 0], [2, 0, 0, 0, 0, 0, 0, 0, 0], [4, 1], [7, 1, 2]]) {
      expect(decodeFrame(Uint8Array.from(bad))).toBeNull();
    }
  });

  it('accepts any typed-array view as a message without copying it', () => {
    const buf = new ArrayBuffer(16);
    const view = new Uint16Array(buf, 4, 2);
    const { bytes: b, isString } = messageBytes(view);
    expect(isString).toBe(false);
    expect(b.buffer).toBe(buf);
    expect([b.byteOffset, b.byteLength]).toEqual([4, 4]);
  });
});
