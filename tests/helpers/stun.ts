import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { once } from 'node:events';
import { crc32 } from 'node:zlib';

/**
 * STUN from the client's side, written from RFC 8489 independently of server/stun/codec.ts, so the
 * tests check the responder against the RFC and not against itself.
 */
const COOKIE = 0x2112a442;
const FINGERPRINT_XOR = 0x5354554e;
const REPLY_TIMEOUT_MS = 5_000;

/** Several UDP ports free on every address right now (all held open together, so they differ). */
export async function freeUdpPorts(n: number): Promise<number[]> {
  const sockets = Array.from({ length: n }, () => createSocket('udp4'));
  await Promise.all(sockets.map((s) => new Promise<void>((resolve) => s.bind(0, '0.0.0.0', resolve))));
  const ports = sockets.map((s) => s.address().port);
  await Promise.all(sockets.map((s) => new Promise<void>((resolve) => s.close(resolve))));
  return ports;
}

export interface RequestOptions {
  /** 12 bytes; random by default. */
  transactionId?: Buffer;
  fingerprint?: boolean;
  /** Extra attributes as [type, value]. */
  attributes?: [number, Buffer][];
  /** RFC 3489: a 16-byte transaction id where the cookie would be. */
  classic?: boolean;
}

/** A Binding request as a browser would send it (header, attributes, optional FINGERPRINT). */
export function bindingRequest(opts: RequestOptions = {}): { bytes: Buffer; id: Buffer } {
  const id = opts.classic
    ? randomBytes(16)
    : Buffer.concat([u32(COOKIE), opts.transactionId ?? randomBytes(12)]);
  const attrs = (opts.attributes ?? []).map(([type, value]) => {
    const a = Buffer.alloc(4 + Math.ceil(value.length / 4) * 4);
    a.writeUInt16BE(type, 0);
    a.writeUInt16BE(value.length, 2);
    value.copy(a, 4);
    return a;
  });
  const body = Buffer.concat(attrs);
  const header = Buffer.concat([u16(0x0001), u16(body.length + (opts.fingerprint ? 8 : 0)), id]);
  const msg = Buffer.concat([header, body]);
  if (!opts.fingerprint) return { bytes: msg, id };
  const fp = Buffer.concat([u16(0x8028), u16(4), u32((crc32(msg) ^ FINGERPRINT_XOR) >>> 0)]);
  return { bytes: Buffer.concat([msg, fp]), id };
}

export interface DecodedReply {
  type: number;
  /** Bytes 4–19: cookie + transaction id (or a classic id). */
  id: Buffer;
  attributes: Map<number, Buffer>;
  /** In wire order. */
  order: number[];
  xorMapped?: { address: string; port: number };
  mapped?: { address: string; port: number };
  errorCode?: number;
  unknownAttributes?: number[];
  /** Present and correct, present and wrong, or absent. */
  fingerprint: 'valid' | 'invalid' | 'absent';
}

/** Decodes a STUN response; throws if its framing is wrong (a test then fails loudly). */
export function decodeReply(msg: Buffer): DecodedReply {
  if (msg.length < 20 || msg.readUInt16BE(2) !== msg.length - 20)
    throw new Error(`bad STUN framing: ${msg.toString('hex')}`);
  const id = msg.subarray(4, 20);
  const attributes = new Map<number, Buffer>();
  const order: number[] = [];
  let fingerprint: DecodedReply['fingerprint'] = 'absent';
  for (let at = 20; at < msg.length;) {
    const type = msg.readUInt16BE(at);
    const len = msg.readUInt16BE(at + 2);
    const value = msg.subarray(at + 4, at + 4 + len);
    if (type === 0x8028)
      fingerprint =
        value.readUInt32BE(0) === (crc32(msg.subarray(0, at)) ^ FINGERPRINT_XOR) >>> 0 ? 'valid' : 'invalid';
    attributes.set(type, value);
    order.push(type);
    at += 4 + Math.ceil(len / 4) * 4;
  }
  const reply: DecodedReply = {
    type: msg.readUInt16BE(0),
    id: Buffer.from(id),
    attributes,
    order,
    fingerprint,
  };
  const xor = attributes.get(0x0020);
  if (xor) reply.xorMapped = decodeAddress(xor, id);
  const plain = attributes.get(0x0001);
  if (plain) reply.mapped = decodeAddress(plain, null);
  const err = attributes.get(0x0009);
  if (err) reply.errorCode = (err[2]! & 0x7) * 100 + err[3]!;
  const unknown = attributes.get(0x000a);
  if (unknown)
    reply.unknownAttributes = Array.from({ length: unknown.length / 2 }, (_, i) =>
      unknown.readUInt16BE(i * 2),
    );
  return reply;
}

