import { createConnection } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ErrorCode, PROTOCOL_VERSION, type Joined, type LobbyView } from '../../lib/protocol';
import type { Limits } from '../../server/socket/limits';
import {
  Clients,
  connectNow,
  createLobby,
  expectOk,
  joinByCode,
  joinByInvite,
  record,
} from '../helpers/lobby';
import { nextEvent, request, startTestServer, type TestServer } from '../helpers/server';

/** S4 and S9: every test gets its own server with low limits, since budgets are per server. */
let server: TestServer | null = null;
let clients: Clients | null = null;

async function serverWith(limits: Partial<Limits>) {
  server = await startTestServer({ limits });
  clients = new Clients(() => server!.url);
  return { server, clients };
}

afterEach(async () => {
  clients?.closeAll();
  await server?.close();
  server = clients = null;
});

const RATE_LIMITED = { ok: false, error: ErrorCode.RATE_LIMITED };

describe('event budgets (S4)', () => {
  it('S4: a flood from one socket gets RATE_LIMITED past the burst; the target receives at most the burst', async () => {
    const BURST = 5;
    const { clients } = await serverWith({ playerEventPoints: BURST });
    const host = await clients.connect();
    const guest = await clients.connect();
    const created = await createLobby(host);
    const hostStates = record<LobbyView>(host, 'lobby:state');
    // The host spends 1 point on create; the guest spends 1 on join: each socket has its own budget.
    const joined = expectOk(await joinByInvite(guest, created.lobby.inviteToken));
    await hostStates.waitFor((v) => v.version === joined.lobby.version);

    const flood = await Promise.all(
      Array.from({ length: 30 }, (_, i) => request(guest, 'lobby:ready', { ready: i % 2 === 0 })),
    );
    const passed = flood.filter((r) => r.ok).length;
    expect(passed).toBe(BURST - 1);
    expect(flood.filter((r) => !r.ok)).toEqual(Array(30 - passed).fill(RATE_LIMITED));

    // The host's own budget is untouched: its lock goes through, and is the last state it sees.
    expectOk(await request(host, 'lobby:lock', { locked: true }));
    const last = await hostStates.waitFor((v) => v.locked);
    expect(last.version).toBe(joined.lobby.version + passed + 1);
    expect(hostStates.items.length).toBe(passed + 2); // the join's state, the burst, the lock
    expect(server!.app.metrics.rejections.get({ reason: ErrorCode.RATE_LIMITED })).toBe(30 - passed);
  });

  it('S4: sockets of one IP share a per-IP budget', async () => {
    const IP_BUDGET = 8;
    const { clients } = await serverWith({ ipEventPoints: IP_BUDGET });
    const sockets = await Promise.all([clients.connect(), clients.connect(), clients.connect()]);
    const answers = await Promise.all(
      sockets.flatMap((s) => Array.from({ length: 5 }, () => request(s, 'browser:watch', { watch: false }))),
    );
    expect(answers.filter((r) => r.ok)).toHaveLength(IP_BUDGET);
    expect(answers.filter((r) => !r.ok)).toEqual(Array(15 - IP_BUDGET).fill(RATE_LIMITED));
  });
});

describe('connection cap (S4)', () => {
  it('S4: one connection more than the per-IP cap is refused at the handshake; a freed slot is reusable', async () => {
    const CAP = 3;
    const { server, clients } = await serverWith({ maxConnectionsPerIp: CAP });
    const open = await Promise.all(Array.from({ length: CAP }, () => clients.connect()));
    const extra = clients.open();
    // Refused by engine.io's allowRequest, before a session exists: the client sees a transport error.
    await expect(connectNow(extra)).rejects.toThrow();
    expect(server.app.io.engine.clientsCount).toBe(CAP);
    expect(server.app.metrics.rejections.get({ reason: ErrorCode.RATE_LIMITED })).toBe(1);

    open[0]!.close();
    // Waiting for the server to have seen the close (a state, polled), not for time.
    await vi.waitFor(() => expect(server.app.io.engine.clientsCount).toBe(CAP - 1));
    await clients.connect();
  });

  it('S4: an upgrade admitted by the cap but refused by ws (a bad key) gives its slot back', async () => {
    const { server, clients } = await serverWith({ maxConnectionsPerIp: 1 });
    const { port } = new URL(server.url);
    // A websocket upgrade whose Sec-WebSocket-Key is not base64 of 16 bytes: engine.io admits it
    // (the slot is taken), then ws answers 400 and closes the TCP connection; no session ever exists.
    const answer = await new Promise<string>((resolve, reject) => {
      const tcp = createConnection({ host: '127.0.0.1', port: Number(port) }, () =>
        tcp.write(
          'GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\n' +
            'Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: not-a-key\r\n\r\n',
        ),
      );
      let got = '';
      tcp.on('data', (d) => (got += String(d)));
      tcp.on('close', () => resolve(got));
      tcp.on('error', reject);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 400/);
    // The only slot is free again (polled: the server sees the close on its own side).
    await vi.waitFor(async () => {
      const socket = clients.open();
      try {
        await connectNow(socket);
      } finally {
        socket.close();
      }
    });
  });
});

describe('idle deadline', () => {
  it('disconnects a socket that neither joins nor watches; spares watchers and members', async () => {
    const { clients } = await serverWith({ idleSocketDeadlineMs: 150 });
    const watcher = await clients.connect();
    expectOk(await request(watcher, 'browser:watch', { watch: true }));
    const member = await clients.connect();
    await createLobby(member);
    const idle = await clients.connect();
    const reason = await nextEvent<string>(idle, 'disconnect');
    expect(reason).toBe('io server disconnect');
    // The idle socket connected last, so both others have passed at least one deadline check.
    expect(watcher.connected && member.connected).toBe(true);
  });
});

describe('failed join budget (S9)', () => {
  it('S9: wrong code, wrong token and private-by-code get one identical NOT_FOUND; past the budget every join is RATE_LIMITED', async () => {
    const { clients } = await serverWith({ failedJoinPoints: 3 });
    const host = await clients.connect();
    const priv: Joined = await createLobby(host, { visibility: 'private' });
    const pubHost = await clients.connect();
    const pub: Joined = await createLobby(pubHost, { visibility: 'public' });

    const guesser = await clients.connect();
    const wrongCode = await joinByCode(guesser, priv.lobby.code === 'ZZZZZZ' ? 'YYYYYY' : 'ZZZZZZ');
    const wrongToken = await joinByInvite(guesser, 'A'.repeat(22));
    const privateByCode = await joinByCode(guesser, priv.lobby.code);
    for (const answer of [wrongCode, wrongToken, privateByCode]) {
      expect(answer).toEqual({ ok: false, error: ErrorCode.NOT_FOUND });
    }
    // The budget is spent: even a right code is refused now, so the guesser learns nothing more.
    expect(await joinByCode(guesser, pub.lobby.code)).toEqual(RATE_LIMITED);
    // A new socket from the same IP does not reset it.
    const again = await clients.connect();
    expect(await joinByInvite(again, priv.lobby.inviteToken)).toEqual(RATE_LIMITED);
    // Other events still work for that IP.
    expectOk(await request(again, 'browser:watch', { watch: false }));
  });

  it('S9: successful joins spend nothing from the failed-join budget', async () => {
    const { clients } = await serverWith({ failedJoinPoints: 2 });
    const host = await clients.connect();
    const created: Joined = await createLobby(host, { maxPlayers: 8 });
    for (let i = 0; i < 4; i++) {
      const p = await clients.connect({ protocolVersion: PROTOCOL_VERSION });
      expectOk(await joinByCode(p, created.lobby.code));
    }
  });
});
