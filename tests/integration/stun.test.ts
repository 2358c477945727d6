import { createSocket, type Socket } from 'node:dgram';
import { once } from 'node:events';
import { networkInterfaces } from 'node:os';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LobbyClient } from '../../lib/client/LobbyClient';
import { ErrorCode, type ConnectionCheckServers, type Joined } from '../../lib/protocol';
import { createLogger } from '../../server/logger';
import { Clients, connectNow, createLobby, expectOk } from '../helpers/lobby';
import { memoryStorage } from '../helpers/memoryStorage';
import { request, startTestServer, type TestServer } from '../helpers/server';
import { bindingRequest, coturnStunClient, freeUdpPorts, StunClient } from '../helpers/stun';

/**
 * The built-in STUN responder on a real app (createApp on a free port) answering real UDP: coturn's
 * own client, a raw dgram client, and the socket commands that hand its URL out.
 */
const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

interface StunServerOptions {
  env?: Record<string, string>;
  host?: string;
  logLines?: string[];
  stunRequestPoints?: number;
}

/** A test server with the responder on two free UDP ports (STUN is off in the other test files). */
async function startStunServer(opts: StunServerOptions = {}) {
  const [port, altPort] = await freeUdpPorts(2);
  const logger = opts.logLines
    ? createLogger('info', { write: (l: string) => void opts.logLines!.push(l) })
    : undefined;
  const server = await startTestServer({
    env: { STUN_PORT: String(port), STUN_ALT_PORT: String(altPort), ...opts.env },
    host: opts.host,
    logger,
    limits: opts.stunRequestPoints ? { stunRequestPoints: opts.stunRequestPoints } : {},
  });
  return { server, port: port!, altPort: altPort! };
}

/** The same, closed after the current test. */
async function stunServer(opts: StunServerOptions = {}) {
  const started = await startStunServer(opts);
  cleanups.push(() => started.server.close());
  return started;
}

async function client(address = '127.0.0.1') {
  const c = await StunClient.open(address);
  cleanups.push(() => c.close());
  return c;
}

const stunCount = (server: TestServer, result: string) => server.app.metrics.stunRequests.get({ result });

async function metricsText(server: TestServer) {
  return (await fetch(`${server.url}/metrics`)).text();
}

async function occupy(port: number, address = '127.0.0.1'): Promise<Socket> {
  const s = createSocket('udp4');
  s.bind(port, address);
  await once(s, 'listening');
  cleanups.push(() => new Promise<void>((r) => s.close(() => r())));
  return s;
}

describe('built-in STUN responder', () => {
  let stun: Awaited<ReturnType<typeof stunServer>>;
  beforeAll(async () => {
    stun = await startStunServer({ stunRequestPoints: 1000 });
  });
  afterAll(() => stun.server.close());

  it("coturn's turnutils_stunclient reads its mapped address from both ports", async () => {
    const before = stunCount(stun.server, 'answered');
    for (const port of [stun.port, stun.altPort]) {
      expect((await coturnStunClient(port)).address).toBe('127.0.0.1');
    }
    expect(stunCount(stun.server, 'answered')).toBe(before + 2);
  });

  it('the stunclient helper names the package to install when the binary is missing', async () => {
    await expect(
      coturnStunClient(stun.port, '127.0.0.1', 'turnutils_stunclient-not-installed'),
    ).rejects.toThrow(/apt-get install -y coturn/);
  });

  it('a raw request gets its transaction id back and XOR-MAPPED-ADDRESS = the exact source, from the address it reached', async () => {
    const c = await client();
    for (const fingerprint of [false, true]) {
      const reply = await c.ask(stun.port, { fingerprint });
      expect(reply.type).toBe(0x0101);
      expect(reply.xorMapped).toEqual({ address: '127.0.0.1', port: c.port });
      expect(reply.fingerprint).toBe(fingerprint ? 'valid' : 'absent');
      expect(reply.from).toMatchObject({ address: '127.0.0.1', port: stun.port });
    }
    // Same client socket, other port: same mapping (no NAT here), so a check would call this "not symmetric".
    const alt = await c.ask(stun.altPort);
    expect(alt.xorMapped).toEqual({ address: '127.0.0.1', port: c.port });
    expect(alt.from.port).toBe(stun.altPort);
  });

  it('a classic RFC 3489 request is answered with MAPPED-ADDRESS', async () => {
    const c = await client();
    const reply = await c.ask(stun.port, { classic: true });
    expect(reply).toMatchObject({ type: 0x0101, mapped: { address: '127.0.0.1', port: c.port } });
    expect(reply.xorMapped).toBeUndefined();
  });

  it('an unknown comprehension-required attribute is refused with 420 and counted', async () => {
    const c = await client();
    const before = stunCount(stun.server, 'unknown_attribute');
    const reply = await c.ask(stun.port, { attributes: [[0x0003, Buffer.from([0, 0, 0, 6])]] });
    expect(reply).toMatchObject({ type: 0x0111, errorCode: 420, unknownAttributes: [0x0003] });
    expect(stunCount(stun.server, 'unknown_attribute')).toBe(before + 1);
  });

  it('garbage and truncated packets are dropped silently, counted, and the responder answers after', async () => {
    const c = await client();
    const valid = bindingRequest({ fingerprint: true }).bytes;
    const junk = [
      Buffer.from('GET / HTTP/1.1\r\n\r\n'),
      Buffer.alloc(0),
      Buffer.alloc(1500, 0xff),
      valid.subarray(0, 19),
      valid.subarray(0, valid.length - 4),
      Buffer.concat([valid.subarray(0, 2).map(() => 0x01), valid.subarray(2)]), // type 0x0101: a response
    ];
    const before = stunCount(stun.server, 'malformed');
    for (const j of junk) c.send(j, stun.port);
    // One socket, handled in arrival order: the reply to this proves every packet before it was seen.
    const after = await c.ask(stun.port);
    expect(after.xorMapped).toEqual({ address: '127.0.0.1', port: c.port });
    expect(stunCount(stun.server, 'malformed')).toBe(before + junk.length);
    expect(c.received).toHaveLength(1);
    expect(await metricsText(stun.server)).toMatch(
      new RegExp(`peerlobby_stun_requests_total\\{result="malformed"\\} ${before + junk.length}\\b`),
    );
  });

  it('IPv6: a request over ::1 gets an IPv6 XOR-MAPPED-ADDRESS', async () => {
    const v6 = await stunServer({ host: '::1' });
    expect(v6.server.app.stunBound().map((b) => b.address)).toEqual(['::1', '::1']);
    const c = await client('::1');
    const reply = await c.ask(v6.port, {}, '::1');
    expect(reply.xorMapped).toEqual({ address: '::1', port: c.port });
  });
});

