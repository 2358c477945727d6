import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addressBytes, buildResponse, MAX_REQUEST_BYTES, parseBindingRequest } from '../../server/stun/codec';
import { bindingRequest, decodeReply } from '../helpers/stun';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');

/** RFC 5769 §2.1: a Binding request with PRIORITY, ICE-CONTROLLED, USERNAME, MESSAGE-INTEGRITY, FINGERPRINT. */
const RFC5769_REQUEST = hex(`
  0001 0058 2112a442 b7e7a701bc34d686fa87dfae
  8022 0010 5354554e 20746573 7420636c 69656e74
  0024 0004 6e0001ff
  8029 0008 932ff9b1 51263b36
  0006 0009 6576746a 3a683676 59202020
  0008 0014 9aeaa70c bfd8cb56 781ef2b5 b2d3f249 c1b571a2
  8028 0004 e57a3bcf`);
const RFC5769_TID = hex('b7e7a701bc34d686fa87dfae');

describe('STUN codec: parsing', () => {
  it('RFC 5769 sample request: fingerprint verified, PRIORITY (comprehension-required, not ours) listed as unknown', () => {
    const req = parseBindingRequest(RFC5769_REQUEST);
    expect(req).toMatchObject({ classic: false, fingerprint: true, unknown: [0x0024] });
    expect(req!.id.subarray(4)).toEqual(RFC5769_TID);
  });

  it('a wrong FINGERPRINT, or anything after it, drops the request', () => {
    const bad = Buffer.from(RFC5769_REQUEST);
    bad[bad.length - 1]! ^= 1;
    expect(parseBindingRequest(bad)).toBeNull();
    const { bytes } = bindingRequest({ fingerprint: true });
    const after = Buffer.concat([bytes, hex('80220000')]);
    after.writeUInt16BE(after.length - 20, 2);
    expect(parseBindingRequest(after)).toBeNull();
  });

  it('a plain browser request parses; its auth attributes would be ignored, not refused', () => {
    const { bytes, id } = bindingRequest({
      attributes: [
        [0x0006, Buffer.from('user')],
        [0x8022, Buffer.from('sw')],
      ],
    });
    expect(parseBindingRequest(bytes)).toEqual({ id, classic: false, fingerprint: false, unknown: [] });
  });

  it.each([
    ['too short', hex('0001 0000 2112a442 0000')],
    ['a response, not a request', Buffer.concat([hex('0101 0000'), bindingRequest().bytes.subarray(4)])],
    ['an indication', Buffer.concat([hex('0011 0000'), bindingRequest().bytes.subarray(4)])],
    ['another method (Allocate)', Buffer.concat([hex('0003 0000'), bindingRequest().bytes.subarray(4)])],
    ['first two bits set', Buffer.concat([hex('4001 0000'), bindingRequest().bytes.subarray(4)])],
    [
      'length not a multiple of 4',
      Buffer.concat([hex('0001 0002'), bindingRequest().bytes.subarray(4), hex('0000')]),
    ],
    [
      'length larger than the datagram',
      Buffer.concat([hex('0001 0008'), bindingRequest().bytes.subarray(4)]),
    ],
    [
      'attribute running past the end',
      Buffer.concat([hex('0001 0008'), bindingRequest().bytes.subarray(4), hex('80220008 00000000')]),
    ],
    [
      'larger than any Binding request',
      Buffer.concat([bindingRequest().bytes, Buffer.alloc(MAX_REQUEST_BYTES)]),
    ],
  ])('drops %s', (_, bytes) => {
    expect(parseBindingRequest(bytes)).toBeNull();
  });
});

