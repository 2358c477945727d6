import { createHash, randomBytes } from 'node:crypto';
import { RESUME_TOKEN_BYTES } from '../../lib/protocol';

export const newResumeToken = () => randomBytes(RESUME_TOKEN_BYTES).toString('base64url');

/** Only the hash is stored with the lobby, so a store dump holds no usable token. */
export const hashResumeToken = (token: string) => createHash('sha256').update(token).digest('base64url');
