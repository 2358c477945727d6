import fc from 'fast-check';
import { Encoder, PacketType } from 'socket.io-parser';
import { describe, expect, it } from 'vitest';
import { ErrorCode, type ClientEventName, type Result } from '../../lib/protocol';
import type { ClientSocket } from '../../lib/client/LobbyClient';
import type { Lobby } from '../../server/lobby/types';
import { MAX_BINARY_ATTACHMENTS } from '../../server/socket/parser';
import { createLobby, expectOk, newPlayer, setupLobby, serverPerFile, type Member } from '../helpers/lobby';
import { request } from '../helpers/server';

/**
 * S3, by property: arbitrary payloads to every client event, from members and non-members. Each one is
 * answered with a well-formed result (an error code clients know, or ok when the random payload happened
 * to be valid) or, without an ack callback, ignored; the server stays up and lobby invariants hold.
 */
const ctx = serverPerFile();

/** Every client event; the type check below fails when lib/protocol/events.ts gains one not listed. */
const EVENTS = [
  'lobby:create',
  'lobby:join',
  'lobby:join-or-create',
  'lobby:leave',
  'lobby:ready',
  'lobby:kick',
  'lobby:lock',
  'lobby:rotate-invite',
  'lobby:transfer',
  'lobby:settings',
  'lobby:set-meta',
  'lobby:set-player-meta',
  'lobby:start',
  'lobby:end',
  'browser:watch',
  'connection:check',
  'ice:refresh',
] as const satisfies readonly ClientEventName[];
/** The fire-and-forget signaling events are fuzzed in fuzz-signal.test.ts. */
type Unlisted = Exclude<ClientEventName, (typeof EVENTS)[number] | 'signal' | 'relay'>;
const everyEventListed: [Unlisted] extends [never] ? true : Unlisted = true;

const RUNS = 200;
const TIME_CAP_MS = 20_000;
/** Bounded so a payload stays under MAX_PACKET_BYTES: the size cap (S2) is tested on its own. */
const MAX_STRING_CHARS = 4_000;
const KNOWN_CODES = new Set<string>(Object.values(ErrorCode));

const protoKey = fc.constantFrom(
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'valueOf',
);
const hugeNumber = fc.constantFrom(
  Number.MAX_VALUE,
  -Number.MAX_VALUE,
  Number.MAX_SAFE_INTEGER + 2,
  1e308,
  -0,
  2 ** 53,
  Number.MIN_VALUE,
);
const deepArray = fc.integer({ min: 1, max: 400 }).map((depth) => {
  let v: unknown = [];
  for (let i = 0; i < depth; i++) v = [v];
  return v;
});
const binary = fc.oneof(
  fc.uint8Array({ maxLength: 512 }).map((a) => Buffer.from(a)),
  fc.uint8Array({ maxLength: 512 }),
  fc.float32Array({ maxLength: 64 }),
);
/** `{"__proto__": …}` as JSON.parse builds it: an own key, which is what the server's parser sees. */
const parsedProto = fc
  .tuple(
    fc.jsonValue({ maxDepth: 2 }),
    fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }),
  )
  .map(
    ([inner, rest]) =>
      JSON.parse(
        `{"__proto__":${JSON.stringify(inner)},${JSON.stringify(rest).slice(1)}`.replace(/,}$/, '}'),
      ) as unknown,
  );
const nearValid = fc.record(
  {
    nickname: fc.oneof(fc.string({ maxLength: 40 }), fc.anything()),
    name: fc.string({ maxLength: 60 }),
    visibility: fc.constantFrom('public', 'private', 'secret'),
    maxPlayers: fc.oneof(fc.integer({ min: -5, max: 40 }), hugeNumber),
    code: fc.string({ maxLength: 10 }),
    invite: fc.string({ maxLength: 30 }),
    playerId: fc.string({ maxLength: 40 }),
    ready: fc.anything(),
    locked: fc.boolean(),
    ban: fc.anything(),
    watch: fc.boolean(),
  },
  { requiredKeys: [] },
);
const payload: fc.Arbitrary<unknown> = fc.oneof(
  fc.anything({
    maxDepth: 4,
    maxKeys: 6,
    withTypedArray: true,
    withNullPrototype: true,
    withObjectString: true,
    withSparseArray: true,
    withDate: true,
    key: fc.oneof(fc.string({ maxLength: 10 }), protoKey),
  }),
  fc.dictionary(protoKey, fc.anything({ maxDepth: 2 }), { maxKeys: 3 }),
  parsedProto,
  nearValid,
  deepArray,
  binary,
  hugeNumber,
  fc.string({ minLength: 1_000, maxLength: MAX_STRING_CHARS }),
  fc.constantFrom(null, undefined, 0, '', [], {}, true),
);

