import {
  DEFAULT_GAME,
  ErrorCode,
  fail,
  ok,
  type CreateLobbyInput,
  type JoinLobbyInput,
  type JoinOrCreateInput,
  type Result,
} from '../../lib/protocol';
import type { LobbyStore } from './LobbyStore';
import type { LobbyCommand } from './commands';
import { gamePolicy, type GamePolicy } from './games';
import { newInviteToken, newLobbyCode, newLobbyId } from './ids';
import { applyCommand, createLobby } from './lobby';
import { isOpenForQuickPlay, type QuickPlayPool } from './quickPlay';
import type { Lobby, NewMember } from './types';

const MAX_CODE_ATTEMPTS = 8;
/** Open lobbies quick play tries per round, fullest first. */
const QUICK_PLAY_CANDIDATES = 8;
/**
 * Rounds of "try the open lobbies, else create unless one is open" before giving up (UNAVAILABLE). A
 * round is only lost when another player made progress (filled a lobby, or created one), so this
 * bounds the contention one quick player can meet, not the normal case (one round).
 */
const MAX_QUICK_PLAY_ROUNDS = 64;

const inPool = (lobby: Lobby, pool: QuickPlayPool) =>
  lobby.game === pool.game && lobby.maxPlayers === pool.maxPlayers;

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
  async create(
    host: NewMember,
    input: WithGame<CreateLobbyInput>,
    godot?: Lobby['godot'],
  ): Promise<Result<Lobby>> {
    const game = input.game ?? DEFAULT_GAME;
    if (!this.games.accepts(game)) return fail(ErrorCode.UNKNOWN_GAME);
    for (let attempt = 0; attempt < MAX_CODE_ATTEMPTS; attempt++) {
      const lobby = this.newLobby(host, { ...input, game }, godot);
      if (await this.store.insert(lobby)) return ok(lobby);
    }
    return fail(ErrorCode.UNAVAILABLE);
  }

  /** A new lobby with fresh identifiers (the store refuses a code or invite that is taken). */
  private newLobby(
    host: NewMember,
    input: Omit<CreateLobbyInput, 'nickname'>,
    godot?: Lobby['godot'],
  ): Lobby {
    return createLobby({
      id: newLobbyId(),
      game: input.game,
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
  }

  async join(member: NewMember, input: WithGame<JoinLobbyInput>): Promise<Result<Lobby>> {
    const game = input.game ?? DEFAULT_GAME;
    if (!this.games.accepts(game)) return fail(ErrorCode.UNKNOWN_GAME);
    const via = 'code' in input ? 'code' : 'invite';
    const id =
      'code' in input ? await this.store.idByCode(input.code) : await this.store.idByInvite(input.invite);
    if (!id) return fail(ErrorCode.NOT_FOUND);
    const result = await this.store.update(id, (lobby) =>
      applyCommand(lobby, { type: 'join', member, via, game, now: this.now() }),
    );
    if (!result.ok) return result;
    // A join never empties a lobby.
    return result.data ? ok(result.data) : fail(ErrorCode.INTERNAL);
  }

  /**
   * Quick play: seats `member` in the fullest open lobby of the game and size (isOpenForQuickPlay), or
   * creates a public one when none is open — never while one is (the store's insertUnlessOpen is
   * atomic), so concurrent quick players fill lobbies one after another. `mayCreate` false (the
   * address is at its lobby quota) only joins: TOO_MANY_LOBBIES when nothing is open.
   */
  async joinOrCreate(
    member: NewMember,
    input: WithGame<JoinOrCreateInput>,
    mayCreate = true,
  ): Promise<Result<{ lobby: Lobby; created: boolean }>> {
    const pool: QuickPlayPool = { game: input.game ?? DEFAULT_GAME, maxPlayers: input.maxPlayers };
    if (!this.games.accepts(pool.game)) return fail(ErrorCode.UNKNOWN_GAME);
    // Lobbies that did not take this player on a snapshot of their own: they refuse this player (a ban,
    // a nickname taken there) or were no longer open (filled, locked, started, emptied since listed).
    // The create below ignores them, so an index entry left behind (a record written by an older
    // build, an operator's delete) cannot block quick play; the price is a lobby that reopens in that
    // instant (someone left) being passed over by this one call.
    const skip: string[] = [];
    let codeClashes = 0;
    for (let round = 0; round < MAX_QUICK_PLAY_ROUNDS; round++) {
      const listed = await this.store.listOpen(pool, QUICK_PLAY_CANDIDATES + skip.length);
      const candidates = listed.filter((c) => !skip.includes(c.id));
      for (const candidate of candidates) {
        const joined = await this.store.update(candidate.id, (lobby) =>
          inPool(lobby, pool) && isOpenForQuickPlay(lobby)
            ? applyCommand(lobby, { type: 'join', member, via: 'quick', game: pool.game, now: this.now() })
            : fail(ErrorCode.FULL),
        );
        if (joined.ok && joined.data) return ok({ lobby: joined.data, created: false });
        skip.push(candidate.id);
      }
      if (!mayCreate) {
        if (candidates.length === 0) return fail(ErrorCode.TOO_MANY_LOBBIES);
        continue;
      }
      const lobby = this.newLobby(member, {
        game: pool.game,
        name: input.name,
        visibility: 'public',
        maxPlayers: pool.maxPlayers,
        meta: input.meta,
      });
      const inserted = await this.store.insertUnlessOpen(lobby, skip);
      if (inserted === 'inserted') return ok({ lobby, created: true });
      // 'open-exists': someone opened a lobby meanwhile; the next round joins it.
      if (inserted === 'taken' && ++codeClashes >= MAX_CODE_ATTEMPTS) return fail(ErrorCode.UNAVAILABLE);
    }
    return fail(ErrorCode.UNAVAILABLE);
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
