import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RTCPeerConnection } from 'node-datachannel/polyfill';
import type { IceServer, Joined } from '../../lib/protocol';
import { turnCredential } from '../../server/turn';
import { COTURN_RELAY_IP, startCoturn, type Coturn } from '../helpers/coturn';
import { Clients, createLobby, expectOk, joinByInvite } from '../helpers/lobby';
import { startTestServer, type TestServer } from '../helpers/server';

/**
 * S11 end to end: the credentials a member gets in its ack open a data channel through a real coturn
 * with relay-only ICE; an expired credential allocates nothing.
 */
const OPEN_TIMEOUT_MS = 10_000;
const GATHER_TIMEOUT_MS = 10_000;

let coturn: Coturn;
beforeAll(async () => {
  coturn = await startCoturn();
});
afterAll(() => coturn.stop());

/**
 * node-datachannel's polyfill folds credentials into a `turn:user:pass@host` URL without escaping, so a
 * REST username (`<expiry>:<id>`) would be cut at its colon; libdatachannel URL-decodes both fields, so
 * escaping them here passes them intact. Browsers take RTCIceServer fields as they are.
 */
const forNodeDatachannel = (servers: IceServer[]): IceServer[] =>
  servers.map((s) =>
    s.username && s.credential
      ? { ...s, username: encodeURIComponent(s.username), credential: encodeURIComponent(s.credential) }
      : s,
  );

const relayOnly = (iceServers: IceServer[]) =>
  new RTCPeerConnection({ iceServers: forNodeDatachannel(iceServers), iceTransportPolicy: 'relay' } as RTCConfiguration);

type Peer = InstanceType<typeof RTCPeerConnection>;

/** Trickles candidates between two in-process peers, queuing them until the remote description is set. */
function wire(from: Peer, to: Peer, remoteSet: Promise<unknown>) {
  from.onicecandidate = (e) => {
    if (e.candidate) void remoteSet.then(() => to.addIceCandidate(e.candidate!)).catch(() => undefined);
  };
}

async function negotiate(a: Peer, b: Peer) {
  let bReady!: () => void;
  let aReady!: () => void;
  const bRemote = new Promise<void>((r) => (bReady = r));
  const aRemote = new Promise<void>((r) => (aReady = r));
  wire(a, b, bRemote);
  wire(b, a, aRemote);
  await a.setLocalDescription(await a.createOffer());
  await b.setRemoteDescription(a.localDescription!);
  bReady();
  await b.setLocalDescription(await b.createAnswer());
  await a.setRemoteDescription(b.localDescription!);
  aReady();
}

function within<T>(ms: number, what: string, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    work,
    new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms))),
  ]).finally(() => clearTimeout(timer));
}

/** Every local candidate either peer hands out from now on. */
function collectCandidates(...peers: Peer[]): string[] {
  const seen: string[] = [];
  for (const pc of peers) {
    pc.addEventListener('icecandidate', (e) => {
      const { candidate } = e as RTCPeerConnectionIceEvent;
      if (candidate) seen.push(candidate.candidate);
    });
  }
  return seen;
}

const gathered = (pc: Peer) =>
  new Promise<void>((resolve) => {
    if (pc.iceGatheringState === 'complete') return resolve();
    pc.addEventListener('icegatheringstatechange', () => pc.iceGatheringState === 'complete' && resolve());
  });

it('the coturn helper names the package to install when the binary is missing', async () => {
  await expect(startCoturn({ binary: 'turnserver-not-installed' })).rejects.toThrow(/apt-get install -y coturn/);
});