/** Payloads that parse for `event`, aimed at the real lobby (its code, token, member ids) or at nothing. */
function validFor(
  event: (typeof EVENTS)[number],
  lobby: { code: string; inviteToken: string; memberIds: string[] },
): fc.Arbitrary<object> {
  const nickname = fc.string({ minLength: 1, maxLength: 32 }).filter((n) => n.trim().length > 0);
  const playerId = fc.oneof(fc.constantFrom(...lobby.memberIds), fc.stringMatching(/^[A-Za-z0-9_-]{16}$/));
  const settings = fc.record(
    {
      name: fc.constantFrom('Renamed', 'Room'),
      visibility: fc.constantFrom('public', 'private'),
      maxPlayers: fc.integer({ min: 2, max: 16 }),
    },
    { requiredKeys: [] },
  );
  switch (event) {
    case 'lobby:create':
      return fc.record(
        {
          nickname,
          name: fc.constantFrom('Fuzz', 'Room'),
          visibility: fc.constantFrom('public', 'private'),
          maxPlayers: fc.integer({ min: 2, max: 16 }),
          game: fc.constantFrom('ring-out', 'pong'),
        },
        { requiredKeys: ['nickname', 'name', 'visibility', 'maxPlayers'] },
      );
    case 'lobby:join':
      return fc.oneof(
        fc.record({
          nickname,
          code: fc.oneof(fc.constant(lobby.code), fc.stringMatching(/^[2-9A-HJ-NP-Z]{6}$/)),
        }),
        fc.record({
          nickname,
          invite: fc.oneof(fc.constant(lobby.inviteToken), fc.stringMatching(/^[A-Za-z0-9_-]{22}$/)),
        }),
      );
    case 'lobby:join-or-create':
      return fc.record(
        {
          nickname,
          game: fc.constantFrom('ring-out', 'pong'),
          maxPlayers: fc.integer({ min: 2, max: 16 }),
          name: fc.constantFrom('Quick', 'Room'),
        },
        { requiredKeys: ['nickname'] },
      );
    case 'lobby:leave':
    case 'lobby:start':
    case 'lobby:end':
    case 'connection:check':
    case 'ice:refresh':
    case 'lobby:rotate-invite':
      return fc.constant({});
    case 'lobby:ready':
      return fc.record({ ready: fc.boolean() });
    case 'lobby:lock':
      return fc.record({ locked: fc.boolean() });
    case 'lobby:kick':
      return fc.record({ playerId, ban: fc.boolean() });
    case 'lobby:transfer':
      return fc.record({ playerId });
    case 'lobby:settings':
      return settings;
    case 'browser:watch':
      return fc.record(
        { watch: fc.boolean(), game: fc.constantFrom('ring-out', 'pong') },
        { requiredKeys: ['watch'] },
      );
    case 'lobby:set-meta':
    case 'lobby:set-player-meta':
      return fc.record({
        meta: fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 4 }),
      });
  }
}

/** A valid payload with one key's value replaced by anything, or a prototype key added beside. */
const spoiled = (valid: fc.Arbitrary<object>) =>
  fc
    .tuple(valid, fc.oneof(protoKey, fc.string({ maxLength: 8 })), fc.anything({ maxDepth: 2 }))
    .map(([v, key, value]) => {
      const keys = Object.keys(v);
      const target = keys.length && key.length % 2 === 0 ? (keys[key.length % keys.length] as string) : key;
      return JSON.parse(
        JSON.stringify({ ...v, [target]: value ?? null }).replace(/^\{"(?:[^"\\]|\\.)*":/, '{"__proto__":'),
      ) as unknown;
    });

