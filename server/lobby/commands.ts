import type { UpdateSettingsInput } from '../../lib/protocol';
import type { NewMember } from './types';

/** Everything that can change a lobby. `actor` is always the server-known player, never a payload field. */
export type LobbyCommand =
  | { type: 'join'; member: NewMember; via: 'code' | 'invite'; now: number }
  | { type: 'leave'; playerId: string }
  | { type: 'ready'; playerId: string; ready: boolean }
  | { type: 'kick'; actor: string; target: string; ban: boolean }
  | { type: 'lock'; actor: string; locked: boolean }
  | { type: 'transfer'; actor: string; target: string }
  | { type: 'settings'; actor: string; settings: UpdateSettingsInput }
  | { type: 'start'; actor: string }
  | { type: 'end'; actor: string };
