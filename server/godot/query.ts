/** The query string of a /godot URL: PeerLobby's extensions to Godot's signaling protocol. */
import * as z from 'zod/mini';
import { GameSlug, LobbyName, MaxPlayers, Nickname, Visibility } from '../../lib/protocol';

/** Godot lobbies belong to this game unless the URL names another (`?game=`): never the built-in game's. */
export const GODOT_GAME = 'godot';
/** Godot lobbies are named this unless the URL says (`?lobby_name=`). */
export const DEFAULT_LOBBY_NAME = 'Godot lobby';

/**
 * PeerLobby's extensions ride in the URL's query, so a stock client changes only the URL it connects to.
 * Every parameter is optional; a bad one closes the connection with INVALID_PAYLOAD naming it.
 */
export const Query = z.object({
  /** The game the lobby belongs to (GAMES decides which are hosted); `godot` unless named. */
  game: z._default(GameSlug, GODOT_GAME),
  /** A player name (unique in the lobby) instead of "Peer <id>". */
  name: z.optional(Nickname),
  /** For a JOIN that creates: the lobby's name, visibility (public: listed) and size. */
  lobby_name: z.optional(LobbyName),
  visibility: z.optional(Visibility),
  max: z.optional(
    z
      .pipe(z.string().check(z.regex(/^\d{1,2}$/)), z.transform(Number))
      .check(z.refine((n) => MaxPlayers.safeParse(n).success, '2–16')),
  ),
  /** `1`: send the ICE servers (built-in STUN, TURN credentials) right after the JOIN reply. */
  ice: z.optional(z.enum(['0', '1'])),
  /** `3` or `4`: the protocol version, when the first frame should not be the one to tell. */
  v: z.optional(z.enum(['3', '4'])),
});
export type Query = z.infer<typeof Query>;
