/** Every error a client can see. Clients only ever receive one of these codes, never internal text. */
export const ErrorCode = {
  INVALID_PAYLOAD: 'INVALID_PAYLOAD',
  PROTOCOL_MISMATCH: 'PROTOCOL_MISMATCH',
  /** One uniform answer for wrong codes, wrong tokens and private lobbies: nothing to enumerate. */
  NOT_FOUND: 'NOT_FOUND',
  FULL: 'FULL',
  /** Another member's nickname looks the same (case, look-alike letters, spacing aside). */
  NICKNAME_TAKEN: 'NICKNAME_TAKEN',
  LOCKED: 'LOCKED',
  BANNED: 'BANNED',
  NOT_IN_LOBBY: 'NOT_IN_LOBBY',
  ALREADY_IN_LOBBY: 'ALREADY_IN_LOBBY',
  FORBIDDEN: 'FORBIDDEN',
  NOT_READY: 'NOT_READY',
  BAD_STATE: 'BAD_STATE',
  PEER_NOT_FOUND: 'PEER_NOT_FOUND',
  TOO_LARGE: 'TOO_LARGE',
  RATE_LIMITED: 'RATE_LIMITED',
  /** The address already created MAX_LOBBIES_PER_ADDRESS lobbies that are still alive. */
  TOO_MANY_LOBBIES: 'TOO_MANY_LOBBIES',
  /** The lobby belongs to another game than the one the client plays (a code or invite of another game). */
  WRONG_GAME: 'WRONG_GAME',
  /** This server does not host that game (its GAMES setting). */
  UNKNOWN_GAME: 'UNKNOWN_GAME',
  UNAVAILABLE: 'UNAVAILABLE',
  INTERNAL: 'INTERNAL',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export type Result<T> = { ok: true; data: T } | { ok: false; error: ErrorCode };
export type Ack<T> = (result: Result<T>) => void;

export const ok = <T>(data: T): Result<T> => ({ ok: true, data });
export const fail = <T = never>(error: ErrorCode): Result<T> => ({ ok: false, error });

/** Human text for each code, shown in the UI. */
export const ERROR_MESSAGES: Record<ErrorCode, string> = {
  INVALID_PAYLOAD: 'That request was not valid.',
  PROTOCOL_MISMATCH: 'This page is out of date. Reload to get the latest version.',
  NOT_FOUND: 'Lobby not found, or you need an invite link to join it.',
  FULL: 'This lobby is full.',
  NICKNAME_TAKEN: 'Someone in this lobby already has that nickname, or one that looks just like it.',
  LOCKED: 'This lobby is locked by its host.',
  BANNED: 'You were removed from this lobby and cannot rejoin it.',
  NOT_IN_LOBBY: 'You are not in a lobby.',
  ALREADY_IN_LOBBY: 'You are already in a lobby. Leave it first.',
  FORBIDDEN: 'Only the host can do that.',
  NOT_READY: 'Everyone must be ready before the game starts.',
  BAD_STATE: 'That is not possible right now.',
  PEER_NOT_FOUND: 'That player is not in your lobby.',
  TOO_LARGE: 'That message is too large.',
  RATE_LIMITED: 'Slow down a little and try again.',
  TOO_MANY_LOBBIES:
    'Your network already has too many open lobbies. Close one, or wait for an empty one to expire.',
  WRONG_GAME: 'That lobby is for another game.',
  UNKNOWN_GAME: 'This server does not host that game.',
  UNAVAILABLE: 'The server is having trouble. Try again in a moment.',
  INTERNAL: 'Something went wrong on the server.',
};

export function assertNever(value: never): never {
  throw new Error(`Unexpected value: ${JSON.stringify(value)}`);
}
