/** Limits shared by server and client. Units are in the names. */
export const PROTOCOL_VERSION = 1;

export const MIN_LOBBY_SIZE = 2;
export const MAX_LOBBY_SIZE = 16;
export const DEFAULT_LOBBY_SIZE = 8;

export const MAX_NICKNAME_CHARS = 32;
export const MAX_LOBBY_NAME_CHARS = 40;
export const MAX_CHAT_CHARS = 500;

/** 6 characters of a 31-letter alphabet ≈ 29.7 bits: a handle for public lobbies, never a secret. */
export const LOBBY_CODE_LENGTH = 6;
/** No 0/O, 1/I/L: codes are read aloud and typed from phones. */
export const LOBBY_CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
/** 128-bit invite tokens (OWASP: ≥128 bits for self-generated secrets), base64url. */
export const INVITE_TOKEN_BYTES = 16;

/** Biggest socket.io packet the server accepts; SDP offers of 16 peers fit well under it. */
export const MAX_PACKET_BYTES = 64 * 1024;
export const MAX_SIGNAL_BYTES = 16 * 1024;
export const MAX_RELAY_BYTES = 16 * 1024;

/** How long a dropped member keeps the seat (server default; SEAT_GRACE_MS overrides). */
export const DEFAULT_SEAT_GRACE_MS = 30_000;
/** Resume tokens: 128 bits from the CSPRNG, base64url. */
export const RESUME_TOKEN_BYTES = 16;
