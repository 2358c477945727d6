import { describe, expect, it } from 'vitest';
import { ErrorCode, PROTOCOL_VERSION, type LobbyView } from '../../lib/protocol';
import {
  connectNow,
  createLobby,
  expectOk,
  joinByCode,
  joinByInvite,
  newPlayer,
  record,
  setupLobby,
  serverPerFile,
  type Member,
} from '../helpers/lobby';
import { request } from '../helpers/server';

/** Every lobby event over real sockets: what succeeds, what each refusal says, and that refusals change nothing. */
const ctx = serverPerFile();

const stored = (id: string) => ctx.store.get(id);
const memberIds = (v: LobbyView) => v.members.map((m) => m.id);

/** Sends a request that must be refused with `code`, and checks the stored lobby did not move. */
async function refused(
  member: { socket: Member['socket'] },
  lobbyId: string,
  event: string,
  payload: unknown,
  code: ErrorCode,
) {
  const before = await stored(lobbyId);
  expect(await request(member.socket, event, payload)).toEqual({ ok: false, error: code });
  expect(await stored(lobbyId)).toEqual(before);
}

describe('lobby:create', () => {
  it('creates a lobby with the caller as host, default size 8, version 1', async () => {
    const p = await newPlayer(ctx.clients);
    const joined = await createLobby(p.socket, { nickname: '  Ann  ' });
    expect(joined.lobby).toMatchObject({
      hostId: joined.selfId,
      maxPlayers: 8,
      version: 1,
      phase: 'waiting',
      locked: false,
    });
    expect(joined.lobby.members).toEqual([
      expect.objectContaining({ id: joined.selfId, nickname: 'Ann', ready: false }),
    ]);
    expect(Array.isArray(joined.iceServers)).toBe(true);
    expect((await stored(joined.lobby.id))?.members.map((m) => m.id)).toEqual([joined.selfId]);
    // The creator is in the lobby room: it is told of the next change (a join).
    const guest = await newPlayer(ctx.clients);
    expectOk(await joinByCode(guest.socket, joined.lobby.code));
    await p.states.waitFor((v) => v.id === joined.lobby.id && v.version === 2);
  });

  it('refuses a second lobby while in one: ALREADY_IN_LOBBY, nothing stored', async () => {
    const { host, lobby } = await setupLobby(ctx.clients);
    const inserts = ctx.store.inserts;
    await refused(
      host,
      lobby.id,
      'lobby:create',
      { nickname: 'A', name: 'Two', visibility: 'public' },
      ErrorCode.ALREADY_IN_LOBBY,
    );
    expect(ctx.store.inserts).toBe(inserts);
  });
});

