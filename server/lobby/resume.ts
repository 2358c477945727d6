import { createHash } from 'node:crypto';
import { randomBase64url } from './randomIds';
import { RESUME_TOKEN_BYTES } from '../../lib/protocol';

export const newResumeToken = () => randomBase64url(RESUME_TOKEN_BYTES);

/** Only the hash is stored with the lobby, so a store dump holds no usable token. */
export const hashResumeToken = (token: string) => createHash('sha256').update(token).digest('base64url');