describe('STUN limits and failures', () => {
  it('the per-IP budget: past it requests are dropped and counted; another IP is still answered', async () => {
    const { server, port } = await stunServer({ stunRequestPoints: 5 });
    const flooder = await client('127.0.0.1');
    const other = await client('127.0.0.2');
    for (let i = 0; i < 8; i++) flooder.send(bindingRequest().bytes, port);
    // Sent after the flood to the same socket: once its reply is here, all 8 were decided.
    const fromOther = await other.ask(port);
    expect(fromOther.xorMapped).toEqual({ address: '127.0.0.2', port: other.port });
    expect(stunCount(server, 'rate_limited')).toBe(3);
    expect(stunCount(server, 'answered')).toBe(6);
    expect(flooder.received).toHaveLength(5);
    expect(await metricsText(server)).toContain('peerlobby_stun_requests_total{result="rate_limited"} 3');
  });

  it('a port already taken: a clear warning, no STUN URL handed out, and the server still serves', async () => {
    const [taken] = await freeUdpPorts(1);
    await occupy(taken!);
    const logLines: string[] = [];
    const { server } = await stunServer({ env: { STUN_PORT: String(taken) }, logLines });
    expect(logLines.join('\n')).toMatch(/STUN responder is not running \(could not bind its UDP port\)/);
    expect(logLines.join('\n')).toMatch(/EADDRINUSE/);
    expect(server.app.stunBound()).toEqual([]);
    expect(await metricsText(server)).toMatch(/^peerlobby_stun_sockets 0$/m);
    const clients = new Clients(() => server.url);
    cleanups.push(() => clients.closeAll());
    const socket = await clients.connect();
    expect(expectOk(await request<ConnectionCheckServers>(socket, 'connection:check', {}))).toEqual({
      stunUrls: [],
      turnConfigured: false,
    });
    expect((await createLobby(socket)).iceServers).toEqual([]);
  });

  it('only the alternate port taken: main still served, the check offers the main URL alone', async () => {
    const [alt] = await freeUdpPorts(1);
    await occupy(alt!);
    const logLines: string[] = [];
    const { server, port } = await stunServer({ env: { STUN_ALT_PORT: String(alt) }, logLines });
    expect(logLines.join('\n')).toMatch(/STUN alternate port unavailable/);
    expect(server.app.stunBound()).toEqual([{ address: '127.0.0.1', port }]);
    const socket = await new Clients(() => server.url).connect();
    cleanups.push(() => socket.close());
    expect(expectOk(await request<ConnectionCheckServers>(socket, 'connection:check', {})).stunUrls).toEqual([
      `stun:127.0.0.1:${port}`,
    ]);
  });

  it('STUN_PORT=0: nothing bound, no STUN in the ack or the check', async () => {
    const server = await startTestServer({ env: { STUN_PORT: '0' } });
    cleanups.push(() => server.close());
    expect(server.app.stunBound()).toEqual([]);
    expect(await metricsText(server)).toMatch(/^peerlobby_stun_sockets 0$/m);
    const socket = await new Clients(() => server.url).connect();
    cleanups.push(() => socket.close());
    expect((await createLobby(socket)).iceServers).toEqual([]);
    expect(expectOk(await request<ConnectionCheckServers>(socket, 'connection:check', {}))).toEqual({
      stunUrls: [],
      turnConfigured: false,
    });
  });

  it('closing the app frees the UDP ports', async () => {
    const { server, port, altPort } = await stunServer();
    expect(server.app.stunBound()).toHaveLength(2);
    await server.close();
    await occupy(port);
    await occupy(altPort);
  });

  it('HOST 0.0.0.0: one socket per local IPv4 address, each answering from its own address', async () => {
    const { server, port } = await stunServer({ host: '0.0.0.0' });
    const ipv4 = [
      ...new Set(
        Object.values(networkInterfaces())
          .flat()
          .filter((a) => a?.family === 'IPv4')
          .map((a) => a!.address),
      ),
    ];
    expect(
      server.app
        .stunBound()
        .filter((b) => b.port === port)
        .map((b) => b.address)
        .sort(),
    ).toEqual(ipv4.sort());
    for (const address of ipv4) {
      const c = await client(address);
      const reply = await c.ask(port, {}, address);
      expect(reply.from.address).toBe(address);
      expect(reply.xorMapped).toEqual({ address, port: c.port });
    }
  });
});

