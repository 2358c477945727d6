import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { RTCPeerConnection } from 'node-datachannel/polyfill';
import { LobbyClient } from '../../lib/client/LobbyClient';
import { ErrorCode, type IceGrant, type IceServer, type Joined } from '../../lib/protocol';
import { turnCredential } from '../../server/turn';
import { COTURN_RELAY_IP, startCoturn, type Coturn } from '../helpers/coturn';
import { Clients, createLobby, expectOk, joinByInvite } from '../helpers/lobby';
import { request, startTestServer, type TestServer } from '../helpers/server';

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
  new RTCPeerConnection({
    iceServers: forNodeDatachannel(iceServers),
    iceTransportPolicy: 'relay',
  } as RTCConfiguration);

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

/** Two relay-only peers (one per credential set) open a channel through coturn and carry one message. */
async function talkOverTurn(aServers: IceServer[], bServers: IceServer[]) {
  const a = relayOnly(aServers);
  const b = relayOnly(bServers);
  try {
    const channel = a.createDataChannel('reliable');
    const received = new Promise<string>((resolve) => {
      b.ondatachannel = (e) => (e.channel.onmessage = (m) => resolve(String(m.data)));
    });
    const opened = new Promise<void>((resolve) => (channel.onopen = () => resolve()));
    await negotiate(a, b);
    await within(OPEN_TIMEOUT_MS, 'channel open', opened);
    channel.send('ping');
    return await within(OPEN_TIMEOUT_MS, 'message', received);
  } finally {
    a.close();
    b.close();
  }
}

const turnOf = (servers: IceServer[]) => servers.find((s) => s.username)!;
const expiryOf = (servers: IceServer[]) => Number(turnOf(servers).username!.split(':')[0]);

function within<T>(ms: number, what: string, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    work,
    new Promise<never>(
      (_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms)),
    ),
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
  await expect(startCoturn({ binary: 'turnserver-not-installed' })).rejects.toThrow(
    /apt-get install -y coturn/,
  );
});

