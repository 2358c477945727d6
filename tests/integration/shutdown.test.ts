import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION } from '../../lib/protocol';
import { startAppProcess, type AppProcess } from '../helpers/appProcess';
import { Clients, createLobby, expectOk, joinByInvite, record } from '../helpers/lobby';

/** Graceful shutdown of the real process: SIGTERM → clients told → disconnected → exit 0, in bounds. */
const EXIT_BOUND_MS = 5_000;

let proc: AppProcess | null = null;
let clients: Clients | null = null;
afterEach(async () => {
  clients?.closeAll();
  await proc?.stop('SIGKILL');
  proc = clients = null;
});

describe('graceful shutdown', () => {
  it('SIGTERM: every client gets server:shutdown, then the disconnect; the process exits 0 within the bound', async () => {
    proc = await startAppProcess({ LOG_LEVEL: 'info' }, 'tests/helpers/socketServerMain.ts');
    clients = new Clients(() => proc!.url);
    const host = await clients.connect();
    const guest = await clients.connect();
    const idle = await clients.connect({ protocolVersion: PROTOCOL_VERSION });
    const created = await createLobby(host);
    expectOk(await joinByInvite(guest, created.lobby.inviteToken));

    const order = new Map<string, string[]>();
    const seen = [host, guest, idle].map((socket, i) => {
      const events: string[] = [];
      order.set(String(i), events);
      const told = record(socket, 'server:shutdown');
      return new Promise<void>((resolve) => {
        socket.once('disconnect', (reason) => {
          events.push(`shutdown×${told.items.length}`, `disconnect:${reason}`);
          resolve();
        });
      });
    });

    const started = Date.now();
    const exited = once(proc.child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
    proc.child.kill('SIGTERM');
    await Promise.all(seen);
    const [code, signal] = await exited;
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    expect(Date.now() - started).toBeLessThan(EXIT_BOUND_MS);
    for (const events of order.values()) {
      expect(events[0]).toBe('shutdown×1');
      expect(events[1]).toMatch(/^disconnect:/);
    }
  });

  it('refuses new connections once shutting down', async () => {
    proc = await startAppProcess({ LOG_LEVEL: 'info' }, 'tests/helpers/socketServerMain.ts');
    clients = new Clients(() => proc!.url);
    const s = await clients.connect();
    const told = new Promise<void>((resolve) => s.once('server:shutdown', () => resolve()));
    proc.child.kill('SIGTERM');
    await told;
    await expect(clients.connect()).rejects.toBeInstanceOf(Error);
  });
});
