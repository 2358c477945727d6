import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Socket as NetSocket } from 'node:net';
import { connectClient, nextEvent, startTestServer, type TestServer } from '../helpers/server';
import type { ClientSocket } from '../../lib/client/LobbyClient';
import type { IoSocket } from '../../server/socket/types';

/** What a connection's packets of one tick cost in writes (server/socket/tickCork.ts). */
let srv: TestServer;
const clients: ClientSocket[] = [];
beforeAll(async () => {
  srv = await startTestServer();
});
afterAll(async () => {
  for (const c of clients) c.close();
  await srv.close();
});

/** A connected client, its socket on the server, and a count of writes to its TCP connection from now on. */
async function connected() {
  const client = await connectClient(srv.url);
  clients.push(client);
  const socket = srv.app.io.of('/').sockets.get(client.id!) as IoSocket;
  const tcp = (socket.conn as unknown as { transport: { socket: { _socket: NetSocket } } }).transport.socket
    ._socket as NetSocket & { _write: (...a: unknown[]) => void; _writev: (...a: unknown[]) => void };
  const writes = { count: 0 };
  const write = tcp._write.bind(tcp);
  const writev = tcp._writev.bind(tcp);
  tcp._write = (...a) => {
    writes.count++;
    write(...a);
  };
  tcp._writev = (...a) => {
    writes.count++;
    writev(...a);
  };
  return { client, socket, writes };
}

describe('packets of one tick to one connection', () => {
  it('leave in one write, in the order they were emitted', async () => {
    const { client, socket, writes } = await connected();
    const got: number[] = [];
    const third = new Promise<void>((resolve) =>
      client.on('lobby:removed', ({ lobbyId }) => {
        got.push(Number(lobbyId));
        if (got.length === 3) resolve();
      }),
    );
    for (const n of [1, 2, 3]) socket.emit('lobby:removed', { lobbyId: String(n), reason: 'kicked' });
    await third;
    expect(got).toEqual([1, 2, 3]);
    expect(writes.count).toBe(1);
  });

  it('packets of later ticks are written on their own', async () => {
    const { client, socket, writes } = await connected();
    for (const n of [1, 2]) {
      const got = nextEvent<{ lobbyId: string }>(client, 'lobby:removed');
      socket.emit('lobby:removed', { lobbyId: String(n), reason: 'kicked' });
      expect((await got).lobbyId).toBe(String(n));
    }
    expect(writes.count).toBe(2);
  });

  it('a packet emitted just before a server-side disconnect still arrives first', async () => {
    const { client, socket } = await connected();
    const order: string[] = [];
    const gone = new Promise<void>((resolve) =>
      client.on('disconnect', (reason) => {
        order.push(reason);
        resolve();
      }),
    );
    client.on('lobby:removed', ({ reason }) => order.push(reason));
    socket.emit('lobby:removed', { lobbyId: 'x', reason: 'banned' });
    socket.disconnect(true);
    await gone;
    expect(order).toEqual(['banned', 'io server disconnect']);
  });
});