describe('lobby:join', () => {
  it('joins a public lobby by its code in any case; members are told', async () => {
    const { host, lobby } = await setupLobby(ctx.clients);
    const guest = await newPlayer(ctx.clients);
    const joined = expectOk(await joinByCode(guest.socket, lobby.code.toLowerCase(), 'Bob'));
    expect(memberIds(joined.lobby)).toEqual([host.id, joined.selfId]);
    expect(joined.lobby.version).toBe(lobby.version + 1);
    const seen = await host.states.waitFor((v) => v.version === lobby.version + 1);
    expect(seen.members.map((m) => m.nickname)).toEqual(['Host', 'Bob']);
  });

  it('tells a newcomer its lobby in the ack only: its first lobby:state is the next change', async () => {
    const { host, lobby } = await setupLobby(ctx.clients, { guests: 1 });
    const guest = await newPlayer(ctx.clients);
    const joined = expectOk(await joinByCode(guest.socket, lobby.code));
    expect(joined.lobby.version).toBe(lobby.version + 1);
    expectOk(await request(host.socket, 'lobby:lock', { locked: true }));
    // Its own join's state would have been broadcast before the lock's, on the same connection.
    await guest.states.waitFor((v) => v.locked);
    expect(guest.states.items.map((v) => v.version)).toEqual([joined.lobby.version + 1]);
    // The members were told of the join, then of the lock.
    await host.states.waitFor((v) => v.locked);
    expect(host.states.items.map((v) => v.version).slice(-2)).toEqual([
      joined.lobby.version,
      joined.lobby.version + 1,
    ]);
  });

  it('joins a private lobby by its invite token', async () => {
    const { host, lobby } = await setupLobby(ctx.clients, { input: { visibility: 'private' } });
    const guest = await newPlayer(ctx.clients);
    const joined = expectOk(await joinByInvite(guest.socket, lobby.inviteToken));
    expect(memberIds(joined.lobby)).toEqual([host.id, joined.selfId]);
  });

  it('answers a private lobby’s code exactly as an unknown code or token: NOT_FOUND', async () => {
    const { lobby } = await setupLobby(ctx.clients, { input: { visibility: 'private' } });
    const guest = await newPlayer(ctx.clients);
    const byCode = await joinByCode(guest.socket, lobby.code);
    const unknownCode = lobby.code === 'ZZZZZZ' ? 'YYYYYY' : 'ZZZZZZ';
    expect(byCode).toEqual({ ok: false, error: ErrorCode.NOT_FOUND });
    expect(await joinByCode(guest.socket, unknownCode)).toEqual(byCode);
    expect(await joinByInvite(guest.socket, 'A'.repeat(22))).toEqual(byCode);
    expect((await stored(lobby.id))?.version).toBe(lobby.version);
  });

  it('refuses a full lobby: FULL', async () => {
    const { lobby } = await setupLobby(ctx.clients, { guests: 1, input: { maxPlayers: 2 } });
    const late = await newPlayer(ctx.clients);
    await refused(late, lobby.id, 'lobby:join', { nickname: 'Late', code: lobby.code }, ErrorCode.FULL);
    await refused(
      late,
      lobby.id,
      'lobby:join',
      { nickname: 'Late', invite: lobby.inviteToken },
      ErrorCode.FULL,
    );
  });

  it('refuses a member joining again: ALREADY_IN_LOBBY', async () => {
    const { guests, lobby } = await setupLobby(ctx.clients, { guests: 1 });
    await refused(
      guests[0] as Member,
      lobby.id,
      'lobby:join',
      { nickname: 'Again', code: lobby.code },
      ErrorCode.ALREADY_IN_LOBBY,
    );
  });
});

describe('lobby:leave', () => {
  it('removes the member at once; the others are told; a second leave is NOT_IN_LOBBY', async () => {
    const { host, guests, lobby } = await setupLobby(ctx.clients, { guests: 2 });
    const [g1, g2] = guests as [Member, Member];
    expect(await request(g1.socket, 'lobby:leave', {})).toEqual({ ok: true, data: null });
    for (const m of [host, g2]) {
      const seen = await m.states.waitFor((v) => v.version === lobby.version + 1);
      expect(memberIds(seen)).toEqual([host.id, g2.id]);
    }
    expect(await request(g1.socket, 'lobby:leave', {})).toEqual({ ok: false, error: ErrorCode.NOT_IN_LOBBY });
  });

  it('moves the host role to the longest-present member when the host leaves', async () => {
    const { host, guests, lobby } = await setupLobby(ctx.clients, { guests: 2 });
    const [g1, g2] = guests as [Member, Member];
    expectOk(await request(host.socket, 'lobby:leave', {}));
    const seen = await g2.states.waitFor((v) => v.version === lobby.version + 1);
    expect(seen.hostId).toBe(g1.id);
    expectOk(await request(g1.socket, 'lobby:lock', { locked: true }));
  });

  it('deletes the lobby when the last member leaves: its code and invite are NOT_FOUND', async () => {
    const { host, lobby } = await setupLobby(ctx.clients);
    expectOk(await request(host.socket, 'lobby:leave', {}));
    expect(await stored(lobby.id)).toBeNull();
    const other = await newPlayer(ctx.clients);
    expect(await joinByCode(other.socket, lobby.code)).toEqual({ ok: false, error: ErrorCode.NOT_FOUND });
    expect(await joinByInvite(other.socket, lobby.inviteToken)).toEqual({
      ok: false,
      error: ErrorCode.NOT_FOUND,
    });
  });

  it('refuses a socket in no lobby: NOT_IN_LOBBY', async () => {
    const p = await newPlayer(ctx.clients);
    expect(await request(p.socket, 'lobby:leave', {})).toEqual({ ok: false, error: ErrorCode.NOT_IN_LOBBY });
  });
});

