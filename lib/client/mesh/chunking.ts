import { MAX_FRAME_BYTES, MAX_RELIABLE_MESSAGE_BYTES } from './constants';
import { CHUNK_START_HEADER_BYTES, RELIABLE_HEADER_BYTES, type ReliablePart } from './frames';

export interface Part {
  part: ReliablePart;
  /** A view into the message: no copy until the frame is encoded. */
  payload: Uint8Array;
}

/**
 * Splits a reliable message into parts whose frames fit MAX_FRAME_BYTES (SCTP would fragment a big
 * message itself, but a frame must also fit one relay message, and small frames let other traffic
 * interleave).
 */
export function splitMessage(bytes: Uint8Array, isString: boolean, maxFrameBytes = MAX_FRAME_BYTES): Part[] {
  if (bytes.byteLength + RELIABLE_HEADER_BYTES <= maxFrameBytes)
    return [{ part: { type: 'whole', isString }, payload: bytes }];
  const parts: Part[] = [];
  const first = maxFrameBytes - CHUNK_START_HEADER_BYTES;
  const next = maxFrameBytes - RELIABLE_HEADER_BYTES;
  parts.push({
    part: { type: 'start', isString, total: bytes.byteLength },
    payload: bytes.subarray(0, first),
  });
  for (let offset = first; offset < bytes.byteLength; offset += next) {
    parts.push({ part: { type: 'chunk' }, payload: bytes.subarray(offset, offset + next) });
  }
  return parts;
}

export type Reassembled = { isString: boolean; bytes: Uint8Array };

/**
 * Rebuilds messages from parts that arrive in sequence order (the reliable receiver guarantees it).
 * A part that does not fit the message in progress is a protocol error: the message is dropped and
 * the reassembler waits for the next start or whole message.
 */
export class Reassembler {
  private current: { isString: boolean; bytes: Uint8Array; filled: number } | null = null;

  constructor(private readonly maxMessageBytes = MAX_RELIABLE_MESSAGE_BYTES) {}

  push(part: ReliablePart, payload: Uint8Array): Reassembled | null {
    switch (part.type) {
      case 'whole':
        this.current = null;
        return { isString: part.isString, bytes: payload };
      case 'start':
        this.current = null;
        if (part.total > this.maxMessageBytes || payload.byteLength > part.total) return null;
        this.current = { isString: part.isString, bytes: new Uint8Array(part.total), filled: 0 };
        return this.append(payload);
      case 'chunk':
        return this.append(payload);
    }
  }

  get inProgress() {
    return this.current !== null;
  }

  reset() {
    this.current = null;
  }

  private append(payload: Uint8Array): Reassembled | null {
    const cur = this.current;
    if (!cur) return null;
    if (cur.filled + payload.byteLength > cur.bytes.byteLength) {
      this.current = null;
      return null;
    }
    cur.bytes.set(payload, cur.filled);
    cur.filled += payload.byteLength;
    if (cur.filled < cur.bytes.byteLength) return null;
    this.current = null;
    return { isString: cur.isString, bytes: cur.bytes };
  }
}
