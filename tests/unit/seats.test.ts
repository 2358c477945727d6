import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../lib/protocol';
import { T0, must, mustFail, newLobby } from './fixtures';

const seated = (id: string, resumeHash: string, connectionId: string) => ({
  id,
  nickname: id,
  deviceId: `dev-${id}`,
  resumeHash,
  connectionId,
});

/** host + a, a holding resume hash h1 on connection c1. */
function lobbyWithSeat() {
  return must(newLobby(), {
    type: 'join',
    member: seated('player-a', 'h1', 'c1'),
    via: 'invite',
    now: T0 + 1,
  });
}
const A = 'player-a';

describe('seats: drop, resume, expire', () => {
  it('R2: a drop holds the seat (member stays, presence dropped) and counts against capacity', () => {
    const dropped = must(lobbyWithSeat(), { type: 'drop', playerId: A, connectionId: 'c1', now: T0 + 10 });
    expect(dropped.members.find((m) => m.id === A)?.presence).toEqual({ kind: 'dropped', since: T0 + 10 });
    expect(dropped.members).toHaveLength(2);
  });

  it('a stale connection cannot drop a seat that another connection took', () => {
    mustFail(
      lobbyWithSeat(),
      { type: 'drop', playerId: A, connectionId: 'old', now: T0 },
      ErrorCode.BAD_STATE,
    );
  });

  it('R2: resume with the right token restores the seat and rotates the token', () => {
    const dropped = must(lobbyWithSeat(), { type: 'drop', playerId: A, connectionId: 'c1', now: T0 + 10 });
    const back = must(dropped, {
      type: 'resume',
      playerId: A,
      resumeHash: 'h1',
      nextResumeHash: 'h2',
      connectionId: 'c2',
    });
    expect(back.members.find((m) => m.id === A)).toMatchObject({
      presence: { kind: 'present' },
      resumeHash: 'h2',
      connectionId: 'c2',
    });
    // The old token is spent.
    mustFail(
      back,
      { type: 'resume', playerId: A, resumeHash: 'h1', nextResumeHash: 'h3', connectionId: 'c3' },
      ErrorCode.NOT_FOUND,
    );
  });

  it('a dropped host hands the role to a present member at once and gets it back on resume; ready is kept', () => {
    let lobby = must(lobbyWithSeat(), { type: 'transfer', actor: 'player-host', target: A });
    lobby = must(lobby, { type: 'ready', playerId: A, ready: true });
    lobby = must(lobby, { type: 'drop', playerId: A, connectionId: 'c1', now: T0 + 10 });
    // Not after the seat grace: the present member stands in now (they may start, kick, end).
    expect(lobby.hostId).toBe('player-host');
    expect(lobby.hostHandback).toBe(A);
    lobby = must(lobby, {
      type: 'resume',
      playerId: A,
      resumeHash: 'h1',
      nextResumeHash: 'h2',
      connectionId: 'c2',
    });
    expect(lobby.hostId).toBe(A);
    expect(lobby.hostHandback).toBeNull();
    expect(lobby.members.find((m) => m.id === A)?.ready).toBe(true);
  });

  it('once the stand-in host has used a host power, the lobby has moved on: no handback', () => {
    let lobby = must(lobbyWithSeat(), { type: 'transfer', actor: 'player-host', target: A });
    lobby = must(lobby, { type: 'drop', playerId: A, connectionId: 'c1', now: T0 + 10 });
    lobby = must(lobby, { type: 'lock', actor: 'player-host', locked: true });
    expect(lobby.hostHandback).toBeNull();
    lobby = must(lobby, {
      type: 'resume',
      playerId: A,
      resumeHash: 'h1',
      nextResumeHash: 'h2',
      connectionId: 'c2',
    });
    expect(lobby.hostId).toBe('player-host');
  });

  it('a host who drops with nobody else present keeps the role; a handback ends when its seat expires', () => {
    let lobby = must(lobbyWithSeat(), { type: 'drop', playerId: A, connectionId: 'c1', now: T0 + 10 });
    lobby = must(lobby, { type: 'drop', playerId: 'player-host', connectionId: '', now: T0 + 11 });
    expect(lobby.hostId).toBe('player-host');
    expect(lobby.hostHandback).toBeNull();

    let handed = must(lobbyWithSeat(), { type: 'transfer', actor: 'player-host', target: A });
    handed = must(handed, { type: 'drop', playerId: A, connectionId: 'c1', now: T0 + 10 });
    handed = must(handed, { type: 'expire', playerId: A, since: T0 + 10 });
    expect(handed.hostHandback).toBeNull();
    expect(handed.hostId).toBe('player-host');
  });

  it('a wrong token, an unknown player and a member without a token all get NOT_FOUND', () => {
    const lobby = lobbyWithSeat();
    mustFail(
      lobby,
      { type: 'resume', playerId: A, resumeHash: 'nope', nextResumeHash: 'x', connectionId: 'c' },
      ErrorCode.NOT_FOUND,
    );
    mustFail(
      lobby,
      { type: 'resume', playerId: 'player-zz', resumeHash: 'h1', nextResumeHash: 'x', connectionId: 'c' },
      ErrorCode.NOT_FOUND,
    );
    mustFail(
      lobby,
      { type: 'resume', playerId: 'player-host', resumeHash: '', nextResumeHash: 'x', connectionId: 'c' },
      ErrorCode.NOT_FOUND,
    );
  });

  it('expire frees the seat of the drop it was scheduled for, and only that one', () => {
    const dropped = must(lobbyWithSeat(), { type: 'drop', playerId: A, connectionId: 'c1', now: T0 + 10 });
    mustFail(dropped, { type: 'expire', playerId: A, since: T0 + 9 }, ErrorCode.BAD_STATE);
    const freed = must(dropped, { type: 'expire', playerId: A, since: T0 + 10 });
    expect(freed.members.map((m) => m.id)).toEqual(['player-host']);
    const resumed = must(dropped, {
      type: 'resume',
      playerId: A,
      resumeHash: 'h1',
      nextResumeHash: 'h2',
      connectionId: 'c2',
    });
    mustFail(resumed, { type: 'expire', playerId: A, since: T0 + 10 }, ErrorCode.BAD_STATE);
  });

  it('S8: a kicked member cannot resume', () => {
    const kicked = must(lobbyWithSeat(), {
      type: 'kick',
      actor: 'player-host',
      target: A,
      ban: false,
      nextInviteToken: 'N'.repeat(22),
    });
    mustFail(
      kicked,
      { type: 'resume', playerId: A, resumeHash: 'h1', nextResumeHash: 'h2', connectionId: 'c2' },
      ErrorCode.NOT_FOUND,
    );
  });
});