describe('lobby:ready', () => {
  it('sets the caller’s ready flag; everyone sees it', async () => {
    const { host, guests, lobby } = await setupLobby(ctx.clients, { guests: 1 });
    const g1 = guests[0] as Member;
    expectOk(await request(g1.socket, 'lobby:ready', { ready: true }));
    const seen = await host.states.waitFor((v) => v.version === lobby.version + 1);
    expect(seen.members.find((m) => m.id === g1.id)?.ready).toBe(true);
    expect(seen.members.find((m) => m.id === host.id)?.ready).toBe(false);
  });

  it('refuses a socket in no lobby: NOT_IN_LOBBY', async () => {
    const p = await newPlayer(ctx.clients);
    expect(await request(p.socket, 'lobby:ready', { ready: true })).toEqual({
      ok: false,
      error: ErrorCode.NOT_IN_LOBBY,
    });
  });
});

describe('host-only events', () => {
  const valid = (target: string): [string, unknown][] => [
    ['lobby:kick', { playerId: target, ban: true }],
    ['lobby:lock', { locked: true }],
    ['lobby:transfer', { playerId: target }],
    ['lobby:settings', { name: 'Taken over', maxPlayers: 16 }],
    ['lobby:start', {}],
    ['lobby:end', {}],
  ];

  it.each(valid('x').map(([event]) => event))(
    '%s from a non-host member → FORBIDDEN, nothing changes, no one told',
    async (event) => {
      const { host, guests, lobby } = await setupLobby(ctx.clients, { guests: 2 });
      const [g1, g2] = guests as [Member, Member];
      expectOk(await request(g2.socket, 'lobby:ready', { ready: true })); // so a start would otherwise be possible
      expectOk(await request(g1.socket, 'lobby:ready', { ready: true }));
      const settled = lobby.version + 2;
      await host.states.waitFor((v) => v.version === settled);
      const mark = host.states.items.length;
      const payload = (valid(g2.id).find(([e]) => e === event) as [string, unknown])[1];
      await refused(g1, lobby.id, event, payload, ErrorCode.FORBIDDEN);
      // A following change is the first thing the host hears: the refusal broadcast nothing.
      expectOk(await request(g1.socket, 'lobby:ready', { ready: false }));
      const next = await host.states.waitFor((v) => v.version === settled + 1);
      expect(host.states.items.slice(mark)).toEqual([next]);
    },
  );

  it.each(valid('x').map(([event]) => event))(
    '%s from a socket in no lobby → NOT_IN_LOBBY',
    async (event) => {
      const { guests, lobby } = await setupLobby(ctx.clients, { guests: 1 });
      const stranger = await newPlayer(ctx.clients);
      const payload = (valid((guests[0] as Member).id).find(([e]) => e === event) as [string, unknown])[1];
      await refused(stranger, lobby.id, event, payload, ErrorCode.NOT_IN_LOBBY);
    },
  );
});

