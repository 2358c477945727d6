import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../lib/protocol';
import { applyCommand } from '../../server/lobby/lobby';
import { toLobbyView, toSummary } from '../../server/lobby/views';
import type { Member } from '../../server/lobby/types';
import { T0, lobbyWith, must, mustFail, newLobby, player } from './fixtures';

const HOST = player('host').id;
const A = player('a').id;
const B = player('b').id;
/** The invite token a ban rotates to (ids are drawn by the service; the pure model takes them as given). */
const NEXT_INVITE = 'N'.repeat(22);

describe('createLobby', () => {
  it('starts with the host as the only, unready member, unlocked, waiting, version 1', () => {
    const lobby = newLobby();
    expect(lobby.hostId).toBe(HOST);
    expect(lobby.members).toEqual([
      {
        ...player('host'),
        ready: false,
        joinedAt: T0,
        presence: { kind: 'present' },
        resumeHash: '',
        connectionId: '',
        meta: {},
      },
    ]);
    expect(lobby).toMatchObject({
      locked: false,
      phase: 'waiting',
      version: 1,
      bannedDevices: [],
      bannedPlayers: [],
    });
  });

  it('shares one frozen present state and empty metadata: an in-place write throws instead of reaching every member', () => {
    const a = newLobby();
    const b = must(newLobby(), { type: 'join', member: player('a'), via: 'code', now: T0 + 5 });
    const [host, guest] = b.members as [Member, Member];
    expect(host.presence).toBe(a.members[0]!.presence);
    expect(guest.meta).toBe(a.members[0]!.meta);
    expect(() => ((guest.meta as Record<string, unknown>).x = 1)).toThrow(TypeError);
    expect(() => ((host.presence as { kind: string }).kind = 'dropped')).toThrow(TypeError);
    expect(a.meta).toEqual({});
  });
});

describe('join', () => {
  it('adds a member by code to a public lobby and by invite to any lobby', () => {
    const byCode = must(newLobby(), { type: 'join', member: player('a'), via: 'code', now: T0 + 5 });
    expect(byCode.members.map((m) => m.id)).toEqual([HOST, A]);
    expect(byCode.members[1]).toMatchObject({
      ready: false,
      joinedAt: T0 + 5,
      presence: { kind: 'present' },
    });

    const priv = newLobby({ visibility: 'private' });
    const byInvite = must(priv, { type: 'join', member: player('a'), via: 'invite', now: T0 + 5 });
    expect(byInvite.members.map((m) => m.id)).toEqual([HOST, A]);
  });

  it('answers a private lobby reached by code exactly as a missing lobby: NOT_FOUND', () => {
    mustFail(
      newLobby({ visibility: 'private' }),
      { type: 'join', member: player('a'), via: 'code', now: T0 },
      ErrorCode.NOT_FOUND,
    );
  });

  it('hides a private lobby even from banned players and existing members (nothing to probe)', () => {
    const priv = must(lobbyWith(['a'], { visibility: 'private' }), {
      type: 'kick',
      actor: HOST,
      target: A,
      ban: true,
      nextInviteToken: NEXT_INVITE,
    });
    mustFail(priv, { type: 'join', member: player('a'), via: 'code', now: T0 }, ErrorCode.NOT_FOUND);
    mustFail(priv, { type: 'join', member: player('host'), via: 'code', now: T0 }, ErrorCode.NOT_FOUND);
  });

  it('refuses a full lobby', () => {
    const full = lobbyWith(['a', 'b', 'c']);
    expect(full.members).toHaveLength(full.maxPlayers);
    mustFail(full, { type: 'join', member: player('d'), via: 'code', now: T0 }, ErrorCode.FULL);
    mustFail(full, { type: 'join', member: player('d'), via: 'invite', now: T0 }, ErrorCode.FULL);
  });

  it('refuses a locked lobby, by code and by invite', () => {
    const locked = must(newLobby(), { type: 'lock', actor: HOST, locked: true });
    mustFail(locked, { type: 'join', member: player('a'), via: 'code', now: T0 }, ErrorCode.LOCKED);
    mustFail(locked, { type: 'join', member: player('a'), via: 'invite', now: T0 }, ErrorCode.LOCKED);
  });

  it('refuses a banned device under a new player id, and a banned player id on a new device', () => {
    const banned = must(lobbyWith(['a']), {
      type: 'kick',
      actor: HOST,
      target: A,
      ban: true,
      nextInviteToken: NEXT_INVITE,
    });
    expect(banned.bannedDevices).toEqual(['dev-a']);
    expect(banned.bannedPlayers).toEqual([A]);
    const sameDevice = { id: 'player-new', nickname: 'new', deviceId: 'dev-a' };
    mustFail(banned, { type: 'join', member: sameDevice, via: 'code', now: T0 }, ErrorCode.BANNED);
    const sameId = { id: A, nickname: 'a', deviceId: 'dev-other' };
    mustFail(banned, { type: 'join', member: sameId, via: 'invite', now: T0 }, ErrorCode.BANNED);
  });

  it('refuses a player who is already a member', () => {
    mustFail(
      lobbyWith(['a']),
      { type: 'join', member: player('a'), via: 'invite', now: T0 },
      ErrorCode.ALREADY_IN_LOBBY,
    );
  });
});