describe('STUN codec: responses', () => {
  it('XOR-MAPPED-ADDRESS for IPv4 matches RFC 5769 §2.2 (192.0.2.1:32853)', () => {
    const req = parseBindingRequest(bindingRequest({ transactionId: RFC5769_TID }).bytes)!;
    const res = buildResponse(req, { address: '192.0.2.1', port: 32853 });
    expect(res.subarray(0, 4)).toEqual(hex('0101 000c'));
    expect(res.subarray(4, 20)).toEqual(Buffer.concat([hex('2112a442'), RFC5769_TID]));
    expect(res.subarray(20)).toEqual(hex('0020 0008 0001a147 e112a643'));
  });

  it('XOR-MAPPED-ADDRESS for IPv6 matches RFC 5769 §2.3 (2001:db8:1234:5678:11:2233:4455:6677)', () => {
    const req = parseBindingRequest(bindingRequest({ transactionId: RFC5769_TID }).bytes)!;
    const res = buildResponse(req, { address: '2001:db8:1234:5678:11:2233:4455:6677', port: 32853 });
    expect(res.subarray(20)).toEqual(hex('0020 0014 0002a147 0113a9fa a5d3f179 bc25f4b5 bed2b9d9'));
  });

  it('FINGERPRINT in the reply exactly when the request had one', () => {
    const withFp = parseBindingRequest(bindingRequest({ fingerprint: true }).bytes)!;
    const without = parseBindingRequest(bindingRequest().bytes)!;
    const source = { address: '203.0.113.9', port: 5000 };
    expect(decodeReply(buildResponse(withFp, source))).toMatchObject({
      fingerprint: 'valid',
      order: [0x0020, 0x8028],
    });
    expect(decodeReply(buildResponse(without, source))).toMatchObject({
      fingerprint: 'absent',
      order: [0x0020],
    });
  });

  it('a classic RFC 3489 client (no cookie) gets MAPPED-ADDRESS and its 128-bit id back', () => {
    const { bytes, id } = bindingRequest({ classic: true });
    const req = parseBindingRequest(bytes)!;
    expect(req.classic).toBe(true);
    const reply = decodeReply(buildResponse(req, { address: '198.51.100.7', port: 40000 }));
    expect(reply).toMatchObject({
      type: 0x0101,
      mapped: { address: '198.51.100.7', port: 40000 },
      order: [0x0001],
    });
    expect(reply.id).toEqual(id);
  });

  it('an unknown comprehension-required attribute (RFC 5780 CHANGE-REQUEST) gets a 420 naming it', () => {
    const { bytes, id } = bindingRequest({ attributes: [[0x0003, hex('00000006')]], fingerprint: true });
    const reply = decodeReply(buildResponse(parseBindingRequest(bytes)!, { address: '127.0.0.1', port: 1 }));
    expect(reply).toMatchObject({
      type: 0x0111,
      errorCode: 420,
      unknownAttributes: [0x0003],
      fingerprint: 'valid',
    });
    expect(reply.id).toEqual(id);
    expect(reply.xorMapped).toBeUndefined();
  });

  it('addresses: IPv4-mapped IPv6 answers as IPv4; a zone id is dropped; embedded IPv4 in IPv6 is read', () => {
    expect(addressBytes('::ffff:10.1.2.3')).toEqual(Buffer.from([10, 1, 2, 3]));
    expect(addressBytes('fe80::1%eth0')).toEqual(hex('fe800000000000000000000000000001'));
    expect(addressBytes('64:ff9b::192.0.2.33')).toEqual(hex('0064ff9b0000000000000000c0000221'));
    expect(addressBytes('::')).toEqual(Buffer.alloc(16));
    expect(() => addressBytes('example.com')).toThrow();
  });
});

describe('STUN codec: fuzz', () => {
  const ipv4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((b) => b.join('.'));
  const ipv6 = fc
    .array(fc.nat(0xffff), { minLength: 8, maxLength: 8 })
    .map((g) => g.map((x) => x.toString(16)).join(':'));
  const source = fc.record({ address: fc.oneof(ipv4, ipv6), port: fc.integer({ min: 1, max: 65535 }) });
  // Optional attributes only (0x8000+, not FINGERPRINT), so the request must be answered.
  const optionalAttr = fc.tuple(
    fc.integer({ min: 0x8000, max: 0xffff }).filter((t) => t !== 0x8028),
    fc.uint8Array({ maxLength: 24 }).map((a) => Buffer.from(a)),
  );
  const validRequest = fc.record({
    transactionId: fc.uint8Array({ minLength: 12, maxLength: 12 }).map((a) => Buffer.from(a)),
    fingerprint: fc.boolean(),
    attributes: fc.array(optionalAttr, { maxLength: 6 }),
  });

  it('random bytes never throw; whatever parses yields a well-framed reply', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), source, (bytes, from) => {
        const req = parseBindingRequest(Buffer.from(bytes));
        if (req) expect(() => decodeReply(buildResponse(req, from))).not.toThrow();
      }),
      { numRuns: 2000 },
    );
  });

  it('random bytes behind a valid header (cookie, type, length right) never throw', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (body) => {
        const len = body.length - (body.length % 4);
        const msg = Buffer.concat([
          hex('0001'),
          Buffer.from([len >> 8, len & 0xff]),
          hex('2112a442'),
          Buffer.alloc(12),
          Buffer.from(body.subarray(0, len)),
        ]);
        parseBindingRequest(msg);
      }),
      { numRuns: 2000 },
    );
  });

  it('every well-formed request is answered with its id and the exact source address', () => {
    fc.assert(
      fc.property(validRequest, source, (opts, from) => {
        const { bytes, id } = bindingRequest(opts);
        const req = parseBindingRequest(bytes);
        expect(req).not.toBeNull();
        const reply = decodeReply(buildResponse(req!, from));
        expect(reply.type).toBe(0x0101);
        expect(reply.id).toEqual(id);
        expect(reply.fingerprint).toBe(opts.fingerprint ? 'valid' : 'absent');
        expect(addressBytes(reply.xorMapped!.address)).toEqual(addressBytes(from.address));
        expect(reply.xorMapped!.port).toBe(from.port);
      }),
      { numRuns: 500 },
    );
  });

  it('no truncation or single-byte flip of a request with FINGERPRINT passes as fingerprint-verified', () => {
    fc.assert(
      fc.property(validRequest, fc.nat(), fc.integer({ min: 1, max: 255 }), (opts, at, flip) => {
        const { bytes } = bindingRequest({ ...opts, fingerprint: true });
        expect(parseBindingRequest(bytes.subarray(0, at % bytes.length))).toBeNull();
        const flipped = Buffer.from(bytes);
        flipped[at % bytes.length]! ^= flip;
        // What may still parse: a flip in the cookie (now a classic request, FINGERPRINT unused) or in
        // FINGERPRINT's own type (now some other attribute). Never a verified FINGERPRINT over changed bytes.
        const req = parseBindingRequest(flipped);
        if (req) expect(req.classic || !req.fingerprint).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});
