import { describe, expect, it } from 'vitest';
import { loadConfig as load } from '../../server/config';

const loadConfig = (env: Record<string, string>) => load({ NODE_ENV: 'test', ...env });
import { iceServersFor, turnCredential } from '../../server/turn';

describe('TURN REST credentials (S11)', () => {
  it('matches an independently computed vector', () => {
    // echo -n "1700000000:AbCdEfGh12345678" | openssl dgst -sha1 -hmac "north-wind-turn-secret" -binary | base64
    expect(turnCredential('north-wind-turn-secret', 'AbCdEfGh12345678', 1_700_000_000)).toEqual({
      username: '1700000000:AbCdEfGh12345678',
      credential: 'LZ/JhWufKS39XgzbuFrCJ+Xio4g=',
    });
  });

  it('binds each credential to its player and expires it TTL seconds from now; says when, and how long is left', () => {
    const now = () => 1_700_000_000_500;
    const ice = iceServersFor(
      {
        stunUrls: ['stun:stun.example:3478'],
        turn: { urls: ['turn:turn.example:3478'], secret: 's'.repeat(32), ttlS: 600 },
      },
      now,
    );
    const grant = ice('player-a');
    const [stun, turn] = grant.iceServers;
    expect(stun).toEqual({ urls: ['stun:stun.example:3478'] });
    expect(turn?.username).toBe('1700000600:player-a');
    // The expiry coturn enforces (whole seconds), and the lifetime left from the moment of issue.
    expect(grant.iceServersExpireAt).toBe(1_700_000_600_000);
    expect(grant.iceServersTtlMs).toBe(599_500);
    expect(ice('player-b').iceServers[1]?.credential).not.toBe(turn?.credential);
    // The secret itself is never in what a client receives.
    expect(JSON.stringify(ice('player-a'))).not.toContain('s'.repeat(32));
  });

  it('without TURN configured, gives STUN only (or nothing), and no expiry', () => {
    expect(iceServersFor({ stunUrls: [], turn: null })('p')).toEqual({
      iceServers: [],
      iceServersExpireAt: null,
      iceServersTtlMs: null,
    });
    expect(iceServersFor({ stunUrls: ['stun:s.example'], turn: null })('p').iceServersExpireAt).toBeNull();
  });

  it('config: TURN_URLS and TURN_SECRET go together; URLs must be turn:/turns:; TTL has a default', () => {
    expect(() => loadConfig({ TURN_URLS: 'turn:t.example:3478' })).toThrow(/TURN_SECRET/);
    expect(() => loadConfig({ TURN_SECRET: 'x'.repeat(32) })).toThrow(/TURN_SECRET/);
    expect(() => loadConfig({ TURN_URLS: 'http://t.example', TURN_SECRET: 'x'.repeat(32) })).toThrow(
      /TURN_URLS/,
    );
    expect(() => loadConfig({ TURN_URLS: 'turn:t.example', TURN_SECRET: 'short' })).toThrow(/TURN_SECRET/);
    const c = loadConfig({
      TURN_URLS: 'turn:t.example:3478, turns:t.example:5349',
      TURN_SECRET: 'x'.repeat(32),
    });
    expect(c.turn).toEqual({
      urls: ['turn:t.example:3478', 'turns:t.example:5349'],
      secret: 'x'.repeat(32),
      ttlS: 3600,
    });
    expect(loadConfig({}).turn).toBeNull();
    // Short lifetimes are allowed (clients refresh at 3/4 of it), but not below the floor.
    expect(
      loadConfig({ TURN_URLS: 'turn:t.example', TURN_SECRET: 'x'.repeat(32), TURN_TTL_S: '10' }).turn?.ttlS,
    ).toBe(10);
    expect(() =>
      loadConfig({ TURN_URLS: 'turn:t.example', TURN_SECRET: 'x'.repeat(32), TURN_TTL_S: '9' }),
    ).toThrow(/TURN_TTL_S/);
  });
});