describe('TURN through coturn (S11)', () => {
  let server: TestServer;
  const clients = new Clients(() => server.url);
  beforeAll(async () => {
    server = await startTestServer({ env: { TURN_URLS: coturn.url, TURN_SECRET: coturn.secret, TURN_TTL_S: '600' } });
  });
  afterAll(async () => {
    clients.closeAll();
    await server.close();
  });

  it('S11: members get per-player credentials in their acks, and two peers exchange a message over a relay pair', async () => {
    const host = await clients.connect();
    const guest = await clients.connect();
    const created: Joined = await createLobby(host, { visibility: 'private' });
    const joined = expectOk(await joinByInvite(guest, created.lobby.inviteToken));

    for (const ack of [created, joined]) {
      const turn = ack.iceServers.find((s) => s.username);
      expect(turn?.urls).toEqual([coturn.url]);
      const [expiry, player] = turn!.username!.split(':');
      expect(player).toBe(ack.selfId);
      expect(Number(expiry) - Date.now() / 1000).toBeGreaterThan(500);
      expect(turn!.credential).toBe(turnCredential(coturn.secret, ack.selfId, Number(expiry)).credential);
      expect(JSON.stringify(ack)).not.toContain(coturn.secret);
    }

    const a = relayOnly(created.iceServers);
    const b = relayOnly(joined.iceServers);
    try {
      const channel = a.createDataChannel('reliable');
      const received = new Promise<string>((resolve) => {
        b.ondatachannel = (e) => (e.channel.onmessage = (m) => resolve(String(m.data)));
      });
      const opened = new Promise<void>((resolve) => (channel.onopen = () => resolve()));
      const signalled = collectCandidates(a, b);
      await negotiate(a, b);
      await within(OPEN_TIMEOUT_MS, 'channel open', opened);
      channel.send('hello over TURN');
      expect(await within(OPEN_TIMEOUT_MS, 'message', received)).toBe('hello over TURN');

      // Each side's selected pair runs from its own coturn allocation to the other's: coturn relays on
      // 127.0.0.2, the peers' own sockets are on 127.0.0.1 (see tests/helpers/coturn.ts). The remote end
      // is checked by address: libjuice may learn it from a check before its candidate is trickled.
      for (const pc of [a, b]) {
        const stats = [...(await pc.getStats()).values()] as { type: string; candidateType?: string; ip?: string }[];
        const local = stats.find((s) => s.type === 'local-candidate');
        const remote = stats.find((s) => s.type === 'remote-candidate');
        expect(local).toMatchObject({ candidateType: 'relay', ip: COTURN_RELAY_IP });
        expect(remote?.ip).toBe(COTURN_RELAY_IP);
      }
      expect(signalled.length).toBeGreaterThan(0);
      for (const c of signalled) expect(c).toMatch(new RegExp(` ${COTURN_RELAY_IP.replace(/\./g, '\\.')} \\d+ typ relay`));
      // The allocations were made with the members' own usernames.
      for (const ack of [created, joined]) {
        const user = ack.iceServers.find((s) => s.username)!.username!;
        await coturn.waitForLog(new RegExp(`user <${user}>: incoming packet ALLOCATE processed, success`));
      }
    } finally {
      a.close();
      b.close();
    }
  });

  it('S11: an expired credential allocates nothing: no relay candidate, so no channel can open', async () => {
    const expired = (player: string): IceServer[] => [
      { urls: coturn.url, ...turnCredential(coturn.secret, player, Math.floor(Date.now() / 1000) - 60) },
    ];
    const a = relayOnly(expired('expired-a'));
    const b = relayOnly(expired('expired-b'));
    try {
      const candidates = collectCandidates(a, b);
      let opened = false;
      const channel = a.createDataChannel('reliable');
      channel.onopen = () => (opened = true);
      await negotiate(a, b);
      await within(GATHER_TIMEOUT_MS, 'ICE gathering', Promise.all([gathered(a), gathered(b)]));
      // Relay-only with a refused allocation: neither side has a single candidate to pair.
      expect(candidates).toEqual([]);
      expect(opened).toBe(false);
      expect(a.connectionState).not.toBe('connected');
      await coturn.waitForLog(/user <\d+:expired-a>: incoming packet message processed, error 401/);
      expect(coturn.log()).not.toMatch(/user <\d+:expired-a>: incoming packet ALLOCATE processed, success/);
    } finally {
      a.close();
      b.close();
    }
  });
});