describe('leave', () => {
  it('removes the member; a non-host leaving keeps the host', () => {
    const next = must(lobbyWith(['a', 'b']), { type: 'leave', playerId: A });
    expect(next.members.map((m) => m.id)).toEqual([HOST, B]);
    expect(next.hostId).toBe(HOST);
  });

  it('moves the host role to the longest-present member when the host leaves', () => {
    const next = must(lobbyWith(['a', 'b']), { type: 'leave', playerId: HOST });
    expect(next.hostId).toBe(A);
    expect(next.members.map((m) => m.id)).toEqual([A, B]);
  });

  it('moves the host role by join order, not by who was host before', () => {
    // b is host now; the original host leaves, then b leaves: a (joined before c) inherits.
    let lobby = must(lobbyWith(['a', 'b', 'c']), { type: 'transfer', actor: HOST, target: B });
    lobby = must(lobby, { type: 'leave', playerId: HOST });
    expect(lobby.hostId).toBe(B);
    lobby = must(lobby, { type: 'leave', playerId: B });
    expect(lobby.hostId).toBe(A);
  });

  it('returns null when the last member leaves: the lobby must be deleted', () => {
    const before = newLobby();
    const clone = structuredClone(before);
    expect(applyCommand(before, { type: 'leave', playerId: HOST })).toEqual({ ok: true, data: null });
    expect(before).toEqual(clone);
  });

  it('refuses a non-member', () => {
    mustFail(newLobby(), { type: 'leave', playerId: A }, ErrorCode.NOT_IN_LOBBY);
  });

  it("a lost connection's leave (no seat grace) only if that connection still holds the seat", () => {
    const lobby = lobbyWith(['a']);
    const holder = lobby.members.find((m) => m.id === A)!.connectionId;
    mustFail(lobby, { type: 'leave', playerId: A, connectionId: `${holder}-replaced` }, ErrorCode.BAD_STATE);
    const next = must(lobby, { type: 'leave', playerId: A, connectionId: holder });
    expect(next.members.map((m) => m.id)).toEqual([HOST]);
  });
});

describe('ready', () => {
  it('sets and clears the member’s ready flag only', () => {
    const lobby = lobbyWith(['a', 'b']);
    const ready = must(lobby, { type: 'ready', playerId: A, ready: true });
    expect(ready.members.map((m) => m.ready)).toEqual([false, true, false]);
    const unready = must(ready, { type: 'ready', playerId: A, ready: false });
    expect(unready.members.map((m) => m.ready)).toEqual([false, false, false]);
  });

  it('refuses a non-member', () => {
    mustFail(newLobby(), { type: 'ready', playerId: A, ready: true }, ErrorCode.NOT_IN_LOBBY);
  });
});

