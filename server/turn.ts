import { createHmac } from 'node:crypto';
import type { IceGrant, IceServer } from '../lib/protocol';
import { builtInStunUrls, pageStunHost, type StunPorts } from './stun/urls';

/**
 * TURN REST credentials (coturn `use-auth-secret`, draft-uberti-behave-turn-rest):
 * `username = <expiry unix seconds>:<playerId>`, `credential = base64(HMAC-SHA1(secret, username))`.
 * coturn recomputes the HMAC with the same shared secret and refuses a username whose expiry is past,
 * so nothing is stored per player and the secret itself never leaves the server.
 */
export function turnCredential(
  secret: string,
  playerId: string,
  expiresAtS: number,
): { username: string; credential: string } {
  const username = `${expiresAtS}:${playerId}`;
  return { username, credential: createHmac('sha1', secret).update(username).digest('base64') };
}

export interface IceConfig {
  /** Other STUN servers (STUN_URLS), after the built-in one. */
  stunUrls: string[];
  turn: { urls: string[]; secret: string; ttlS: number } | null;
  /** What the built-in responder serves right now (null: off, or it could not bind). */
  builtInStun?: () => StunPorts | null;
  /** PUBLIC_URL: its host names the built-in STUN server; else the page's own host. */
  publicUrl?: string | null;
}

/**
 * The ICE servers one lobby member gets in its join/create/resume ack and on `ice:refresh`: STUN for
 * everyone (the built-in responder at the page's host, then STUN_URLS), plus TURN with a credential bound
 * to that member's id that expires `ttlS` from now. Called only for members, so only members ever hold a
 * credential (S11). `hostHeader` is the member's socket handshake Host header.
 */
export function iceServersFor(
  config: IceConfig,
  now: () => number = Date.now,
): (playerId: string, hostHeader?: string) => IceGrant {
  return (playerId, hostHeader) => {
    // Only the main port: the alternate one serves the connection check, ICE would just ask twice.
    const ports = config.builtInStun?.() ?? null;
    const own = builtInStunUrls(
      ports && { port: ports.port, altPort: null },
      pageStunHost(config.publicUrl ?? null, hostHeader),
    );
    const stunUrls = [...own, ...config.stunUrls];
    const iceServers: IceServer[] = stunUrls.length ? [{ urls: stunUrls }] : [];
    if (!config.turn) return { iceServers, iceServersExpireAt: null, iceServersTtlMs: null };
    const issuedAt = now();
    const expiresAtS = Math.floor(issuedAt / 1000) + config.turn.ttlS;
    iceServers.push({ urls: config.turn.urls, ...turnCredential(config.turn.secret, playerId, expiresAtS) });
    return {
      iceServers,
      iceServersExpireAt: expiresAtS * 1000,
      iceServersTtlMs: expiresAtS * 1000 - issuedAt,
    };
  };
}
