import { isIPv4, isIPv6 } from 'node:net';
import { crc32 } from 'node:zlib';

/**
 * STUN Binding (RFC 8489, same wire format as RFC 5389; RFC 3489 "classic" requests too) as pure
 * functions over Buffers: no sockets, no clock, so every branch is unit-tested and fuzzed.
 *
 * What the responder does with a request:
 * - not a well-formed Binding request → `null`: the transport drops it silently (never an error reply,
 *   which a spoofed source could turn into a reflector);
 * - a comprehension-required attribute we do not know (0x0000–0x7FFF, e.g. RFC 5780's CHANGE-REQUEST)
 *   → a 420 error listing them, as RFC 8489 §6.3.1.1 asks, so a NAT-behaviour client learns at once that
 *   this server does not change address or port;
 * - otherwise → a success with XOR-MAPPED-ADDRESS (MAPPED-ADDRESS for a classic client, which has no
 *   cookie), plus FINGERPRINT when the request carried one. No SOFTWARE attribute: it would only make
 *   the reply bigger (an amplification budget) and name our software to strangers.
 */
export const MAGIC_COOKIE = 0x2112a442;
export const HEADER_BYTES = 20;
/** Larger than any Binding request a browser or ICE agent sends; anything bigger is not for us. */
export const MAX_REQUEST_BYTES = 548;

const BINDING_REQUEST = 0x0001;
const BINDING_SUCCESS = 0x0101;
const BINDING_ERROR = 0x0111;

export const Attr = {
  MAPPED_ADDRESS: 0x0001,
  USERNAME: 0x0006,
  MESSAGE_INTEGRITY: 0x0008,
  ERROR_CODE: 0x0009,
  UNKNOWN_ATTRIBUTES: 0x000a,
  REALM: 0x0014,
  NONCE: 0x0015,
  MESSAGE_INTEGRITY_SHA256: 0x001c,
  USERHASH: 0x001e,
  XOR_MAPPED_ADDRESS: 0x0020,
  FINGERPRINT: 0x8028,
} as const;

/**
 * Comprehension-required attributes we "understand" by ignoring them: this server asks for no
 * credentials, so authentication attributes a client adds anyway change nothing (RFC 8489 §9: a
 * server without long- or short-term credentials processes the request as unauthenticated).
 */
const IGNORED_REQUIRED: ReadonlySet<number> = new Set([
  Attr.USERNAME,
  Attr.MESSAGE_INTEGRITY,
  Attr.REALM,
  Attr.NONCE,
  Attr.MESSAGE_INTEGRITY_SHA256,
  Attr.USERHASH,
]);

/** FINGERPRINT = CRC-32 of the message before it, XORed with this ("STUN"). */
const FINGERPRINT_XOR = 0x5354554e;

export interface BindingRequest {
  /** Bytes 4–19 of the header: cookie + 96-bit transaction id, or a classic 128-bit id. Echoed as is. */
  id: Buffer;
  /** RFC 3489 client: no magic cookie, so MAPPED-ADDRESS and no FINGERPRINT. */
  classic: boolean;
  fingerprint: boolean;
  /**
   * Comprehension-required attributes we do not know, in order of appearance. Each costs the request
   * 4 bytes and the 420 reply 2, so listing many amplifies nothing.
   */
  unknown: number[];
}

/** One UDP source address as the reply reports it. */
export interface Mapped {
  address: string;
  port: number;
}

/** Parses a Binding request, or null for anything else (other methods, responses, garbage). */
export function parseBindingRequest(msg: Buffer): BindingRequest | null {
  if (msg.length < HEADER_BYTES || msg.length > MAX_REQUEST_BYTES) return null;
  const type = msg.readUInt16BE(0);
  // The first two bits are zero in every STUN message; method Binding, class request is exactly 0x0001.
  if (type !== BINDING_REQUEST) return null;
  const length = msg.readUInt16BE(2);
  if (length % 4 !== 0 || length !== msg.length - HEADER_BYTES) return null;
  const classic = msg.readUInt32BE(4) !== MAGIC_COOKIE;

  let fingerprint = false;
  const unknown: number[] = [];
  let at = HEADER_BYTES;
  while (at < msg.length) {
    if (at + 4 > msg.length) return null;
    if (fingerprint) return null; // FINGERPRINT must be the last attribute
    const attr = msg.readUInt16BE(at);
    const valueLength = msg.readUInt16BE(at + 2);
    const padded = at + 4 + Math.ceil(valueLength / 4) * 4;
    if (padded > msg.length) return null;
    if (attr === Attr.FINGERPRINT && !classic) {
      if (valueLength !== 4) return null;
      const expected = (crc32(msg.subarray(0, at)) ^ FINGERPRINT_XOR) >>> 0;
      if (msg.readUInt32BE(at + 4) !== expected) return null;
      fingerprint = true;
    } else if (attr < 0x8000 && !IGNORED_REQUIRED.has(attr) && !unknown.includes(attr)) {
      unknown.push(attr);
    }
    at = padded;
  }
  return { id: Buffer.from(msg.subarray(4, HEADER_BYTES)), classic, fingerprint, unknown };
}

