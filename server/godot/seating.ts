/**
 * A Godot JOIN as the lobby core sees it: an empty argument creates a lobby (the creator is peer 1), a
 * code or invite token joins one with a fresh random peer id. Members get server-made ids; no device key
 * exists on this transport.
 */
import { randomBytes, randomInt } from 'node:crypto';
import {
  DEFAULT_LOBBY_SIZE,
  ErrorCode,
  InviteToken,
  LobbyCode,
  type JoinLobbyInput,
  type Result,
} from '../../lib/protocol';
import { connectionIdOf } from '../lobby/connectionId';
import type { LobbyQuota } from '../lobby/quota';
import type { LobbyService } from '../lobby/service';
import type { Lobby } from '../lobby/types';
import { DEFAULT_LOBBY_NAME, type Query } from './query';
import { HOST_PEER, type Seat } from './roster';
import { MAX_PEER_ID } from './wire';

/** Attempts at a fresh peer id when a random one is already taken in the lobby (2^31 ids, ≤ 16 members). */
const PEER_ID_ATTEMPTS = 4;

export interface SeatingDeps {
  lobbies: LobbyService;
  quota: LobbyQuota;
  instanceId: string;
}

/** What seating needs of a connection. */
export interface Seeker {
  query: Query;
  address: string;
  /** The connection's budget key (also its connection id on this instance). */
  key: string;
}

export type Seated = Result<{ lobby: Lobby; seat: Seat }>;

export function takeSeat(
  deps: SeatingDeps,
  seeker: Seeker,
  lobbyArg: string,
  mesh: boolean,
): Promise<Seated> {
  return lobbyArg === '' ? create(deps, seeker, mesh) : join(deps, seeker, lobbyArg);
}

function newMember(deps: SeatingDeps, seeker: Seeker, peer: number, nickname: string) {
  return {
    id: randomBytes(12).toString('base64url'),
    nickname,
    // No device key on this transport: bans apply to the player id only.
    deviceId: `godot:${randomBytes(9).toString('base64url')}`,
    connectionId: connectionIdOf(deps.instanceId, seeker.key),
    peer,
  };
}

async function create(deps: SeatingDeps, seeker: Seeker, mesh: boolean): Promise<Seated> {
  const { query } = seeker;
  const member = newMember(deps, seeker, HOST_PEER, query.name ?? `Peer ${HOST_PEER}`);
  const input = {
    game: query.game,
    nickname: member.nickname,
    name: query.lobby_name ?? DEFAULT_LOBBY_NAME,
    visibility: query.visibility ?? 'public',
    maxPlayers: query.max ?? DEFAULT_LOBBY_SIZE,
  } as const;
  const topology = mesh ? 'mesh' : 'client-server';
  const created = await deps.quota.create(seeker.address, () => deps.lobbies.create(member, input, topology));
  if (!created.ok) return created;
  return {
    ok: true,
    data: {
      lobby: created.data,
      seat: { lobbyId: created.data.id, game: query.game, playerId: member.id, peer: HOST_PEER },
    },
  };
}

async function join(deps: SeatingDeps, seeker: Seeker, arg: string): Promise<Seated> {
  const code = LobbyCode.safeParse(arg);
  const invite = InviteToken.safeParse(arg);
  const target = code.success ? { code: code.data } : invite.success ? { invite: invite.data } : null;
  // Anything else cannot name a lobby: the same answer as a wrong code (and the same guess budget).
  if (!target) return { ok: false, error: ErrorCode.NOT_FOUND };
  let last: Result<Lobby> = { ok: false, error: ErrorCode.UNAVAILABLE };
  for (let attempt = 0; attempt < PEER_ID_ATTEMPTS; attempt++) {
    const peer = randomInt(HOST_PEER + 1, MAX_PEER_ID + 1);
    // A chosen name that is taken gets the peer id after it (stock clients cannot pick another).
    const name = seeker.query.name;
    const nickname = !name ? `Peer ${peer}` : attempt === 0 ? name : `${name.slice(0, 20)} #${peer}`;
    const member = newMember(deps, seeker, peer, nickname);
    last = await deps.lobbies.join(member, {
      game: seeker.query.game,
      nickname,
      ...target,
    } as JoinLobbyInput);
    if (last.ok)
      return {
        ok: true,
        data: {
          lobby: last.data,
          seat: { lobbyId: last.data.id, game: last.data.game, playerId: member.id, peer },
        },
      };
    // BAD_STATE: the random peer id is taken in this lobby; NICKNAME_TAKEN: the chosen name is.
    if (last.error !== ErrorCode.BAD_STATE && !(last.error === ErrorCode.NICKNAME_TAKEN && name)) return last;
  }
  return last;
}

/** The demo's words for JOIN refusals, after PeerLobby's error code. */
export const JOIN_WORDS: Partial<Record<ErrorCode, string>> = {
  [ErrorCode.NOT_FOUND]: 'Lobby does not exists',
  [ErrorCode.LOCKED]: 'Lobby is sealed',
  [ErrorCode.FULL]: 'Lobby is full',
  [ErrorCode.TOO_MANY_LOBBIES]: 'Too many lobbies open, disconnecting',
  [ErrorCode.RATE_LIMITED]: 'Slow down',
  [ErrorCode.NICKNAME_TAKEN]: 'Name taken',
  [ErrorCode.BANNED]: 'Banned from this lobby',
  [ErrorCode.WRONG_GAME]: 'Lobby is for another game',
  [ErrorCode.UNKNOWN_GAME]: 'This server does not host that game',
};