function decodeAddress(value: Buffer, id: Buffer | null): { address: string; port: number } {
  const family = value[1];
  const port = value.readUInt16BE(2) ^ (id ? COOKIE >>> 16 : 0);
  const raw = Buffer.from(value.subarray(4));
  if (id) for (let i = 0; i < raw.length; i++) raw[i]! ^= id[i]!;
  if (family === 0x01) return { address: [...raw].join('.'), port };
  const groups = Array.from({ length: 8 }, (_, i) => raw.readUInt16BE(i * 2).toString(16));
  // Compressed the way Node prints addresses, so tests compare with rinfo/address() directly.
  return { address: compressIPv6(groups), port };
}

function compressIPv6(groups: string[]): string {
  let best = { start: -1, len: 0 };
  for (let i = 0; i < 8;) {
    if (groups[i] !== '0') {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > best.len && j - i > 1) best = { start: i, len: j - i };
    i = j;
  }
  if (best.start < 0) return groups.join(':');
  return `${groups.slice(0, best.start).join(':')}::${groups.slice(best.start + best.len).join(':')}`;
}

const u16 = (n: number) => {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n);
  return b;
};
const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
};

/** A UDP client socket that records every datagram it receives. */
export class StunClient {
  readonly received: { msg: Buffer; from: RemoteInfo }[] = [];
  private constructor(readonly socket: Socket) {
    socket.on('message', (msg, from) => this.received.push({ msg, from }));
  }

  static async open(address = '127.0.0.1'): Promise<StunClient> {
    const socket = createSocket(address.includes(':') ? 'udp6' : 'udp4');
    socket.bind(0, address);
    await once(socket, 'listening');
    return new StunClient(socket);
  }

  get port(): number {
    return this.socket.address().port;
  }

  send(bytes: Buffer, port: number, address = '127.0.0.1') {
    this.socket.send(bytes, port, address);
  }

  /** Resolves with the first datagram (received now or later) whose bytes 4–19 equal `id`. */
  replyTo(id: Buffer, timeoutMs = REPLY_TIMEOUT_MS): Promise<{ msg: Buffer; from: RemoteInfo }> {
    const seen = this.received.find((r) => r.msg.subarray(4, 20).equals(id));
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.socket.off('message', onMessage);
        reject(new Error(`no STUN reply to ${id.toString('hex')} within ${timeoutMs} ms`));
      }, timeoutMs);
      const onMessage = (msg: Buffer, from: RemoteInfo) => {
        if (!msg.subarray(4, 20).equals(id)) return;
        clearTimeout(timer);
        this.socket.off('message', onMessage);
        resolve({ msg, from });
      };
      this.socket.on('message', onMessage);
    });
  }

  /** Sends a request and resolves with its decoded reply. */
  async ask(
    port: number,
    opts: RequestOptions = {},
    address = '127.0.0.1',
  ): Promise<DecodedReply & { from: RemoteInfo }> {
    const { bytes, id } = bindingRequest(opts);
    const reply = this.replyTo(id);
    this.send(bytes, port, address);
    const { msg, from } = await reply;
    return { ...decodeReply(msg), from };
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.socket.close(() => resolve()));
  }
}

const STUNCLIENT = 'turnutils_stunclient';
const STUNCLIENT_TIMEOUT_MS = 10_000;

/**
 * Runs coturn's `turnutils_stunclient -p PORT HOST` and returns the mapped address it prints
 * ("UDP reflexive addr: 127.0.0.1:40000"). A missing binary fails with how to install it.
 */
export async function coturnStunClient(
  port: number,
  host = '127.0.0.1',
  binary = STUNCLIENT,
): Promise<{ address: string; port: number }> {
  // Without arguments it prints its usage; only a missing binary sets `error` (ENOENT).
  const probe = spawnSync(binary, [], { encoding: 'utf8' });
  if (probe.error) {
    throw new Error(
      `coturn's \`${binary}\` binary was not found (${probe.error.message}). Install it: apt-get install -y coturn`,
    );
  }
  const child = spawn(binary, ['-p', String(port), host], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), STUNCLIENT_TIMEOUT_MS);
  const [code] = (await once(child, 'exit')) as [number | null];
  clearTimeout(timer);
  const m = /UDP reflexive addr: (\S+):(\d+)/.exec(output);
  if (code !== 0 || !m) throw new Error(`${binary} got no answer (exit ${code}):\n${output}`);
  return { address: m[1]!, port: Number(m[2]) };
}
