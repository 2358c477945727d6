import type { Meta, UpdateSettingsInput } from '../../lib/protocol';
import type { NewMember } from './types';

/** Everything that can change a lobby. `actor` is always the server-known player, never a payload field. */
export type LobbyCommand =
  /**
   * `game`: the game the joining client plays (DEFAULT_GAME when left out); a lobby of another game
   * refuses with WRONG_GAME.
   */
  | { type: 'join'; member: NewMember; via: 'code' | 'invite' | 'quick'; game?: string; now: number }
  /**
   * With `connectionId`: a lost connection with no seat grace leaves, but only if it still holds the
   * seat (a resume on a new connection may have taken it since).
   */
  | { type: 'leave'; playerId: string; connectionId?: string }
  /** The connection was lost: hold the seat. Ignored if another connection took the seat since. */
  | { type: 'drop'; playerId: string; connectionId: string; now: number }
  /** A reconnect with the resume token of a held (or still present) seat; the token rotates. */
  | { type: 'resume'; playerId: string; resumeHash: string; nextResumeHash: string; connectionId: string }
  /** The grace window of the drop at `since` ended: free the seat unless it was resumed. */
  | { type: 'expire'; playerId: string; since: number }
  | { type: 'ready'; playerId: string; ready: boolean }
  /** `nextInviteToken` replaces the invite token when `ban`: the banned player's link stops working. */
  | { type: 'kick'; actor: string; target: string; ban: boolean; nextInviteToken: string }
  /** The host replaces the invite link; the old one answers like a wrong one from now on. */
  | { type: 'rotate-invite'; actor: string; inviteToken: string }
  | { type: 'lock'; actor: string; locked: boolean }
  | { type: 'transfer'; actor: string; target: string }
  | { type: 'settings'; actor: string; settings: UpdateSettingsInput }
  /** Host only: replaces the lobby's metadata. */
  | { type: 'set-meta'; actor: string; meta: Meta }
  /** A member replaces their own metadata (never anyone else's: the id is the server-known one). */
  | { type: 'set-player-meta'; playerId: string; meta: Meta }
  | { type: 'start'; actor: string }
  | { type: 'end'; actor: string }
  /** The host ends the lobby for everyone (a sealed Godot lobby, once its grace is over). */
  | { type: 'close'; actor: string };