describe('TURN through coturn (S11)', () => {
  let server: TestServer;
  const clients = new Clients(() => server.url);
  beforeAll(async () => {
    server = await startTestServer({
      env: { TURN_URLS: coturn.url, TURN_SECRET: coturn.secret, TURN_TTL_S: '600' },
    });
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
        const stats = [...(await pc.getStats()).values()] as {
          type: string;
          candidateType?: string;
          ip?: string;
        }[];
        const local = stats.find((s) => s.type === 'local-candidate');
        const remote = stats.find((s) => s.type === 'remote-candidate');
        expect(local).toMatchObject({ candidateType: 'relay', ip: COTURN_RELAY_IP });
        expect(remote?.ip).toBe(COTURN_RELAY_IP);
      }
      expect(signalled.length).toBeGreaterThan(0);
      for (const c of signalled)
        expect(c).toMatch(new RegExp(` ${COTURN_RELAY_IP.replace(/\./g, '\\.')} \\d+ typ relay`));
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

describe('TURN credential refresh (ice:refresh)', () => {
  let server: TestServer;
  const clients = new Clients(() => server.url);
  const TTL_S = 600;
  beforeAll(async () => {
    server = await startTestServer({
      env: { TURN_URLS: coturn.url, TURN_SECRET: coturn.secret, TURN_TTL_S: String(TTL_S) },
    });
  });
  afterAll(async () => {
    clients.closeAll();
    await server.close();
  });

  it('the ack says when its TURN credential expires and how long it has left', async () => {
    const host = await clients.connect();
    const before = Date.now();
    const created = await createLobby(host);
    const after = Date.now();
    expect(created.iceServersExpireAt).toBe(expiryOf(created.iceServers) * 1000);
    // The lifetime left, counted from the moment of issue (between our send and its answer).
    expect(created.iceServersTtlMs).toBeLessThanOrEqual(created.iceServersExpireAt! - before);
    expect(created.iceServersTtlMs).toBeGreaterThanOrEqual(created.iceServersExpireAt! - after);
    expect(created.iceServersTtlMs).toBeGreaterThan((TTL_S - 1) * 1000);
    expect(created.iceServersTtlMs).toBeLessThanOrEqual(TTL_S * 1000);
  });

  it('a member gets a fresh credential for the same player id with a later expiry, and coturn allocates with it', async () => {
    const host = await clients.connect();
    const guest = await clients.connect();
    const created = await createLobby(host, { visibility: 'private' });
    const joined = expectOk(await joinByInvite(guest, created.lobby.inviteToken));
    // REST usernames carry whole seconds: a refresh in a later second must carry a later expiry.
    const issuedS = Math.floor(Date.now() / 1000);
    await vi.waitUntil(() => Math.floor(Date.now() / 1000) > issuedS, { timeout: 2_000, interval: 10 });

    const refreshed: IceGrant[] = [];
    for (const [socket, ack] of [
      [host, created],
      [guest, joined],
    ] as const) {
      const before = Date.now();
      const grant = expectOk(await request<IceGrant>(socket, 'ice:refresh', {}));
      const after = Date.now();
      const turn = turnOf(grant.iceServers);
      const [expiry, player] = turn.username!.split(':');
      expect(player).toBe(ack.selfId);
      expect(Number(expiry)).toBeGreaterThan(expiryOf(ack.iceServers));
      expect(Number(expiry)).toBeGreaterThanOrEqual(Math.floor(before / 1000) + TTL_S);
      expect(Number(expiry)).toBeLessThanOrEqual(Math.floor(after / 1000) + TTL_S);
      expect(grant.iceServersExpireAt).toBe(Number(expiry) * 1000);
      expect(grant.iceServersExpireAt!).toBeGreaterThan(ack.iceServersExpireAt!);
      // coturn's formula: base64(HMAC-SHA1(static-auth-secret, username)).
      expect(turn.credential).toBe(turnCredential(coturn.secret, ack.selfId, Number(expiry)).credential);
      expect(JSON.stringify(grant)).not.toContain(coturn.secret);
      refreshed.push(grant);
    }

    // And coturn itself accepts them: a relay-only pair made with only the refreshed credentials talks.
    expect(await talkOverTurn(refreshed[0]!.iceServers, refreshed[1]!.iceServers)).toBe('ping');
    for (const grant of refreshed) {
      const user = turnOf(grant.iceServers).username!;
      await coturn.waitForLog(new RegExp(`user <${user}>: incoming packet ALLOCATE processed, success`));
    }
  });

  it('a non-member is refused with NOT_IN_LOBBY and gets no credential, before joining and after leaving', async () => {
    const stranger = await clients.connect();
    const refused = await request<IceGrant>(stranger, 'ice:refresh', {});
    expect(refused).toEqual({ ok: false, error: ErrorCode.NOT_IN_LOBBY });

    const leaver = await clients.connect();
    await createLobby(leaver);
    expectOk(await request(leaver, 'lobby:leave', {}));
    expect(await request<IceGrant>(leaver, 'ice:refresh', {})).toEqual({
      ok: false,
      error: ErrorCode.NOT_IN_LOBBY,
    });
    // A payload is validated like any other command's.
    const member = await clients.connect();
    await createLobby(member);
    expect(await request(member, 'ice:refresh', { playerId: 'AbCdEfGh12345678' })).toEqual({
      ok: false,
      error: ErrorCode.INVALID_PAYLOAD,
    });
  });
});

describe('LobbyClient refreshes its TURN credential by itself (short TTL)', () => {
  const TTL_S = 10;
  let server: TestServer;
  let client: LobbyClient | undefined;
  beforeAll(async () => {
    server = await startTestServer({
      env: { TURN_URLS: coturn.url, TURN_SECRET: coturn.secret, TURN_TTL_S: String(TTL_S) },
    });
  });
  afterAll(async () => {
    client?.close();
    await server.close();
  });

  it('emits fresh servers at about 3/4 of the lifetime; the getter returns them', async () => {
    client = new LobbyClient({ url: server.url });
    // The Mesh makes links on the lobby event that names us: the servers must be there by then.
    const atLobbyEvent: IceServer[][] = [];
    client.on('lobby', (_, selfId) => selfId && atLobbyEvent.push(client!.iceServers));
    const first = expectOk(await client.create({ nickname: 'Ria', name: 'Refresh', visibility: 'private' }));
    expect(atLobbyEvent).toEqual([first.iceServers]);
    const joinedAt = Date.now();
    const next = new Promise<IceServer[]>((resolve) => client!.on('iceServers', resolve));
    const servers = await within(TTL_S * 1000, 'refresh', next);
    const waited = Date.now() - joinedAt;
    // Due at 0.75 × the lifetime left at issue (a little under 7.5 s), well before the expiry.
    expect(waited).toBeGreaterThan(0.75 * first.iceServersTtlMs! - 200);
    expect(waited).toBeLessThan(first.iceServersTtlMs!);
    expect(client.iceServers).toEqual(servers);
    expect(turnOf(servers).username).toMatch(new RegExp(`:${first.selfId}$`));
    expect(expiryOf(servers)).toBeGreaterThan(expiryOf(first.iceServers));
    expect(client.iceServersExpireAt).toBe(expiryOf(servers) * 1000);
  });
});
