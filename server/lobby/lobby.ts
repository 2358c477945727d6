import { DEFAULT_GAME, ErrorCode, assertNever, fail, ok, type Meta, type Result } from '../../lib/protocol';
import type { LobbyCommand } from './commands';
import { nicknameKey } from './nickname';
import type { Lobby, Member, NewMember, Presence } from './types';

/**
 * What every present member and every member without metadata share: one frozen object each, not one
 * per member (a player's state is replaced, never changed in place, so sharing is safe; frozen, an
 * in-place write would throw instead of reaching every member).
 */
export const PRESENT: Presence = Object.freeze({ kind: 'present' });
export const NO_META: Meta = Object.freeze({});

export interface LobbyInit {
  id: string;
  /** DEFAULT_GAME when left out. */
  game?: string;
  code: string;
  inviteToken: string;
  name: string;
  visibility: Lobby['visibility'];
  maxPlayers: number;
  host: NewMember;
  now: number;
  /** The lobby's first metadata; `{}` when left out. */
  meta?: Meta;
  /** A Godot lobby (server/godot): its topology; the host's NewMember carries peer 1. */
  godot?: Lobby['godot'];
}

export function createLobby(init: LobbyInit): Lobby {
  return {
    id: init.id,
    game: init.game ?? DEFAULT_GAME,
    code: init.code,
    inviteToken: init.inviteToken,
    name: init.name,
    visibility: init.visibility,
    maxPlayers: init.maxPlayers,
    locked: false,
    phase: 'waiting',
    hostId: init.host.id,
    hostHandback: null,
    meta: init.meta ?? NO_META,
    members: [newMember(init.host, init.now)],
    bannedDevices: [],
    bannedPlayers: [],
    version: 1,
    createdAt: init.now,
    ...(init.godot ? { godot: init.godot } : {}),
  };
}

function newMember(m: NewMember, now: number): Member {
  return {
    id: m.id,
    nickname: m.nickname,
    deviceId: m.deviceId,
    ready: false,
    joinedAt: now,
    presence: PRESENT,
    resumeHash: m.resumeHash ?? '',
    connectionId: m.connectionId ?? '',
    meta: NO_META,
    ...(m.peer !== undefined ? { peer: m.peer } : {}),
  };
}

export const isMember = (lobby: Lobby, playerId: string) => lobby.members.some((m) => m.id === playerId);
export const isFull = (lobby: Lobby) => lobby.members.length >= lobby.maxPlayers;

/**
 * Applies one command. Returns the next lobby (version + 1), `null` when the lobby is now empty and
 * must be deleted, or an error with the lobby untouched. Pure: the input is never mutated.
 */
/** Commands only the host may give: once the stand-in host gives one, the lobby has moved on. */
const HOST_POWERS = new Set<LobbyCommand['type']>([
  'kick',
  'lock',
  'transfer',
  'settings',
  'set-meta',
  'start',
  'end',
  'close',
]);

export function applyCommand(lobby: Lobby, cmd: LobbyCommand): Result<Lobby | null> {
  const next = reduce(lobby, cmd);
  if (!next.ok || next.data === null) return next;
  const handback = HOST_POWERS.has(cmd.type) ? null : next.data.hostHandback;
  return ok({ ...next.data, hostHandback: handback, version: lobby.version + 1 });
}

