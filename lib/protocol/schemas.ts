// zod/mini: the same engine as classic zod, but tree-shakable. These schemas reach the browser, where
// classic zod cost 454 KB in an esbuild bundle of the SDK (36 KB now) and 42 KB in the app's chunk.
import * as z from 'zod/mini';
import {
  DEFAULT_GAME,
  DEFAULT_LOBBY_SIZE,
  GAME_SLUG_PATTERN,
  LOBBY_CODE_ALPHABET,
  LOBBY_CODE_LENGTH,
  MAX_LOBBY_NAME_CHARS,
  MAX_LOBBY_SIZE,
  MAX_NICKNAME_CHARS,
  MIN_LOBBY_SIZE,
  QUICK_PLAY_LOBBY_NAME,
} from './limits';
import { LobbyMeta } from './meta';
import { cleanLine, hasVisibleText } from './text';

/**
 * Raw input is capped before cleaning so a huge string costs nothing to reject. What is left must
 * show something: a name of fillers, zero-width or blank-looking characters is no name.
 */
const line = (max: number) =>
  z.pipe(
    z.pipe(z.string().check(z.maxLength(max * 4)), z.transform(cleanLine)),
    z.string().check(z.minLength(1), z.maxLength(max), z.refine(hasVisibleText, 'nothing visible')),
  );

export const Nickname = line(MAX_NICKNAME_CHARS);
export const LobbyName = line(MAX_LOBBY_NAME_CHARS);

const codeChars = new RegExp(`^[${LOBBY_CODE_ALPHABET}]{${LOBBY_CODE_LENGTH}}$`);
/** Case-insensitive on input; stored upper-case. */
export const LobbyCode = z.pipe(
  z.pipe(
    z.string().check(z.maxLength(16)),
    z.transform((s: string) => s.trim().toUpperCase()),
  ),
  z.string().check(z.regex(codeChars)),
);

export const InviteToken = z.string().check(z.regex(/^[A-Za-z0-9_-]{22}$/));
export const PlayerId = z.string().check(z.regex(/^[A-Za-z0-9_-]{8,32}$/));
export const Visibility = z.enum(['public', 'private']);
export const GameSlug = z.string().check(z.regex(GAME_SLUG_PATTERN));
/** Every command that names a game may leave it out: the built-in game's clients never say. */
const game = z._default(GameSlug, DEFAULT_GAME);
export const MaxPlayers = z.int().check(z.minimum(MIN_LOBBY_SIZE), z.maximum(MAX_LOBBY_SIZE));

export const CreateLobbyInput = z.strictObject({
  game,
  nickname: Nickname,
  name: LobbyName,
  visibility: Visibility,
  maxPlayers: z._default(MaxPlayers, DEFAULT_LOBBY_SIZE),
  /** The lobby's first metadata (the host can replace it later). */
  meta: z.optional(LobbyMeta),
});

/**
 * A join names the lobby by its public code, or by the invite token of a private (or public) lobby, and
 * the game the client plays: a lobby of another game answers WRONG_GAME.
 */
export const JoinLobbyInput = z.union([
  z.strictObject({ game, nickname: Nickname, code: LobbyCode }),
  z.strictObject({ game, nickname: Nickname, invite: InviteToken }),
]);

/**
 * Quick play: a seat in the fullest open public lobby of this game and size, or a new public lobby
 * (named `name`, with `meta`) when none is open.
 */
export const JoinOrCreateInput = z.strictObject({
  game,
  nickname: Nickname,
  maxPlayers: z._default(MaxPlayers, DEFAULT_LOBBY_SIZE),
  name: z._default(LobbyName, QUICK_PLAY_LOBBY_NAME),
  meta: z.optional(LobbyMeta),
});

/** Watching the lobby browser of one game (`watch: false` stops watching any). */
export const WatchBrowserInput = z.strictObject({ watch: z.boolean(), game });

export const SetReadyInput = z.strictObject({ ready: z.boolean() });
export const KickInput = z.strictObject({ playerId: PlayerId, ban: z._default(z.boolean(), false) });
export const SetLockedInput = z.strictObject({ locked: z.boolean() });
export const TransferHostInput = z.strictObject({ playerId: PlayerId });
export const UpdateSettingsInput = z
  .strictObject({
    name: z.optional(LobbyName),
    visibility: z.optional(Visibility),
    maxPlayers: z.optional(MaxPlayers),
  })
  .check(z.refine((s) => Object.keys(s).length > 0, 'no setting given'));

/**
 * What `ice:refresh` answers, parsed by the client before it reaches an RTCPeerConnection (a bad
 * server entry would make setConfiguration throw).
 */
export const IceGrantSchema = z.object({
  iceServers: z.array(
    z.object({
      urls: z.union([z.string(), z.array(z.string())]),
      username: z.optional(z.string()),
      credential: z.optional(z.string()),
    }),
  ),
  iceServersExpireAt: z.nullable(z.number()),
  iceServersTtlMs: z.nullable(z.number().check(z.positive())),
});

export const ResumeTokenSchema = z.string().check(z.regex(/^[A-Za-z0-9_-]{22}$/));

export const HandshakeAuth = z.object({
  protocolVersion: z.int(),
  deviceKey: z.optional(z.string().check(z.maxLength(128))),
  /** A seat to take back: the lobby, the player id and the last resume token. */
  resume: z.catch(
    z.optional(
      z.strictObject({
        lobbyId: z.string().check(z.maxLength(32)),
        playerId: PlayerId,
        token: ResumeTokenSchema,
      }),
    ),
    undefined,
  ),
});

export type CreateLobbyInput = z.infer<typeof CreateLobbyInput>;
export type JoinOrCreateInput = z.infer<typeof JoinOrCreateInput>;
export type WatchBrowserInput = z.infer<typeof WatchBrowserInput>;
export type JoinLobbyInput = z.infer<typeof JoinLobbyInput>;
export type KickInput = z.infer<typeof KickInput>;
export type UpdateSettingsInput = z.infer<typeof UpdateSettingsInput>;
export type Visibility = z.infer<typeof Visibility>;
export type HandshakeAuth = z.infer<typeof HandshakeAuth>;