describe('lobby:kick', () => {
  it('removes the target, who gets lobby:removed (kicked), may rejoin, and hears nothing more meanwhile', async () => {
    const { host, guests, lobby } = await setupLobby(ctx.clients, { guests: 2 });
    const [g1, g2] = guests as [Member, Member];
    expectOk(await request(host.socket, 'lobby:kick', { playerId: g1.id }));
    expect(await g1.removed.waitFor(() => true)).toEqual({ lobbyId: lobby.id, reason: 'kicked' });
    const seen = await g2.states.waitFor((v) => v.version === lobby.version + 1);
    expect(memberIds(seen)).toEqual([host.id, g2.id]);
    // Out of the room: a later change does not reach the kicked socket. Its own round-trip after the
    // host's ack would be preceded by any such broadcast (one connection delivers in order).
    expectOk(await request(host.socket, 'lobby:lock', { locked: false }));
    expect(await request(g1.socket, 'lobby:ready', { ready: true })).toEqual({
      ok: false,
      error: ErrorCode.NOT_IN_LOBBY,
    });
    expect(g1.states.items.some((v) => v.version >= lobby.version + 2)).toBe(false);
    // Not banned: may come back.
    expectOk(await joinByCode(g1.socket, lobby.code));
  });

  it('refuses an unknown target or self: PEER_NOT_FOUND', async () => {
    const { host, lobby } = await setupLobby(ctx.clients, { guests: 1 });
    await refused(host, lobby.id, 'lobby:kick', { playerId: 'nobody-here-1234' }, ErrorCode.PEER_NOT_FOUND);
    await refused(host, lobby.id, 'lobby:kick', { playerId: host.id }, ErrorCode.PEER_NOT_FOUND);
  });

  it('with ban: the kicked socket and any socket with the same device key get BANNED; another device may join', async () => {
    const { host, lobby } = await setupLobby(ctx.clients);
    const { socket, deviceKey } = await ctx.clients.connectWithSession();
    const joined = expectOk(await joinByCode(socket, lobby.code));
    expectOk(await request(host.socket, 'lobby:kick', { playerId: joined.selfId, ban: true }));
    const removed = await new Promise((resolve) => socket.once('lobby:removed', resolve));
    expect(removed).toEqual({ lobbyId: lobby.id, reason: 'banned' });

    // The ban replaced the invite link (the host is told the new one); the old one is a wrong token now.
    const { inviteToken } = await host.states.waitFor((v) => v.inviteToken !== lobby.inviteToken);
    expect(await joinByInvite(socket, lobby.inviteToken)).toEqual({ ok: false, error: ErrorCode.NOT_FOUND });
    expect(await joinByCode(socket, lobby.code)).toEqual({ ok: false, error: ErrorCode.BANNED });
    expect(await joinByInvite(socket, inviteToken)).toEqual({ ok: false, error: ErrorCode.BANNED });
    const sameDevice = await ctx.clients.connect({ protocolVersion: PROTOCOL_VERSION, deviceKey });
    expect(await joinByInvite(sameDevice, inviteToken)).toEqual({ ok: false, error: ErrorCode.BANNED });
    expect(await joinByCode(sameDevice, lobby.code)).toEqual({ ok: false, error: ErrorCode.BANNED });

    const otherDevice = await newPlayer(ctx.clients);
    expectOk(await joinByCode(otherDevice.socket, lobby.code));
  });

  it('a forged device key is replaced by a fresh one, so it cannot claim another device', async () => {
    const { deviceKey } = await ctx.clients.connectWithSession();
    const deviceId = deviceKey.split('.')[0] as string;
    const forged = await ctx.clients.connectWithSession(`${deviceId}.${'A'.repeat(32)}`);
    expect(forged.deviceKey.split('.')[0]).not.toBe(deviceId);
    // The genuine key is accepted as is: no new session is issued for it.
    const genuine = ctx.clients.open({ protocolVersion: PROTOCOL_VERSION, deviceKey });
    const sessions = record(genuine, 'session');
    await connectNow(genuine);
    expect(await request(genuine, 'browser:watch', { watch: false })).toMatchObject({ ok: true });
    expect(sessions.items).toEqual([]);
  });
});

describe('lobby:lock', () => {
  it('a locked lobby refuses joins by code and invite; unlocking opens it again', async () => {
    const { host, lobby } = await setupLobby(ctx.clients);
    expectOk(await request(host.socket, 'lobby:lock', { locked: true }));
    expect((await host.states.waitFor((v) => v.version === lobby.version + 1)).locked).toBe(true);
    const late = await newPlayer(ctx.clients);
    await refused(late, lobby.id, 'lobby:join', { nickname: 'Late', code: lobby.code }, ErrorCode.LOCKED);
    await refused(
      late,
      lobby.id,
      'lobby:join',
      { nickname: 'Late', invite: lobby.inviteToken },
      ErrorCode.LOCKED,
    );
    expectOk(await request(host.socket, 'lobby:lock', { locked: false }));
    expectOk(await joinByCode(late.socket, lobby.code));
  });
});

describe('lobby:transfer', () => {
  it('hands the host role over; the old host loses host rights', async () => {
    const { host, guests, lobby } = await setupLobby(ctx.clients, { guests: 1 });
    const g1 = guests[0] as Member;
    expectOk(await request(host.socket, 'lobby:transfer', { playerId: g1.id }));
    expect((await g1.states.waitFor((v) => v.version === lobby.version + 1)).hostId).toBe(g1.id);
    expect(await request(host.socket, 'lobby:lock', { locked: true })).toEqual({
      ok: false,
      error: ErrorCode.FORBIDDEN,
    });
    expectOk(await request(g1.socket, 'lobby:lock', { locked: true }));
  });

  it('refuses a target outside the lobby or self: PEER_NOT_FOUND', async () => {
    const { host, lobby } = await setupLobby(ctx.clients, { guests: 1 });
    const other = await setupLobby(ctx.clients);
    await refused(host, lobby.id, 'lobby:transfer', { playerId: other.host.id }, ErrorCode.PEER_NOT_FOUND);
    await refused(host, lobby.id, 'lobby:transfer', { playerId: host.id }, ErrorCode.PEER_NOT_FOUND);
  });
});

