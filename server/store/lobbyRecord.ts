import { z } from 'zod';
import { DEFAULT_GAME, GAME_SLUG_PATTERN, Visibility, isMeta, type Meta } from '../../lib/protocol';
import type { Lobby } from '../lobby/types';

/**
 * A lobby as stored outside the process. Another instance (maybe an older or newer build) wrote it,
 * so it is parsed like any other input rather than cast.
 */
const Presence = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('present') }),
  z.object({ kind: z.literal('dropped'), since: z.number() }),
]);

/**
 * Metadata as stored: a JSON object. The caps are the socket layer's; here a looser bound (records are
 * ours) so a record written under other caps still reads. Absent in records written before it existed.
 */
const StoredMeta = z.custom<Meta>((v) => isMeta(v, 64 * 1024, 16)).default({});

const Member = z.object({
  id: z.string(),
  nickname: z.string(),
  deviceId: z.string(),
  ready: z.boolean(),
  joinedAt: z.number(),
  presence: Presence,
  resumeHash: z.string(),
  connectionId: z.string(),
  meta: StoredMeta,
  peer: z.number().int().optional(),
});

export const LobbyRecord = z.object({
  id: z.string(),
  // Records written before games existed were all of the built-in game.
  game: z.string().regex(GAME_SLUG_PATTERN).default(DEFAULT_GAME),
  code: z.string(),
  inviteToken: z.string(),
  name: z.string(),
  visibility: Visibility,
  maxPlayers: z.number().int(),
  locked: z.boolean(),
  phase: z.enum(['waiting', 'in-game']),
  hostId: z.string(),
  // Absent in records written before it existed.
  hostHandback: z.string().nullable().default(null),
  meta: StoredMeta,
  members: z.array(Member),
  bannedDevices: z.array(z.string()),
  bannedPlayers: z.array(z.string()),
  version: z.number().int(),
  createdAt: z.number(),
  godot: z.enum(['mesh', 'client-server']).optional(),
});

// Both directions, so a field added to Lobby without the schema (or the reverse) fails to compile.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const schemaMatchesLobby: Same<z.infer<typeof LobbyRecord>, Lobby> = true;
void schemaMatchesLobby;

/** Thrown when stored bytes are not a lobby: a bug or a foreign writer, never a client's fault. */
export class CorruptLobbyRecordError extends Error {
  override readonly name = 'CorruptLobbyRecordError';
}

export function parseLobbyRecord(json: string): Lobby {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (cause) {
    throw new CorruptLobbyRecordError('stored lobby is not JSON', { cause });
  }
  const parsed = LobbyRecord.safeParse(raw);
  if (!parsed.success)
    throw new CorruptLobbyRecordError('stored lobby does not match the schema', { cause: parsed.error });
  return parsed.data;
}
