import { randomInt } from 'node:crypto';
import { randomBase64url } from './randomIds';
import { INVITE_TOKEN_BYTES, LOBBY_CODE_ALPHABET, LOBBY_CODE_LENGTH } from '../../lib/protocol';

/** All identifiers come from the CSPRNG; randomInt is uniform (no modulo bias). */
export function newLobbyCode(): string {
  let code = '';
  for (let i = 0; i < LOBBY_CODE_LENGTH; i++)
    code += LOBBY_CODE_ALPHABET[randomInt(LOBBY_CODE_ALPHABET.length)];
  return code;
}

export const newInviteToken = () => randomBase64url(INVITE_TOKEN_BYTES);
/** 96-bit ids: not secrets (every member sees them), but never guessable either. */
export const newPlayerId = () => randomBase64url(12);
export const newLobbyId = () => randomBase64url(12);