describe('kick', () => {
  it('removes the target without banning by default', () => {
    const next = must(lobbyWith(['a', 'b']), {
      type: 'kick',
      actor: HOST,
      target: A,
      ban: false,
      nextInviteToken: NEXT_INVITE,
    });
    expect(next.members.map((m) => m.id)).toEqual([HOST, B]);
    expect(next.bannedDevices).toEqual([]);
    expect(next.bannedPlayers).toEqual([]);
    // Kicked without a ban: may come back.
    must(next, { type: 'join', member: player('a'), via: 'code', now: T0 + 9 });
  });

  it('a ban replaces the invite token; a kick without a ban keeps it', () => {
    const lobby = lobbyWith(['a', 'b']);
    expect(
      must(lobby, { type: 'kick', actor: HOST, target: A, ban: true, nextInviteToken: NEXT_INVITE })
        .inviteToken,
    ).toBe(NEXT_INVITE);
    expect(
      must(lobby, { type: 'kick', actor: HOST, target: A, ban: false, nextInviteToken: NEXT_INVITE })
        .inviteToken,
    ).toBe(lobby.inviteToken);
  });

  it('only the host rotates the invite token', () => {
    const lobby = lobbyWith(['a']);
    expect(must(lobby, { type: 'rotate-invite', actor: HOST, inviteToken: NEXT_INVITE }).inviteToken).toBe(
      NEXT_INVITE,
    );
    mustFail(lobby, { type: 'rotate-invite', actor: A, inviteToken: NEXT_INVITE }, ErrorCode.FORBIDDEN);
    mustFail(
      lobby,
      { type: 'rotate-invite', actor: 'stranger', inviteToken: NEXT_INVITE },
      ErrorCode.NOT_IN_LOBBY,
    );
  });

  it('refuses self-kick and unknown targets with PEER_NOT_FOUND', () => {
    const lobby = lobbyWith(['a']);
    mustFail(
      lobby,
      { type: 'kick', actor: HOST, target: HOST, ban: false, nextInviteToken: NEXT_INVITE },
      ErrorCode.PEER_NOT_FOUND,
    );
    mustFail(
      lobby,
      { type: 'kick', actor: HOST, target: B, ban: true, nextInviteToken: NEXT_INVITE },
      ErrorCode.PEER_NOT_FOUND,
    );
  });
});

describe('lock', () => {
  it('locks and unlocks; an unlocked lobby accepts joins again', () => {
    const locked = must(newLobby(), { type: 'lock', actor: HOST, locked: true });
    expect(locked.locked).toBe(true);
    const open = must(locked, { type: 'lock', actor: HOST, locked: false });
    expect(open.locked).toBe(false);
    must(open, { type: 'join', member: player('a'), via: 'code', now: T0 });
  });
});

describe('transfer', () => {
  it('hands the host role to another member', () => {
    const next = must(lobbyWith(['a']), { type: 'transfer', actor: HOST, target: A });
    expect(next.hostId).toBe(A);
    mustFail(next, { type: 'lock', actor: HOST, locked: true }, ErrorCode.FORBIDDEN);
    must(next, { type: 'lock', actor: A, locked: true });
  });

  it('refuses a transfer to self or to a non-member', () => {
    const lobby = lobbyWith(['a']);
    mustFail(lobby, { type: 'transfer', actor: HOST, target: HOST }, ErrorCode.PEER_NOT_FOUND);
    mustFail(lobby, { type: 'transfer', actor: HOST, target: B }, ErrorCode.PEER_NOT_FOUND);
  });
});

describe('settings', () => {
  it('changes only the settings given', () => {
    const next = must(newLobby(), { type: 'settings', actor: HOST, settings: { name: 'New' } });
    expect(next).toMatchObject({ name: 'New', visibility: 'public', maxPlayers: 4 });
    const more = must(next, {
      type: 'settings',
      actor: HOST,
      settings: { visibility: 'private', maxPlayers: 2 },
    });
    expect(more).toMatchObject({ name: 'New', visibility: 'private', maxPlayers: 2 });
  });

  it('allows maxPlayers equal to the member count, refuses below it with BAD_STATE', () => {
    const lobby = lobbyWith(['a', 'b']);
    must(lobby, { type: 'settings', actor: HOST, settings: { maxPlayers: 3 } });
    mustFail(lobby, { type: 'settings', actor: HOST, settings: { maxPlayers: 2 } }, ErrorCode.BAD_STATE);
  });
});