function reduce(lobby: Lobby, cmd: LobbyCommand): Result<Lobby | null> {
  switch (cmd.type) {
    case 'join':
      return join(lobby, cmd.member, cmd.via, cmd.game ?? DEFAULT_GAME, cmd.now);
    case 'leave': {
      const m = lobby.members.find((x) => x.id === cmd.playerId);
      if (m && cmd.connectionId !== undefined && m.connectionId !== cmd.connectionId)
        return fail(ErrorCode.BAD_STATE);
      return removeMember(lobby, cmd.playerId);
    }
    case 'drop': {
      const m = lobby.members.find((x) => x.id === cmd.playerId);
      if (!m) return fail(ErrorCode.NOT_IN_LOBBY);
      if (m.connectionId !== cmd.connectionId || m.presence.kind === 'dropped')
        return fail(ErrorCode.BAD_STATE);
      const dropped = mapMember(lobby, m.id, (x) => ({
        ...x,
        presence: { kind: 'dropped', since: cmd.now },
      }));
      // A dropped host would freeze the lobby for the whole seat grace (nobody could start, kick or end):
      // the longest-present member still here stands in at once, and hands back on resume (hostHandback).
      const standIn = dropped.members.find((x) => x.presence.kind === 'present');
      if (lobby.hostId !== m.id || !standIn) return ok(dropped);
      return ok({ ...dropped, hostId: standIn.id, hostHandback: lobby.hostHandback ?? m.id });
    }
    case 'resume': {
      const m = lobby.members.find((x) => x.id === cmd.playerId);
      // Same answer for a wrong token and a freed seat: nothing to probe.
      if (!m || !m.resumeHash || m.resumeHash !== cmd.resumeHash) return fail(ErrorCode.NOT_FOUND);
      const resumed = mapMember(lobby, m.id, (x) => ({
        ...x,
        presence: PRESENT,
        resumeHash: cmd.nextResumeHash,
        connectionId: cmd.connectionId,
      }));
      // The host who dropped gets the role back if the stand-in has not used it.
      return ok(lobby.hostHandback === m.id ? { ...resumed, hostId: m.id, hostHandback: null } : resumed);
    }
    case 'expire': {
      const m = lobby.members.find((x) => x.id === cmd.playerId);
      if (!m || m.presence.kind !== 'dropped' || m.presence.since !== cmd.since)
        return fail(ErrorCode.BAD_STATE);
      return removeMember(lobby, cmd.playerId);
    }
    case 'ready': {
      if (!isMember(lobby, cmd.playerId)) return fail(ErrorCode.NOT_IN_LOBBY);
      return ok(mapMember(lobby, cmd.playerId, (m) => ({ ...m, ready: cmd.ready })));
    }
    case 'kick': {
      const denied = checkHost(lobby, cmd.actor);
      if (denied) return denied;
      const target = lobby.members.find((m) => m.id === cmd.target);
      if (!target || cmd.target === cmd.actor) return fail(ErrorCode.PEER_NOT_FOUND);
      const removed = removeMember(lobby, cmd.target);
      if (!removed.ok || !removed.data || !cmd.ban) return removed;
      // The device is banned too (a new player id from the same browser stays out), unless another
      // member is seated on it — two tabs of one browser, the host's own — then only the player is.
      // A new device key (cleared storage, another browser) would get past both, so the invite link the
      // banned player holds is replaced as well.
      const deviceStays = removed.data.members.some((m) => m.deviceId === target.deviceId);
      return ok({
        ...removed.data,
        inviteToken: cmd.nextInviteToken,
        bannedDevices: deviceStays
          ? removed.data.bannedDevices
          : [...removed.data.bannedDevices, target.deviceId],
        bannedPlayers: [...removed.data.bannedPlayers, target.id],
      });
    }
    case 'rotate-invite': {
      const denied = checkHost(lobby, cmd.actor);
      if (denied) return denied;
      return ok({ ...lobby, inviteToken: cmd.inviteToken });
    }
    case 'lock': {
      const denied = checkHost(lobby, cmd.actor);
      if (denied) return denied;
      return ok({ ...lobby, locked: cmd.locked });
    }
    case 'transfer': {
      const denied = checkHost(lobby, cmd.actor);
      if (denied) return denied;
      if (cmd.target === cmd.actor || !isMember(lobby, cmd.target)) return fail(ErrorCode.PEER_NOT_FOUND);
      return ok({ ...lobby, hostId: cmd.target });
    }
    case 'settings': {
      const denied = checkHost(lobby, cmd.actor);
      if (denied) return denied;
      const { name, visibility, maxPlayers } = cmd.settings;
      if (maxPlayers !== undefined && maxPlayers < lobby.members.length) return fail(ErrorCode.BAD_STATE);
      return ok({
        ...lobby,
        name: name ?? lobby.name,
        visibility: visibility ?? lobby.visibility,
        maxPlayers: maxPlayers ?? lobby.maxPlayers,
      });
    }
    case 'set-meta': {
      const denied = checkHost(lobby, cmd.actor);
      if (denied) return denied;
      return ok({ ...lobby, meta: cmd.meta });
    }
    case 'set-player-meta': {
      if (!isMember(lobby, cmd.playerId)) return fail(ErrorCode.NOT_IN_LOBBY);
      return ok(mapMember(lobby, cmd.playerId, (m) => ({ ...m, meta: cmd.meta })));
    }
    case 'start': {
      const denied = checkHost(lobby, cmd.actor);
      if (denied) return denied;
      if (lobby.phase !== 'waiting') return fail(ErrorCode.BAD_STATE);
      // The host's "start" is their ready: everyone else must have said ready.
      const others = lobby.members.filter((m) => m.id !== lobby.hostId);
      if (others.length === 0 || others.some((m) => !m.ready)) return fail(ErrorCode.NOT_READY);
      return ok({ ...lobby, phase: 'in-game' });
    }
    case 'end': {
      const denied = checkHost(lobby, cmd.actor);
      if (denied) return denied;
      if (lobby.phase !== 'in-game') return fail(ErrorCode.BAD_STATE);
      return ok({ ...lobby, phase: 'waiting', members: lobby.members.map((m) => ({ ...m, ready: false })) });
    }
    case 'close': {
      // The end of a sealed Godot lobby: the host's SEAL, then the lobby goes for everyone at once.
      const denied = checkHost(lobby, cmd.actor);
      if (denied) return denied;
      return ok(null);
    }
    default:
      return assertNever(cmd);
  }
}

