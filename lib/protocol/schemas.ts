import { z } from 'zod';
import {
  DEFAULT_LOBBY_SIZE,
  LOBBY_CODE_ALPHABET,
  LOBBY_CODE_LENGTH,
  MAX_LOBBY_NAME_CHARS,
  MAX_LOBBY_SIZE,
  MAX_NICKNAME_CHARS,
  MIN_LOBBY_SIZE,
} from './limits';
import { cleanLine } from './text';

/** Raw input is capped before cleaning so a huge string costs nothing to reject. */
const line = (max: number) =>
  z
    .string()
    .max(max * 4)
    .transform(cleanLine)
    .pipe(z.string().min(1).max(max));

export const Nickname = line(MAX_NICKNAME_CHARS);
export const LobbyName = line(MAX_LOBBY_NAME_CHARS);

const codeChars = new RegExp(`^[${LOBBY_CODE_ALPHABET}]{${LOBBY_CODE_LENGTH}}$`);
/** Case-insensitive on input; stored upper-case. */
export const LobbyCode = z
  .string()
  .max(16)
  .transform((s) => s.trim().toUpperCase())
  .pipe(z.string().regex(codeChars));

export const InviteToken = z.string().regex(/^[A-Za-z0-9_-]{22}$/);
export const PlayerId = z.string().regex(/^[A-Za-z0-9_-]{8,32}$/);
export const Visibility = z.enum(['public', 'private']);
export const MaxPlayers = z.number().int().min(MIN_LOBBY_SIZE).max(MAX_LOBBY_SIZE);

export const CreateLobbyInput = z.strictObject({
  nickname: Nickname,
  name: LobbyName,
  visibility: Visibility,
  maxPlayers: MaxPlayers.default(DEFAULT_LOBBY_SIZE),
});

/** A join names the lobby by its public code, or by the invite token of a private (or public) lobby. */
export const JoinLobbyInput = z.union([
  z.strictObject({ nickname: Nickname, code: LobbyCode }),
  z.strictObject({ nickname: Nickname, invite: InviteToken }),
]);

export const SetReadyInput = z.strictObject({ ready: z.boolean() });
export const KickInput = z.strictObject({ playerId: PlayerId, ban: z.boolean().default(false) });
export const SetLockedInput = z.strictObject({ locked: z.boolean() });
export const TransferHostInput = z.strictObject({ playerId: PlayerId });
export const UpdateSettingsInput = z
  .strictObject({
    name: LobbyName.optional(),
    visibility: Visibility.optional(),
    maxPlayers: MaxPlayers.optional(),
  })
  .refine((s) => Object.keys(s).length > 0, 'no setting given');

export const ResumeTokenSchema = z.string().regex(/^[A-Za-z0-9_-]{22}$/);

export const HandshakeAuth = z.object({
  protocolVersion: z.number().int(),
  deviceKey: z.string().max(128).optional(),
  /** A seat to take back: the lobby, the player id and the last resume token. */
  resume: z
    .strictObject({ lobbyId: z.string().max(32), playerId: PlayerId, token: ResumeTokenSchema })
    .optional()
    .catch(undefined),
});

export type CreateLobbyInput = z.infer<typeof CreateLobbyInput>;
export type JoinLobbyInput = z.infer<typeof JoinLobbyInput>;
export type KickInput = z.infer<typeof KickInput>;
export type UpdateSettingsInput = z.infer<typeof UpdateSettingsInput>;
export type Visibility = z.infer<typeof Visibility>;
export type HandshakeAuth = z.infer<typeof HandshakeAuth>;