/** The answer to a parsed request: a 420 when it named attributes we cannot honour, else a success. */
export function buildResponse(request: BindingRequest, source: Mapped): Buffer {
  return request.unknown.length ? unknownAttributeError(request) : bindingSuccess(request, source);
}

function bindingSuccess(request: BindingRequest, source: Mapped): Buffer {
  const attrs = request.classic
    ? [attribute(Attr.MAPPED_ADDRESS, addressValue(source, null))]
    : [attribute(Attr.XOR_MAPPED_ADDRESS, addressValue(source, request.id))];
  return message(BINDING_SUCCESS, request, attrs);
}

function unknownAttributeError(request: BindingRequest): Buffer {
  const code = Buffer.alloc(4 + 'Unknown Attribute'.length);
  code.writeUInt8(4, 2); // class 4…
  code.writeUInt8(20, 3); // …number 20: 420
  code.write('Unknown Attribute', 4, 'utf8');
  // RFC 3489 wanted the attribute's length a multiple of 4 (repeat one); RFC 8489 pads after the value.
  const listed =
    request.classic && request.unknown.length % 2
      ? [...request.unknown, request.unknown.at(-1)!]
      : request.unknown;
  const unknown = Buffer.alloc(listed.length * 2);
  listed.forEach((attr, i) => unknown.writeUInt16BE(attr, i * 2));
  return message(BINDING_ERROR, request, [
    attribute(Attr.ERROR_CODE, code),
    attribute(Attr.UNKNOWN_ATTRIBUTES, unknown),
  ]);
}

/** Header + attributes (+ FINGERPRINT when the request had one). */
function message(type: number, request: BindingRequest, attrs: Buffer[]): Buffer {
  const withFingerprint = request.fingerprint && !request.classic;
  const bodyBytes = attrs.reduce((n, a) => n + a.length, 0) + (withFingerprint ? 8 : 0);
  const header = Buffer.alloc(HEADER_BYTES);
  header.writeUInt16BE(type, 0);
  header.writeUInt16BE(bodyBytes, 2);
  request.id.copy(header, 4);
  const msg = Buffer.concat([header, ...attrs]);
  if (!withFingerprint) return msg;
  const fp = Buffer.alloc(8);
  fp.writeUInt16BE(Attr.FINGERPRINT, 0);
  fp.writeUInt16BE(4, 2);
  // The CRC covers the header with the final length already in it, which it has.
  fp.writeUInt32BE((crc32(msg) ^ FINGERPRINT_XOR) >>> 0, 4);
  return Buffer.concat([msg, fp]);
}

/** Type, length, value, zero padding to a multiple of 4. */
function attribute(type: number, value: Buffer): Buffer {
  const out = Buffer.alloc(4 + Math.ceil(value.length / 4) * 4);
  out.writeUInt16BE(type, 0);
  out.writeUInt16BE(value.length, 2);
  value.copy(out, 4);
  return out;
}

/**
 * (XOR-)MAPPED-ADDRESS value: family, port, address. With `id` (cookie + transaction id) the port is
 * XORed with the cookie's top 16 bits and the address with cookie (IPv4) or cookie + id (IPv6), so NATs
 * that rewrite addresses they spot in payloads leave it alone.
 */
function addressValue(source: Mapped, id: Buffer | null): Buffer {
  const bytes = addressBytes(source.address);
  const value = Buffer.alloc(4 + bytes.length);
  value.writeUInt8(bytes.length === 4 ? 0x01 : 0x02, 1);
  value.writeUInt16BE(id ? source.port ^ (MAGIC_COOKIE >>> 16) : source.port, 2);
  for (let i = 0; i < bytes.length; i++) value[4 + i] = id ? bytes[i]! ^ id[i]! : bytes[i]!;
  return value;
}

/** An IP address as 4 or 16 bytes; an IPv4-mapped IPv6 address (dual-stack socket) as its IPv4. */
export function addressBytes(address: string): Buffer {
  const plain = address.replace(/%.*$/, ''); // a link-local zone id is local to this host
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(plain);
  if (mapped) return addressBytes(mapped[1]!);
  if (isIPv4(plain)) return Buffer.from(plain.split('.').map(Number));
  if (!isIPv6(plain)) throw new Error(`not an IP address: ${address}`);
  const [head = '', tail] = plain.split('::') as [string, string | undefined];
  const groups = (part: string): number[] => {
    if (!part) return [];
    return part.split(':').flatMap((g) => {
      if (!g.includes('.')) return [parseInt(g, 16)];
      const [a, b, c, d] = g.split('.').map(Number) as [number, number, number, number];
      return [(a << 8) | b, (c << 8) | d];
    });
  };
  const left = groups(head);
  const right = tail === undefined ? [] : groups(tail);
  const all = [...left, ...Array<number>(8 - left.length - right.length).fill(0), ...right];
  const out = Buffer.alloc(16);
  all.forEach((g, i) => out.writeUInt16BE(g, i * 2));
  return out;
}
