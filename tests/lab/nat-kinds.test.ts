import { execFileSync } from 'node:child_process';
import { io } from 'socket.io-client';
import { PROTOCOL_VERSION } from '../../lib/protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AppProcess } from '../helpers/appProcess';
import { startLabApp } from './labApp';
import { INTERNET_IP, Lab, type Home, type NatKind } from './network';

/**
 * The lab's NATs behave as their names say, seen by STUN clients from inside a home: coturn's
 * `turnutils_stunclient` (a client nobody here wrote) sees the router's public address, and one UDP
 * socket asking the built-in responder on its two ports (tests/lab/stunProbe.mjs) sees the same public
 * port both times behind a cone NAT and a different one behind a symmetric NAT; with UDP blocked nothing
 * answers.
 */
let lab: Lab;
let app: AppProcess & { publicUrl: string };
let ports: [number, number];

beforeAll(async () => {
  lab = new Lab();
  app = await startLabApp();
  ports = await stunPorts(app.publicUrl);
});
afterEach(() => lab.clear());
afterAll(async () => {
  await app?.stop();
});

/** The responder's two ports, as `connection:check` hands them out. */
async function stunPorts(url: string): Promise<[number, number]> {
  const socket = io(url, {
    transports: ['websocket'],
    auth: { protocolVersion: PROTOCOL_VERSION },
    forceNew: true,
    reconnection: false,
  });
  try {
    const res = (await socket.timeout(5000).emitWithAck('connection:check', {})) as {
      ok: boolean;
      data: { stunUrls: string[] };
    };
    const [main, alt] = res.data.stunUrls.map((u) => Number(u.split(':').pop()));
    return [main!, alt!];
  } finally {
    socket.close();
  }
}

const inHome = (home: Home, ...args: string[]) =>
  execFileSync('ip', ['netns', 'exec', home.devices()[0]!, ...args], { encoding: 'utf8', timeout: 15_000 });

function probe(home: Home): Record<string, { address: string; port: number } | null> {
  return JSON.parse(
    inHome(
      home,
      process.execPath,
      'tests/lab/stunProbe.mjs',
      INTERNET_IP,
      String(ports[0]),
      String(ports[1]),
    ),
  );
}

function stunclient(home: Home): string {
  try {
    return inHome(home, 'turnutils_stunclient', '-p', String(ports[0]), INTERNET_IP);
  } catch (err) {
    return String((err as { stdout?: string }).stdout ?? '');
  }
}

const kinds: NatKind[] = ['cone', 'symmetric', 'udp-blocked'];

describe('NAT lab: each NAT kind behaves as named', () => {
  for (const kind of kinds) {
    it(kind, () => {
      const home = lab.addHome('k', kind);
      const seen = probe(home);
      const [a, b] = [seen[String(ports[0])], seen[String(ports[1])]];
      if (kind === 'udp-blocked') {
        expect(a).toBeNull();
        expect(b).toBeNull();
        return;
      }
      expect(stunclient(home)).toMatch(
        new RegExp(`UDP reflexive addr: ${home.wanIp.replace(/\./g, '\\.')}:\\d+`),
      );
      expect(a?.address).toBe(home.wanIp);
      expect(b?.address).toBe(home.wanIp);
      if (kind === 'cone') expect(a!.port).toBe(b!.port);
      else expect(a!.port).not.toBe(b!.port);
    });
  }
});
