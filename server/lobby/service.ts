import {
  DEFAULT_GAME,
  ErrorCode,
  fail,
  ok,
  type CreateLobbyInput,
  type JoinLobbyInput,
  type Result,
} from '../../lib/protocol';
import type { LobbyStore } from './LobbyStore';
import type { LobbyCommand } from './commands';
import { gamePolicy, type GamePolicy } from './games';
import { newInviteToken, newLobbyCode, newLobbyId } from './ids';
import { applyCommand, createLobby } from './lobby';
import type { Lobby, NewMember } from './types';

const MAX_CODE_ATTEMPTS = 8;

/** A parsed input whose game may be left out (DEFAULT_GAME): the socket layer always says. */
type WithGame<T> = T extends unknown ? Omit<T, 'game'> & { game?: string } : never;

/** Lobby use cases over a store. Knows nothing of sockets; the socket layer calls it. */
export class LobbyService {
  constructor(
    private readonly store: LobbyStore,
    private readonly now: () => number = Date.now,
    private readonly games: GamePolicy = gamePolicy('*'),
  ) {}

  /** `godot`: a lobby of the Godot endpoint, with this topology (its host's NewMember carries peer 1). */
  async create(host: NewMember, input: WithGame<CreateLobbyInput>, godot?: Lobby['godot']): Promise<Result<Lobby>> {
    const game = input.game ?? DEFAULT_GAME;
    if (!this.games.accepts(game)) return fail(ErrorCode.UNKNOWN_GAME);
    for (let attempt = 0; attempt < MAX_CODE_ATTEMPTS; attempt++) {
      const lobby = createLobby({
        id: newLobbyId(),
        game,
        code: newLobbyCode(),
        inviteToken: newInviteToken(),
        name: input.name,
        visibility: input.visibility,
        maxPlayers: input.maxPlayers,
        meta: input.meta,
        host,
        now: this.now(),
        godot,
      });
      if (await this.store.insert(lobby)) return ok(lobby);
    }
    return fail(ErrorCode.UNAVAILABLE);
  }

  async join(member: NewMember, input: WithGame<JoinLobbyInput>): Promise<Result<Lobby>> {
    const game = input.game ?? DEFAULT_GAME;
    if (!this.games.accepts(game)) return fail(ErrorCode.UNKNOWN_GAME);
    const via = 'code' in input ? 'code' : 'invite';
    const id = 'code' in input ? await this.store.idByCode(input.code) : await this.store.idByInvite(input.invite);
    if (!id) return fail(ErrorCode.NOT_FOUND);
    const result = await this.store.update(id, (lobby) =>
      applyCommand(lobby, { type: 'join', member, via, game, now: this.now() }),
    );
    if (!result.ok) return result;
    // A join never empties a lobby.
    return result.data ? ok(result.data) : fail(ErrorCode.INTERNAL);
  }

  /** Runs a command on a lobby; `null` data means the lobby was deleted. */
  run(lobbyId: string, cmd: LobbyCommand): Promise<Result<Lobby | null>> {
    return this.store.update(lobbyId, (lobby) => applyCommand(lobby, cmd));
  }

  get(lobbyId: string) {
    return this.store.get(lobbyId);
  }

  /** The public lobbies of one game; UNKNOWN_GAME for a game this server does not host. */
  async listPublic(game: string): Promise<Result<Lobby[]>> {
    if (!this.games.accepts(game)) return fail(ErrorCode.UNKNOWN_GAME);
    return ok(await this.store.listPublic(game));
  }
}
