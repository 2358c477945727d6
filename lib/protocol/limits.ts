/** Limits shared by server and client. Units are in the names. */
export const PROTOCOL_VERSION = 1;

/**
 * The game a lobby belongs to when nobody says: the built-in one. A lobby's game never changes; its
 * browser list, code and invite only work for clients of the same game.
 */
export const DEFAULT_GAME = 'ring-out';
/** A game's slug: lower-case letters, digits and dashes, 2–32 characters, not starting with a dash. */
export const GAME_SLUG_PATTERN = /^[a-z0-9][a-z0-9-]{1,31}$/;

export const MIN_LOBBY_SIZE = 2;
/** The name of a lobby quick play creates when the player gives none. */
export const QUICK_PLAY_LOBBY_NAME = 'Quick play';
export const MAX_LOBBY_SIZE = 16;
export const DEFAULT_LOBBY_SIZE = 8;

export const MAX_NICKNAME_CHARS = 32;
export const MAX_LOBBY_NAME_CHARS = 40;
export const MAX_CHAT_CHARS = 500;

/** Lobby metadata (host-set) and player metadata (self-set): JSON objects, capped serialised and in depth. */
export const MAX_LOBBY_META_BYTES = 1024;
export const MAX_PLAYER_META_BYTES = 256;
/** The object itself is level 1: `{ a: { b: { c: { d: 1 } } } }` is 4 deep. */
export const MAX_META_DEPTH = 4;

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
/** Longest ICE candidate line accepted in a signal (real ones are ~100–200 characters). */
export const MAX_CANDIDATE_CHARS = 1024;
/**
 * Signals per player per window. A newcomer to a full lobby of 16 sends about 15 × (1 description +
 * ~10 candidates) ≈ 165 at once, and ICE restarts add a few more. The window is a fixed one
 * (rate-limiter-flexible's memory limiter), so at most this many reach anyone in any one window.
 */
export const SIGNAL_RATE_POINTS = 400;
export const SIGNAL_RATE_WINDOW_MS = 10_000;
/**
 * Server relay fallback, per player and summed over all targets: ≈ 200 frames/s and ≈ 420 KB/s on
 * average. Generous for a few relayed pairs of a game; the SDK paces itself at half of this so a
 * well-behaved client is never limited.
 */
export const RELAY_RATE_MESSAGES = 2000;
export const RELAY_RATE_BYTES = 4 * 1024 * 1024;
export const RELAY_RATE_WINDOW_MS = 10_000;