/** Binary parts socket.io would send for `v` (a packet with more is closed by design: binary-parts.test.ts). */
function binaryParts(v: unknown, seen = new Set<unknown>()): number {
  if (ArrayBuffer.isView(v) || v instanceof ArrayBuffer) return 1;
  if (typeof v !== 'object' || v === null || seen.has(v)) return 0;
  seen.add(v);
  return Object.values(v).reduce<number>((n, x) => n + binaryParts(x, seen), 0);
}

/**
 * Whether socket.io-client can encode `v` at all. fast-check can build objects its encoder throws on
 * (copying a binary packet re-assigns an own `__proto__` key, and a Date reached that way throws "this
 * is not a Date object" in JSON.stringify); those never reach the server, so they are not cases.
 */
const encoder = new Encoder();
function encodable(event: string, v: unknown): boolean {
  try {
    encoder.encode({ type: PacketType.EVENT, nsp: '/', data: [event, v], id: 1 });
    return true;
  } catch {
    return false;
  }
}

function checkInvariants(lobby: Lobby) {
  const ids = lobby.members.map((m) => m.id);
  expect(ids).toContain(lobby.hostId);
  expect(ids.length).toBeLessThanOrEqual(lobby.maxPlayers);
  expect(new Set(ids).size).toBe(ids.length);
  for (const m of lobby.members) expect(lobby.bannedPlayers).not.toContain(m.id);
}

function wellFormed(result: unknown) {
  const r = result as Result<unknown>;
  expect(typeof r).toBe('object');
  if (r.ok) return;
  expect(r.ok).toBe(false);
  expect(KNOWN_CODES.has(r.error)).toBe(true);
}

describe('fuzz (S3)', () => {
  it('S3: arbitrary payloads to every event, from members and non-members: a known answer or nothing; server up; invariants hold', async () => {
    expect(everyEventListed).toBe(true);
    const { host, guests, lobby } = await setupLobby(ctx.clients, { guests: 2 });
    const target = {
      code: lobby.code,
      inviteToken: lobby.inviteToken,
      memberIds: lobby.members.map((m) => m.id),
    };
    const outsider = await newPlayer(ctx.clients);
    const senders: [string, ClientSocket][] = [
      ['host', host.socket],
      ['guest', (guests[0] as Member).socket],
      ['guest2', (guests[1] as Member).socket],
      ['outsider', outsider.socket],
    ];
    const versions = new Map<string, number>();

    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...senders),
        fc
          .constantFrom(...EVENTS)
          .chain((event) =>
            fc.tuple(
              fc.constant(event),
              fc.oneof(payload, validFor(event, target), spoiled(validFor(event, target))),
            ),
          )
          .filter(([, body]) => binaryParts(body) <= MAX_BINARY_ATTACHMENTS),
        fc.boolean(),
        async ([, socket], [event, body], withAck) => {
          fc.pre(encodable(event, body));
          if (withAck) wellFormed(await request(socket, event, body));
          else (socket as unknown as { emit(e: string, p: unknown): void }).emit(event, body);
          // A bad payload never costs the sender its connection.
          expect(socket.connected).toBe(true);
          for (const lobby of ctx.store.live) {
            checkInvariants(lobby);
            expect(lobby.version).toBeGreaterThanOrEqual(versions.get(lobby.id) ?? 0);
            versions.set(lobby.id, lobby.version);
          }
        },
      ),
      { numRuns: RUNS, interruptAfterTimeLimit: TIME_CAP_MS, markInterruptAsFailure: false },
    );

    // Ack-less emits are ignored, never answered late: a request now gets its own answer. The same
    // server still serves a fresh player.
    const fresh = await newPlayer(ctx.clients);
    const created = await createLobby(fresh.socket, { name: 'After fuzz' });
    expect(created.lobby.members.map((m) => m.id)).toEqual([created.selfId]);
    expectOk(await request(outsider.socket, 'browser:watch', { watch: false }));
  }, 40_000);
});