describe('lobby:settings', () => {
  it('changes name, size and visibility; a lobby made private is no longer joinable by code', async () => {
    const { host, lobby } = await setupLobby(ctx.clients, { guests: 1 });
    expectOk(
      await request(host.socket, 'lobby:settings', {
        name: ' New  name ',
        maxPlayers: 3,
        visibility: 'private',
      }),
    );
    const seen = await host.states.waitFor((v) => v.version === lobby.version + 1);
    expect(seen).toMatchObject({ name: 'New name', maxPlayers: 3, visibility: 'private' });
    const p = await newPlayer(ctx.clients);
    expect(await joinByCode(p.socket, lobby.code)).toEqual({ ok: false, error: ErrorCode.NOT_FOUND });
    expectOk(await joinByInvite(p.socket, lobby.inviteToken));
  });

  it('refuses maxPlayers below the member count: BAD_STATE', async () => {
    const { host, lobby } = await setupLobby(ctx.clients, { guests: 2 });
    await refused(host, lobby.id, 'lobby:settings', { maxPlayers: 2 }, ErrorCode.BAD_STATE);
  });
});

describe('lobby:start and lobby:end', () => {
  it('start needs every guest ready; then in-game; a second start is BAD_STATE; end resets ready', async () => {
    const { host, guests, lobby } = await setupLobby(ctx.clients, { guests: 2 });
    const [g1, g2] = guests as [Member, Member];
    await refused(host, lobby.id, 'lobby:end', {}, ErrorCode.BAD_STATE);
    await refused(host, lobby.id, 'lobby:start', {}, ErrorCode.NOT_READY);
    expectOk(await request(g1.socket, 'lobby:ready', { ready: true }));
    await refused(host, lobby.id, 'lobby:start', {}, ErrorCode.NOT_READY);
    expectOk(await request(g2.socket, 'lobby:ready', { ready: true }));
    expectOk(await request(host.socket, 'lobby:start', {}));
    const started = await g1.states.waitFor((v) => v.phase === 'in-game');
    expect(started.version).toBe(lobby.version + 3);
    await refused(host, lobby.id, 'lobby:start', {}, ErrorCode.BAD_STATE);
    expectOk(await request(host.socket, 'lobby:end', {}));
    const ended = await g2.states.waitFor((v) => v.version === started.version + 1);
    expect(ended.phase).toBe('waiting');
    expect(ended.members.every((m) => !m.ready)).toBe(true);
  });

  it('a host alone cannot start: NOT_READY', async () => {
    const { host, lobby } = await setupLobby(ctx.clients);
    await refused(host, lobby.id, 'lobby:start', {}, ErrorCode.NOT_READY);
  });
});

describe('racing requests', () => {
  const input = { nickname: 'Racer', name: 'Race', visibility: 'public' };

  it('two creates sent at once from one socket: one lobby, the other ALREADY_IN_LOBBY', async () => {
    const p = await newPlayer(ctx.clients);
    const inserts = ctx.store.inserts;
    const results = await Promise.all([
      request(p.socket, 'lobby:create', input),
      request(p.socket, 'lobby:create', input),
    ]);
    expect(results.map((r) => (r.ok ? 'ok' : r.error)).sort()).toEqual([ErrorCode.ALREADY_IN_LOBBY, 'ok']);
    expect(ctx.store.inserts).toBe(inserts + 1);
  });

  it('a create and a join sent at once from one socket: in exactly one lobby', async () => {
    const other = await setupLobby(ctx.clients);
    const p = await newPlayer(ctx.clients);
    const results = await Promise.all([
      request(p.socket, 'lobby:create', input),
      joinByCode(p.socket, other.lobby.code, 'Racer'),
    ]);
    expect(results.map((r) => (r.ok ? 'ok' : r.error))).toEqual(['ok', ErrorCode.ALREADY_IN_LOBBY]);
    expect((await stored(other.lobby.id))?.members).toHaveLength(1);
  });

  it('many sockets joining a small lobby at once: exactly the free seats are taken (R6, memory store)', async () => {
    const { lobby } = await setupLobby(ctx.clients, { input: { maxPlayers: 3 } });
    const players = await Promise.all(Array.from({ length: 8 }, () => newPlayer(ctx.clients)));
    const results = await Promise.all(players.map((p, i) => joinByCode(p.socket, lobby.code, `J${i}`)));
    expect(results.filter((r) => r.ok)).toHaveLength(2);
    expect(results.filter((r) => !r.ok)).toEqual(Array(6).fill({ ok: false, error: ErrorCode.FULL }));
    expect((await stored(lobby.id))?.members).toHaveLength(3);
  });
});