function join(
  lobby: Lobby,
  member: NewMember,
  via: 'code' | 'invite' | 'quick',
  game: string,
  now: number,
): Result<Lobby> {
  // A private lobby's code is not a key: answer exactly as for a code that does not exist.
  if (via === 'code' && lobby.visibility === 'private') return fail(ErrorCode.NOT_FOUND);
  // Before anything else about the lobby: a client of another game learns nothing more of it.
  if (lobby.game !== game) return fail(ErrorCode.WRONG_GAME);
  if (isMember(lobby, member.id)) return fail(ErrorCode.ALREADY_IN_LOBBY);
  if (lobby.bannedDevices.includes(member.deviceId) || lobby.bannedPlayers.includes(member.id)) {
    return fail(ErrorCode.BANNED);
  }
  // A Godot peer and a PeerLobby client cannot talk to each other: neither kind joins the other's
  // lobbies, answered like a code that does not exist. A Godot peer id is unique in its lobby.
  if ((member.peer !== undefined) !== (lobby.godot !== undefined)) return fail(ErrorCode.NOT_FOUND);
  if (lobby.locked) return fail(ErrorCode.LOCKED);
  if (isFull(lobby)) return fail(ErrorCode.FULL);
  if (member.peer !== undefined && lobby.members.some((m) => m.peer === member.peer))
    return fail(ErrorCode.BAD_STATE);
  const key = nicknameKey(member.nickname);
  if (lobby.members.some((m) => nicknameKey(m.nickname) === key)) return fail(ErrorCode.NICKNAME_TAKEN);
  return ok({ ...lobby, members: [...lobby.members, newMember(member, now)] });
}

/** Removes a member; the longest-present remaining member inherits the host role. */
function removeMember(lobby: Lobby, playerId: string): Result<Lobby | null> {
  if (!isMember(lobby, playerId)) return fail(ErrorCode.NOT_IN_LOBBY);
  const members = lobby.members.filter((m) => m.id !== playerId);
  const first = members[0];
  if (!first) return ok(null);
  // The longest-present member who is actually here; a dropped one only when nobody is.
  const heir = members.find((m) => m.presence.kind === 'present') ?? first;
  const hostId = lobby.hostId === playerId ? heir.id : lobby.hostId;
  return ok({
    ...lobby,
    members,
    hostId,
    hostHandback: lobby.hostHandback === playerId ? null : lobby.hostHandback,
  });
}

function checkHost(lobby: Lobby, actor: string): Result<never> | null {
  if (!isMember(lobby, actor)) return fail(ErrorCode.NOT_IN_LOBBY);
  if (lobby.hostId !== actor) return fail(ErrorCode.FORBIDDEN);
  return null;
}

function mapMember(lobby: Lobby, id: string, fn: (m: Member) => Member): Lobby {
  return { ...lobby, members: lobby.members.map((m) => (m.id === id ? fn(m) : m)) };
}
