import type { UnreliableChannel } from './channels';

/**
 * Wire format of everything a pair exchanges, identical on the data channels and the server relay.
 * Byte 0: frame type, with STRING_FLAG set when the payload is UTF-8 text. Integers little endian.
 *
 *   RELIABLE     [type][epoch u32][seq u32] payload            whole message
 *   CHUNK_START  [type][epoch u32][seq u32][total u32] payload first part of a chunked message
 *   CHUNK        [type][epoch u32][seq u32] payload            next part
 *   ACK          [type][epoch u32][next u32]                   every seq < next was delivered
 *   UNRELIABLE / UNRELIABLE_ORDERED [type] payload
 *   PING / PONG  [type][id u32]
 *   HELLO        [type][epoch u32]                           sent whenever a route becomes usable
 *
 * `epoch` names the sender's reliable stream (a fresh Mesh starts a new one), `seq` orders it across
 * route switches.
 */
export const FrameType = {
  RELIABLE: 1,
  CHUNK_START: 2,
  CHUNK: 3,
  ACK: 4,
  UNRELIABLE: 5,
  UNRELIABLE_ORDERED: 6,
  PING: 7,
  PONG: 8,
  HELLO: 9,
} as const;

const STRING_FLAG = 0x80;
export const RELIABLE_HEADER_BYTES = 9;
export const CHUNK_START_HEADER_BYTES = 13;
const CONTROL_BYTES = 9;
const PING_BYTES = 5;

export type ReliablePart =
  | { type: 'whole'; isString: boolean }
  | { type: 'start'; isString: boolean; total: number }
  | { type: 'chunk' };

export type Frame =
  | { kind: 'reliable'; epoch: number; seq: number; part: ReliablePart; payload: Uint8Array }
  | { kind: 'ack'; epoch: number; next: number }
  | { kind: 'unreliable'; channel: UnreliableChannel; isString: boolean; payload: Uint8Array }
  | { kind: 'ping'; id: number }
  | { kind: 'pong'; id: number }
  | { kind: 'hello'; epoch: number };

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A message as bytes; strings become UTF-8 and are flagged so they come back as strings. */
export function messageBytes(data: string | ArrayBuffer | ArrayBufferView): {
  bytes: Uint8Array;
  isString: boolean;
} {
  if (typeof data === 'string') return { bytes: encoder.encode(data), isString: true };
  if (data instanceof ArrayBuffer) return { bytes: new Uint8Array(data), isString: false };
  if (ArrayBuffer.isView(data))
    return { bytes: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), isString: false };
  throw new TypeError('message must be a string, an ArrayBuffer or a typed array');
}

export function messageData(bytes: Uint8Array, isString: boolean): string | Uint8Array {
  return isString ? decoder.decode(bytes) : bytes;
}

export function encodeReliable(
  epoch: number,
  seq: number,
  part: ReliablePart,
  payload: Uint8Array,
): Uint8Array {
  const header = part.type === 'start' ? CHUNK_START_HEADER_BYTES : RELIABLE_HEADER_BYTES;
  const out = new Uint8Array(header + payload.byteLength);
  const view = new DataView(out.buffer);
  const type =
    part.type === 'whole'
      ? FrameType.RELIABLE
      : part.type === 'start'
        ? FrameType.CHUNK_START
        : FrameType.CHUNK;
  out[0] = type | (part.type !== 'chunk' && part.isString ? STRING_FLAG : 0);
  view.setUint32(1, epoch, true);
  view.setUint32(5, seq, true);
  if (part.type === 'start') view.setUint32(9, part.total, true);
  out.set(payload, header);
  return out;
}

export function encodeUnreliable(
  channel: UnreliableChannel,
  isString: boolean,
  payload: Uint8Array,
): Uint8Array {
  const out = new Uint8Array(1 + payload.byteLength);
  out[0] =
    (channel === 'unreliable' ? FrameType.UNRELIABLE : FrameType.UNRELIABLE_ORDERED) |
    (isString ? STRING_FLAG : 0);
  out.set(payload, 1);
  return out;
}

export function encodeAck(epoch: number, next: number): Uint8Array {
  const out = new Uint8Array(CONTROL_BYTES);
  const view = new DataView(out.buffer);
  out[0] = FrameType.ACK;
  view.setUint32(1, epoch, true);
  view.setUint32(5, next, true);
  return out;
}

/** PING, PONG and HELLO share one shape: a type and a u32. */
export function encodePing(kind: 'ping' | 'pong' | 'hello', id: number): Uint8Array {
  const out = new Uint8Array(PING_BYTES);
  out[0] = kind === 'ping' ? FrameType.PING : kind === 'pong' ? FrameType.PONG : FrameType.HELLO;
  new DataView(out.buffer).setUint32(1, id, true);
  return out;
}

/** Parses one frame; null for anything malformed (a peer is not trusted to be well-formed). */
export function decodeFrame(bytes: Uint8Array): Frame | null {
  if (bytes.byteLength < 1) return null;
  const first = bytes[0]!;
  const type = first & ~STRING_FLAG;
  const isString = (first & STRING_FLAG) !== 0;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  switch (type) {
    case FrameType.RELIABLE:
    case FrameType.CHUNK: {
      if (bytes.byteLength < RELIABLE_HEADER_BYTES) return null;
      const part: ReliablePart =
        type === FrameType.RELIABLE ? { type: 'whole', isString } : { type: 'chunk' };
      return {
        kind: 'reliable',
        epoch: view.getUint32(1, true),
        seq: view.getUint32(5, true),
        part,
        payload: bytes.subarray(RELIABLE_HEADER_BYTES),
      };
    }
    case FrameType.CHUNK_START: {
      if (bytes.byteLength < CHUNK_START_HEADER_BYTES) return null;
      const part: ReliablePart = { type: 'start', isString, total: view.getUint32(9, true) };
      return {
        kind: 'reliable',
        epoch: view.getUint32(1, true),
        seq: view.getUint32(5, true),
        part,
        payload: bytes.subarray(CHUNK_START_HEADER_BYTES),
      };
    }
    case FrameType.ACK:
      if (bytes.byteLength !== CONTROL_BYTES) return null;
      return { kind: 'ack', epoch: view.getUint32(1, true), next: view.getUint32(5, true) };
    case FrameType.UNRELIABLE:
    case FrameType.UNRELIABLE_ORDERED:
      return {
        kind: 'unreliable',
        channel: type === FrameType.UNRELIABLE ? 'unreliable' : 'unreliable-ordered',
        isString,
        payload: bytes.subarray(1),
      };
    case FrameType.PING:
    case FrameType.PONG:
      if (bytes.byteLength !== PING_BYTES) return null;
      return { kind: type === FrameType.PING ? 'ping' : 'pong', id: view.getUint32(1, true) };
    case FrameType.HELLO:
      if (bytes.byteLength !== PING_BYTES) return null;
      return { kind: 'hello', epoch: view.getUint32(1, true) };
    default:
      return null;
  }
}
