import { describe, expect, it } from 'vitest';
import { DEFAULT_GAME, ErrorCode, MAX_PACKET_BYTES } from '../../lib/protocol';
import { browserRoom } from '../../server/socket/types';
import {
  expectOk,
  newPlayer,
  setupLobby,
  serverPerFile,
  type LobbyFixture,
  type Member,
} from '../helpers/lobby';
import { request } from '../helpers/server';

/**
 * S3 (by example): every client event refuses malformed payloads with INVALID_PAYLOAD, stores nothing,
 * and tells no one. Payloads a browser could never send on its own are the point.
 */
const ctx = serverPerFile();

const HUGE = 'x'.repeat(40_000); // under the packet cap: reaches the handler's schema
const deepArray = (depth: number): unknown => (depth === 0 ? [] : [deepArray(depth - 1)]);
const withProto = (json: string) => JSON.parse(json) as unknown;

/** Bad for every event: wrong top-level types, prototype keys, binary, deep nesting. */
const EVERYWHERE: [string, unknown][] = [
  ['null', null],
  ['a number', 42],
  ['a string', 'lobby'],
  ['an empty array', []],
  ['a huge string', HUGE],
  ['a buffer', Buffer.from('{}')],
  ['deep arrays', deepArray(64)],
  ['a __proto__ key', withProto('{"__proto__":{"polluted":true}}')],
  ['a constructor.prototype key', { constructor: { prototype: { polluted: true } } }],
];

/** A valid payload with an own `__proto__` key beside its keys, as JSON.parse on the server would build it. */
function protoBeside(valid: object): unknown {
  const body = JSON.stringify(valid).slice(1, -1);
  return withProto(`{${body}${body ? ',' : ''}"__proto__":{"polluted":true}}`);
}

/** Per event: the common bad payloads, the valid one spoiled three ways, and the event's own bad ones. */
function casesFor(valid: object, own: [string, unknown][]): [string, unknown][] {
  return [
    ...EVERYWHERE,
    ['an extra key', { ...valid, extra: 1 }],
    ['__proto__ beside valid keys', protoBeside(valid)],
    ['the valid payload inside an array', [valid]],
    ...own,
  ];
}

/** Sends every payload; each must be INVALID_PAYLOAD with the stored lobby unchanged and nothing inserted. */
async function allRefused(
  sender: Member['socket'],
  event: string,
  lobbyId: string | null,
  cases: [string, unknown][],
) {
  const before = lobbyId ? await ctx.store.get(lobbyId) : null;
  const inserts = ctx.store.inserts;
  for (const [name, payload] of cases) {
    const result = await request(sender, event, payload);
    expect(result, `${event}: ${name}`).toEqual({ ok: false, error: ErrorCode.INVALID_PAYLOAD });
  }
  if (lobbyId) expect(await ctx.store.get(lobbyId)).toEqual(before);
  expect(ctx.store.inserts).toBe(inserts);
  // The server runs in this process: a polluted Object.prototype would show here.
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
}

/**
 * Proves the refusals broadcast nothing: the next valid change (by the host) must be the first
 * `lobby:state` every other member receives after `mark`. Any broadcast caused by an earlier request
 * would have been emitted before that change and so delivered before it on each connection.
 */
async function nothingBroadcast(f: LobbyFixture, marks: number[]) {
  const version = ((await ctx.store.get(f.lobby.id))?.version ?? 0) + 1;
  expectOk(await request(f.host.socket, 'lobby:settings', { name: `v${version}` }));
  for (const [i, m] of f.all.entries()) {
    const next = await m.states.waitFor((v) => v.version === version);
    expect(m.states.items.slice(marks[i])).toEqual([next]);
  }
}

const NICK = 'Ann';

