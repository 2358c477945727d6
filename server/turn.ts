import { createHmac } from 'node:crypto';
import type { IceServer } from '../lib/protocol';

/**
 * TURN REST credentials (coturn `use-auth-secret`, draft-uberti-behave-turn-rest):
 * `username = <expiry unix seconds>:<playerId>`, `credential = base64(HMAC-SHA1(secret, username))`.
 * coturn recomputes the HMAC with the same shared secret and refuses a username whose expiry is past,
 * so nothing is stored per player and the secret itself never leaves the server.
 */
export function turnCredential(secret: string, playerId: string, expiresAtS: number): { username: string; credential: string } {
  const username = `${expiresAtS}:${playerId}`;
  return { username, credential: createHmac('sha1', secret).update(username).digest('base64') };
}

export interface IceConfig {
  stunUrls: string[];
  turn: { urls: string[]; secret: string; ttlS: number } | null;
}

/**
 * The ICE servers one lobby member gets in its join/create ack: STUN for everyone, plus TURN with a
 * credential bound to that member's id that expires `ttlS` from now. Called only after a successful
 * join or create, so only members ever hold a credential (S11).
 */
export function iceServersFor(config: IceConfig, now: () => number = Date.now): (playerId: string) => IceServer[] {
  return (playerId) => {
    const servers: IceServer[] = config.stunUrls.length ? [{ urls: config.stunUrls }] : [];
    if (config.turn) {
      const expiresAtS = Math.floor(now() / 1000) + config.turn.ttlS;
      servers.push({ urls: config.turn.urls, ...turnCredential(config.turn.secret, playerId, expiresAtS) });
    }
    return servers;
  };
}