describe('start and end', () => {
  const readyAll = (names: string[]) =>
    names.reduce((l, n) => must(l, { type: 'ready', playerId: player(n).id, ready: true }), lobbyWith(names));

  it('starts when every non-host member is ready (the host need not be)', () => {
    const started = must(readyAll(['a', 'b']), { type: 'start', actor: HOST });
    expect(started.phase).toBe('in-game');
  });

  it('refuses to start alone or with an unready member: NOT_READY', () => {
    mustFail(newLobby(), { type: 'start', actor: HOST }, ErrorCode.NOT_READY);
    const oneReady = must(lobbyWith(['a', 'b']), { type: 'ready', playerId: A, ready: true });
    mustFail(oneReady, { type: 'start', actor: HOST }, ErrorCode.NOT_READY);
  });

  it('refuses to start a game in progress and to end a game not started: BAD_STATE', () => {
    const started = must(readyAll(['a']), { type: 'start', actor: HOST });
    mustFail(started, { type: 'start', actor: HOST }, ErrorCode.BAD_STATE);
    mustFail(readyAll(['a']), { type: 'end', actor: HOST }, ErrorCode.BAD_STATE);
  });

  it('ends a game: back to waiting, everyone unready', () => {
    const started = must(readyAll(['a', 'b']), { type: 'start', actor: HOST });
    const ended = must(started, { type: 'end', actor: HOST });
    expect(ended.phase).toBe('waiting');
    expect(ended.members.every((m) => !m.ready)).toBe(true);
  });
});

describe('host-only commands', () => {
  const lobby = () => lobbyWith(['a', 'b']);
  const commands = (actor: string) =>
    [
      { type: 'kick', actor, target: B, ban: false, nextInviteToken: NEXT_INVITE },
      { type: 'kick', actor, target: B, ban: true, nextInviteToken: NEXT_INVITE },
      { type: 'rotate-invite', actor, inviteToken: NEXT_INVITE },
      { type: 'lock', actor, locked: true },
      { type: 'transfer', actor, target: B },
      { type: 'settings', actor, settings: { name: 'Mine' } },
      { type: 'start', actor },
      { type: 'end', actor },
    ] as const;

  it.each(commands(A).map((c) => [c.type, c] as const))('%s by a non-host member → FORBIDDEN', (_, cmd) => {
    mustFail(lobby(), cmd, ErrorCode.FORBIDDEN);
  });

  it.each(commands('player-stranger').map((c) => [c.type, c] as const))(
    '%s by a non-member → NOT_IN_LOBBY',
    (_, cmd) => {
      mustFail(lobby(), cmd, ErrorCode.NOT_IN_LOBBY);
    },
  );
});

describe('views', () => {
  it('toLobbyView hides device ids and ban lists', () => {
    const banned = must(lobbyWith(['a', 'b']), {
      type: 'kick',
      actor: HOST,
      target: A,
      ban: true,
      nextInviteToken: NEXT_INVITE,
    });
    const view = toLobbyView(banned);
    const json = JSON.stringify(view);
    expect(json).not.toContain('dev-');
    expect(view).not.toHaveProperty('bannedDevices');
    expect(view).not.toHaveProperty('bannedPlayers');
    expect(view.members).toEqual([
      { id: HOST, nickname: 'host', ready: false, presence: 'present', joinedAt: T0, meta: {} },
      { id: B, nickname: 'b', ready: false, presence: 'present', joinedAt: T0 + 2, meta: {} },
    ]);
    expect(view.version).toBe(banned.version);
  });

  it('toSummary: a private lobby never produces a row', () => {
    expect(toSummary(newLobby({ visibility: 'private' }))).toBeNull();
  });

  it('toSummary: open, full, locked, in-game', () => {
    const open = lobbyWith(['a']);
    expect(toSummary(open)).toEqual({
      code: 'ABCDEF',
      name: 'Room',
      hostName: 'host',
      players: 2,
      maxPlayers: 4,
      status: 'open',
    });
    expect(toSummary(lobbyWith(['a', 'b', 'c']))?.status).toBe('full');
    expect(toSummary(must(open, { type: 'lock', actor: HOST, locked: true }))?.status).toBe('locked');
    const started = must(must(open, { type: 'ready', playerId: A, ready: true }), {
      type: 'start',
      actor: HOST,
    });
    expect(toSummary(started)?.status).toBe('in-game');
    // In-game outranks locked.
    expect(toSummary(must(started, { type: 'lock', actor: HOST, locked: true }))?.status).toBe('in-game');
  });

  it('toSummary names the current host', () => {
    const moved = must(lobbyWith(['a']), { type: 'transfer', actor: HOST, target: A });
    expect(toSummary(moved)?.hostName).toBe('a');
  });
});
