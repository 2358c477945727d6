import { afterEach, describe, expect, it, vi } from 'vitest';
import type WebSocket from 'ws';
import { ErrorCode, PROTOCOL_VERSION } from '../../lib/protocol';
import type { Limits } from '../../server/socket/limits';
import { Clients, connectNow } from '../helpers/lobby';
import { pollingGet, pollingHandshake, pollingPost, rawWebSocket } from '../helpers/rawEngine';
import { startTestServer, type TestServer } from '../helpers/server';

/** Issue 13: budgets an attacker cannot refresh for free. Each test gets its own server with low limits. */
let server: TestServer | null = null;
let clients: Clients | null = null;
const raw = new Set<WebSocket>();

async function serverWith(limits: Partial<Limits>) {
  server = await startTestServer({ limits });
  clients = new Clients(() => server!.url);
  return { server, clients, url: server.url, io: server.app.io };
}

afterEach(async () => {
  for (const ws of raw) ws.terminate();
  raw.clear();
  clients?.closeAll();
  await server?.close();
  server = clients = null;
});

const CONNECT = `40${JSON.stringify({ protocolVersion: PROTOCOL_VERSION })}`;
const rateLimited = () => server!.app.metrics.rejections.get({ reason: ErrorCode.RATE_LIMITED });
const openWs = async (url: string) => {
  const ws = await rawWebSocket(url);
  raw.add(ws);
  return ws;
};

describe('one engine.io session carries one socket.io socket (finding 1)', () => {
  it('a burst of CONNECT packets in one polling POST connects at most one socket and closes the session', async () => {
    const { url, io } = await serverWith({ maxConnectionsPerIp: 1 });
    let connections = 0;
    io.on('connection', () => connections++);
    const sid = await pollingHandshake(url);
    expect(io.engine.clientsCount).toBe(1);

    // ~2,000 CONNECTs fit in one 64 KB POST; 500 make the point.
    expect(await pollingPost(url, sid, Array(500).fill(CONNECT))).toBe(200);
    await vi.waitFor(() => expect(io.engine.clientsCount).toBe(0));
    expect(connections).toBeLessThanOrEqual(1);
    expect(io.of('/').sockets.size).toBe(0);
    expect(rateLimited()).toBeGreaterThanOrEqual(1);
    // The session's address slot came back: with a cap of 1, a well-behaved client gets in.
    await clients!.connect();
  });

  it('a second CONNECT on a session that already carries a socket closes the session', async () => {
    const { url, io } = await serverWith({});
    let connections = 0;
    io.on('connection', () => connections++);
    const sid = await pollingHandshake(url);
    await pollingPost(url, sid, [CONNECT]);
    // Wait for the CONNECT's answer (a state the client can see), not for time.
    const seen: string[] = [];
    while (!seen.some((p) => p.startsWith('40{'))) seen.push(...(await pollingGet(url, sid)).packets);
    expect(connections).toBe(1);

    await pollingPost(url, sid, [CONNECT]);
    await vi.waitFor(() => expect(io.engine.clientsCount).toBe(0));
    expect(connections).toBe(1);
    expect(io.of('/').sockets.size).toBe(0);
    expect((await pollingGet(url, sid)).status).toBe(400); // the sid is gone
  });
});

describe('every engine.io session counts against the per-address cap (finding 3)', () => {
  it('polling sessions and plain websockets that never CONNECT take the slots; the next handshake of any transport is refused', async () => {
    const CAP = 3;
    const { url, io, clients } = await serverWith({ maxConnectionsPerIp: CAP });
    await pollingHandshake(url);
    await pollingHandshake(url);
    const ws = await openWs(url);
    expect(io.engine.clientsCount).toBe(CAP);

    const polling = await pollingHandshake(url).then(
      () => null,
      (err: { status: number; body: string }) => err,
    );
    expect(polling?.status).toBe(403);
    expect(JSON.parse(polling!.body)).toMatchObject({ message: ErrorCode.RATE_LIMITED });
    const upgrade = await openWs(url).then(
      () => null,
      (err: { status?: number }) => err,
    );
    expect(upgrade?.status).toBe(400);
    await expect(connectNow(clients.open())).rejects.toThrow();
    expect(io.engine.clientsCount).toBe(CAP); // nothing was created for the refused ones
    expect(rateLimited()).toBe(3);

    // A slot comes back when its session closes, whatever the transport.
    ws.close();
    await vi.waitFor(() => expect(io.engine.clientsCount).toBe(CAP - 1));
    await clients.connect();
  });

  it('a session that never sends CONNECT is closed at the connect deadline and frees its slot', async () => {
    const { url, io, clients } = await serverWith({ maxConnectionsPerIp: 1, connectDeadlineMs: 200 });
    const ws = await openWs(url);
    const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
    await expect(connectNow(clients.open())).rejects.toThrow();
    await closed;
    await vi.waitFor(() => expect(io.engine.clientsCount).toBe(0));
    await clients.connect();
  });
});