describe('malformed payloads', () => {
  it('lobby:create from a socket in no lobby', async () => {
    const p = await newPlayer(ctx.clients);
    const valid = { nickname: NICK, name: 'Room', visibility: 'public' };
    await allRefused(
      p.socket,
      'lobby:create',
      null,
      casesFor(valid, [
        ['nickname a number', { ...valid, nickname: 5 }],
        ['nickname huge', { ...valid, nickname: HUGE }],
        ['nickname only zero-width', { ...valid, nickname: '\u200B\u200B' }],
        ['name missing', { nickname: NICK, visibility: 'public' }],
        ['visibility unknown', { ...valid, visibility: 'hidden' }],
        ['maxPlayers too big', { ...valid, maxPlayers: 1e9 }],
        ['maxPlayers too small', { ...valid, maxPlayers: 1 }],
        ['maxPlayers a string', { ...valid, maxPlayers: '8' }],
        ['maxPlayers fractional', { ...valid, maxPlayers: 4.5 }],
      ]),
    );
    // The socket is still usable, and still in no lobby.
    expect(await request(p.socket, 'lobby:leave', {})).toEqual({ ok: false, error: ErrorCode.NOT_IN_LOBBY });
  });

  it('lobby:join from a socket in no lobby', async () => {
    const f = await setupLobby(ctx.clients, { guests: 1 });
    const marks = f.all.map((m) => m.states.items.length);
    const p = await newPlayer(ctx.clients);
    const valid = { nickname: NICK, code: f.lobby.code };
    await allRefused(
      p.socket,
      'lobby:join',
      f.lobby.id,
      casesFor(valid, [
        ['code a number', { nickname: NICK, code: 123456 }],
        ['code with ambiguous characters', { nickname: NICK, code: 'OIL01A' }],
        ['code huge', { nickname: NICK, code: HUGE }],
        ['code and invite', { ...valid, invite: f.lobby.inviteToken }],
        ['neither code nor invite', { nickname: NICK }],
        ['invite too short', { nickname: NICK, invite: f.lobby.inviteToken.slice(1) }],
        ['invite an object', { nickname: NICK, invite: { $ne: null } }],
        ['nickname null', { nickname: null, code: f.lobby.code }],
        ['a forged lobby id', { ...valid, lobbyId: f.lobby.id }],
      ]),
    );
    await nothingBroadcast(f, marks);
  });

  const memberEvents: [string, (f: LobbyFixture) => object, (f: LobbyFixture) => [string, unknown][]][] = [
    ['lobby:leave', () => ({}), () => [['a reason', { reason: 'bye' }]]],
    [
      'lobby:ready',
      () => ({ ready: true }),
      () => [
        ['ready a string', { ready: 'yes' }],
        ['ready a number', { ready: 1 }],
        ['ready missing', {}],
        ['ready a buffer', { ready: Buffer.from([1]) }],
        ['a forged player id', { ready: true, playerId: 'someone-else-1' }],
      ],
    ],
    [
      'lobby:kick',
      (f) => ({ playerId: (f.guests[0] as Member).id }),
      (f) => [
        ['playerId a number', { playerId: 7 }],
        ['playerId with slashes', { playerId: '../../etc/passwd' }],
        ['playerId huge', { playerId: HUGE }],
        ['ban a string', { playerId: (f.guests[0] as Member).id, ban: 'yes' }],
        ['a forged actor', { playerId: (f.guests[0] as Member).id, actor: f.host.id }],
      ],
    ],
    [
      'lobby:lock',
      () => ({ locked: true }),
      () => [
        ['locked a string', { locked: 'true' }],
        ['locked missing', {}],
      ],
    ],
    [
      'lobby:transfer',
      (f) => ({ playerId: (f.guests[0] as Member).id }),
      () => [
        ['playerId null', { playerId: null }],
        ['playerId an array', { playerId: ['a'] }],
      ],
    ],
    [
      'lobby:settings',
      () => ({ name: 'Renamed' }),
      () => [
        ['no setting', {}],
        ['maxPlayers 1', { maxPlayers: 1 }],
        ['maxPlayers 17', { maxPlayers: 17 }],
        ['maxPlayers NaN-ish', { maxPlayers: 'NaN' }],
        ['name empty after cleaning', { name: ' \u202E ' }],
        ['name huge', { name: HUGE }],
        ['visibility unknown', { visibility: 'secret' }],
        ['a forged version', { name: 'x', version: 999 }],
      ],
    ],
    ['lobby:start', () => ({}), () => [['a flag', { force: true }]]],
    ['lobby:end', () => ({}), () => [['a winner', { winner: 'me' }]]],
  ];

  it.each(memberEvents)(
    '%s from the host: refused, nothing stored, no one told',
    async (name, valid, own) => {
      const f = await setupLobby(ctx.clients, { guests: 2 });
      const marks = f.all.map((m) => m.states.items.length);
      await allRefused(f.host.socket, name, f.lobby.id, casesFor(valid(f), own(f)));
      await nothingBroadcast(f, marks);
    },
  );

  it('browser:watch: refused and the socket is not subscribed', async () => {
    const p = await newPlayer(ctx.clients);
    await allRefused(
      p.socket,
      'browser:watch',
      null,
      casesFor({ watch: true }, [
        ['watch a string', { watch: 'yes' }],
        ['watch missing', {}],
        ['watch null', { watch: null }],
      ]),
    );
    const watchers = await ctx.server.app.io.in(browserRoom(DEFAULT_GAME)).fetchSockets();
    expect(watchers.map((s) => s.id)).not.toContain(p.socket.id);
  });

  it('an event without an ack callback is ignored; the socket keeps working', async () => {
    const f = await setupLobby(ctx.clients, { guests: 1 });
    const marks = f.all.map((m) => m.states.items.length);
    const emit = f.host.socket.emit as unknown as (e: string, ...a: unknown[]) => void;
    emit.call(f.host.socket, 'lobby:lock', { locked: true });
    emit.call(f.host.socket, 'lobby:lock', { locked: true }, 'not a function');
    await nothingBroadcast(f, marks);
    expect((await ctx.store.get(f.lobby.id))?.locked).toBe(false);
  });

  it('a packet over the size cap closes the sender’s socket and reaches no one', async () => {
    const f = await setupLobby(ctx.clients, { guests: 1 });
    const marks = f.all.map((m) => m.states.items.length);
    const p = await newPlayer(ctx.clients);
    const closed = new Promise<string>((resolve) => p.socket.once('disconnect', resolve));
    p.socket.emit('lobby:join', { nickname: 'x'.repeat(MAX_PACKET_BYTES + 1), code: f.lobby.code }, () => {});
    expect(await closed).toBe('transport close');
    await nothingBroadcast(f, marks);
    expect((await ctx.store.get(f.lobby.id))?.members).toHaveLength(2);
  });
});