describe('STUN URLs handed to clients', () => {
  it("join ack and connection:check carry stun:<page host>:<port> from the socket's Host header", async () => {
    const { server, port, altPort } = await stunServer();
    const clients = new Clients(() => server.url);
    cleanups.push(() => clients.closeAll());
    const plain = await clients.connect();
    const joined: Joined = await createLobby(plain);
    expect(joined.iceServers).toEqual([{ urls: [`stun:127.0.0.1:${port}`] }]);

    const named = clients.open(undefined, { extraHeaders: { Host: `Play.Example.test:8080` } });
    await connectNow(named);
    expect((await createLobby(named)).iceServers).toEqual([{ urls: [`stun:play.example.test:${port}`] }]);
    expect(expectOk(await request<ConnectionCheckServers>(named, 'connection:check', {}))).toEqual({
      stunUrls: [`stun:play.example.test:${port}`, `stun:play.example.test:${altPort}`],
      turnConfigured: false,
    });

    // A Host header that would make a broken ICE URL: the built-in entry is left out, STUN_URLS stay.
    const bogus = clients.open(undefined, { extraHeaders: { Host: 'bad_host:8080' } });
    await connectNow(bogus);
    expect((await createLobby(bogus)).iceServers).toEqual([]);
  });

  it('PUBLIC_URL names the host; STUN_URLS follow; connection:check reports TURN; LobbyClient.connectionCheckServers()', async () => {
    const { server, port, altPort } = await stunServer({
      env: {
        PUBLIC_URL: 'https://lobby.example.test',
        STUN_URLS: 'stun:stun.example.test:3478',
        TURN_URLS: 'turn:turn.example.test:3478',
        TURN_SECRET: 'stun-test-turn-secret-0123456789',
      },
    });
    const lobbyClient = new LobbyClient({
      url: server.url,
      storage: memoryStorage(),
      sessionStorage: memoryStorage(),
      ackTimeoutMs: 3000,
    });
    cleanups.push(() => lobbyClient.close());
    expect(await lobbyClient.connectionCheckServers()).toEqual({
      ok: true,
      data: {
        stunUrls: [`stun:lobby.example.test:${port}`, `stun:lobby.example.test:${altPort}`],
        turnConfigured: true,
      },
    });
    const created = await lobbyClient.create({ nickname: 'Host', name: 'Room', visibility: 'private' });
    expect(expectOk(created).iceServers[0]).toEqual({
      urls: [`stun:lobby.example.test:${port}`, 'stun:stun.example.test:3478'],
    });
  });

  it('connection:check spends the per-socket event budget like any command', async () => {
    const limited = await startTestServer({ limits: { playerEventPoints: 2 } });
    cleanups.push(() => limited.close());
    const socket = await new Clients(() => limited.url).connect();
    cleanups.push(() => socket.close());
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await request(socket, 'connection:check', {}));
    expect(answers.map((a) => a.ok)).toEqual([true, true, false]);
    expect(answers[2]).toEqual({ ok: false, error: ErrorCode.RATE_LIMITED });
    expect(await request(socket, 'connection:check', { extra: 1 })).toMatchObject({ ok: false });
  });
});
