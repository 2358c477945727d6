import { describe, expect, it } from 'vitest';
import { loadConfig as load } from '../../server/config';
import { addressesFor } from '../../server/stun/responder';
import { builtInStunUrls, hostOfHostHeader, pageStunHost, stunHost } from '../../server/stun/urls';
import { iceServersFor } from '../../server/turn';
import { networkInterfaces } from 'node:os';

const loadConfig = (env: Record<string, string>) => load({ NODE_ENV: 'test', ...env });

describe('stun: URL host validation', () => {
  it.each([
    'play.example.com',
    'localhost',
    'a-b.c0',
    '192.0.2.1',
    '[::1]',
    '[2001:db8::7]',
    'xn--bcher-kva.example',
  ])('accepts %s', (h) => {
    expect(stunHost(h)).toBe(h);
  });

  it('lowercases and drops a trailing root dot', () => {
    expect(stunHost('Play.Example.COM.')).toBe('play.example.com');
  });

  it.each([
    '',
    'bad_host',
    'evil.example/?x',
    'a b',
    '-lead.example',
    'trail-.example',
    'x'.repeat(64) + '.example',
    '999.1.1.1',
    '1.2.3',
    '::1',
    '[::1',
    '[fe80::1%eth0]',
    '[not-v6]',
    'host:3478',
    'user@host',
    'a..b',
    `${'a.'.repeat(127)}a`,
  ])('refuses %j', (h) => {
    expect(stunHost(h)).toBeNull();
  });

  it('takes the host out of a Host header', () => {
    expect(hostOfHostHeader('play.example.com:3000')).toBe('play.example.com');
    expect(hostOfHostHeader('play.example.com')).toBe('play.example.com');
    expect(hostOfHostHeader('[::1]:3000')).toBe('[::1]');
    expect(hostOfHostHeader('[::1]')).toBe('[::1]');
  });

  it('PUBLIC_URL wins over the Host header; an unusable host gives null', () => {
    expect(pageStunHost('https://lobby.example.test', 'other.example:3000')).toBe('lobby.example.test');
    expect(pageStunHost('http://[2001:db8::1]:8080', undefined)).toBe('[2001:db8::1]');
    expect(pageStunHost(null, '127.0.0.1:41234')).toBe('127.0.0.1');
    expect(pageStunHost(null, 'bad_host:1')).toBeNull();
    expect(pageStunHost(null, undefined)).toBeNull();
  });

  it('builds [main, alternate], main only without alternate, nothing when off or without a host', () => {
    expect(builtInStunUrls({ port: 3478, altPort: 3479 }, 'h.example')).toEqual([
      'stun:h.example:3478',
      'stun:h.example:3479',
    ]);
    expect(builtInStunUrls({ port: 3478, altPort: null }, '[::1]')).toEqual(['stun:[::1]:3478']);
    expect(builtInStunUrls(null, 'h.example')).toEqual([]);
    expect(builtInStunUrls({ port: 3478, altPort: 3479 }, null)).toEqual([]);
  });

  it('every accepted host makes a URL the WHATWG parser reads back with the same host', () => {
    for (const h of ['play.example.com', '192.0.2.1', '[2001:db8::7]']) {
      const [url] = builtInStunUrls({ port: 3478, altPort: null }, stunHost(h));
      // stun: is not a special scheme; read it as an authority the way browsers split ICE URLs.
      expect(new URL(url!.replace(/^stun:/, 'stun://')).host).toBe(`${h}:3478`);
    }
  });
});

describe('stun: ICE servers in the join ack', () => {
  it('the built-in server comes first (main port only), then STUN_URLS, then TURN', () => {
    const ice = iceServersFor({
      stunUrls: ['stun:stun.example:3478'],
      turn: { urls: ['turn:t.example:3478'], secret: 's'.repeat(32), ttlS: 600 },
      builtInStun: () => ({ port: 3478, altPort: 3479 }),
      publicUrl: null,
    });
    const [stun, turn] = ice('p', 'play.example.com:3000').iceServers;
    expect(stun).toEqual({ urls: ['stun:play.example.com:3478', 'stun:stun.example:3478'] });
    expect(turn?.urls).toEqual(['turn:t.example:3478']);
  });

  it('an invalid Host header or a responder that is not running leaves the built-in entry out', () => {
    const running = iceServersFor({
      stunUrls: [],
      turn: null,
      builtInStun: () => ({ port: 3478, altPort: null }),
    });
    expect(running('p', 'bad_host').iceServers).toEqual([]);
    expect(running('p', '127.0.0.1:3000').iceServers).toEqual([{ urls: ['stun:127.0.0.1:3478'] }]);
    const stopped = iceServersFor({ stunUrls: [], turn: null, builtInStun: () => null });
    expect(stopped('p', '127.0.0.1:3000').iceServers).toEqual([]);
  });
});

describe('stun: config', () => {
  it('on by default on 3478, alternate 3479', () => {
    expect(loadConfig({}).stun).toEqual({ port: 3478, altPort: 3479 });
  });
  it('STUN_PORT=0 turns it off; STUN_ALT_PORT=0 keeps only the main port', () => {
    expect(loadConfig({ STUN_PORT: '0' }).stun).toBeNull();
    expect(loadConfig({ STUN_ALT_PORT: '0' }).stun).toEqual({ port: 3478, altPort: null });
    expect(loadConfig({ STUN_PORT: '5000', STUN_ALT_PORT: '6000' }).stun).toEqual({
      port: 5000,
      altPort: 6000,
    });
  });
  it('refuses an alternate equal to the main port, past 65535, or ports out of range', () => {
    expect(() => loadConfig({ STUN_PORT: '5000', STUN_ALT_PORT: '5000' })).toThrow(/STUN_ALT_PORT/);
    expect(() => loadConfig({ STUN_PORT: '65535' })).toThrow(/STUN_ALT_PORT/);
    expect(loadConfig({ STUN_PORT: '65535', STUN_ALT_PORT: '0' }).stun).toEqual({
      port: 65535,
      altPort: null,
    });
    expect(() => loadConfig({ STUN_PORT: '70000' })).toThrow(/STUN_PORT/);
    expect(() => loadConfig({ STUN_PORT: 'abc' })).toThrow(/STUN_PORT/);
  });
});

describe('stun: which addresses a HOST binds', () => {
  const local = Object.values(networkInterfaces())
    .flat()
    .filter((a) => a !== undefined);
  it('0.0.0.0: every local IPv4 address, one socket each', async () => {
    expect((await addressesFor('0.0.0.0')).sort()).toEqual(
      [...new Set(local.filter((a) => a.family === 'IPv4').map((a) => a.address))].sort(),
    );
  });
  it(':: adds the IPv6 addresses, link-local ones excepted', async () => {
    const got = await addressesFor('::');
    expect(got).toContain('127.0.0.1');
    expect(got.some((a) => a.toLowerCase().startsWith('fe80:'))).toBe(false);
    for (const a of local.filter((x) => x.family === 'IPv6' && !x.address.startsWith('fe80:')))
      expect(got).toContain(a.address);
  });
  it('an address as is; a name resolved', async () => {
    expect(await addressesFor('127.0.0.1')).toEqual(['127.0.0.1']);
    expect(await addressesFor('localhost')).toContain('127.0.0.1');
  });
});
