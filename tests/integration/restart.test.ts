import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LobbyClient } from '../../lib/client/LobbyClient';
import { startAppProcess, type AppProcess } from '../helpers/appProcess';
import { memoryStorage } from '../helpers/memoryStorage';
import { lobbyWhere } from '../helpers/waits';

/**
 * The default (in-memory) server restarted — SIGTERM or kill -9 — with DATA_DIR: lobbies come back with
 * the same code, invite link, members, host and seats, and their players' clients resume by themselves.
 */
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function freePort(): Promise<number> {
  const srv = createServer().listen(0, '127.0.0.1');
  await new Promise((r) => srv.once('listening', r));
  const { port } = srv.address() as { port: number };
  await new Promise((r) => srv.close(r));
  return port;
}

function client(url: string) {
  const c = new LobbyClient({
    url,
    storage: memoryStorage(),
    sessionStorage: memoryStorage(),
    ackTimeoutMs: 5000,
  });
  cleanups.push(() => c.close());
  return c;
}

async function server(env: Record<string, string>): Promise<AppProcess> {
  const app = await startAppProcess(
    { SERVE_PAGES: 'false', SEAT_GRACE_MS: '30000', ...env },
    'server/index.ts',
  );
  cleanups.push(() => app.stop('SIGKILL'));
  return app;
}

const savedLobbies = (dir: string): string => {
  try {
    return readFileSync(join(dir, 'lobbies.json'), 'utf8');
  } catch {
    return '';
  }
};

describe('a server restart with the default store (DATA_DIR)', () => {
  for (const signal of ['SIGKILL', 'SIGTERM'] as const) {
    it(`${signal}: the lobby comes back the same, its players resume, its invite link still works`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'peerlobby-data-'));
      cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
      const env = { PORT: String(await freePort()), DATA_DIR: dir };
      const first = await server(env);
      const host = client(first.url);
      const created = await host.create({ nickname: 'Host', name: 'Survives', visibility: 'private' });
      if (!created.ok) throw new Error(created.error);
      const guest = client(first.url);
      const joined = await guest.join({ nickname: 'Guest', invite: created.data.lobby.inviteToken });
      if (!joined.ok) throw new Error(joined.error);
      const before = await lobbyWhere(host, (l) => l.members.length === 2);
      // Saved within a second of each change: wait for it, as a crash could come at any time.
      await expect.poll(() => savedLobbies(dir), { timeout: 5_000 }).toContain(joined.data.selfId);

      await first.stop(signal);
      await server(env);

      const back = await lobbyWhere(
        host,
        (l) => l.members.every((m) => m.presence === 'present') && l.version > before.version,
      );
      expect(back).toMatchObject({
        id: before.id,
        code: before.code,
        inviteToken: before.inviteToken,
        hostId: before.hostId,
        name: 'Survives',
      });
      expect(back.members.map((m) => m.id)).toEqual(before.members.map((m) => m.id));
      expect(host.playerId).toBe(created.data.selfId);
      expect(guest.playerId).toBe(joined.data.selfId);
      // The invite link of before the restart still opens the lobby.
      const late = client(first.url);
      const lateJoin = await late.join({ nickname: 'Late', invite: before.inviteToken });
      expect(lateJoin.ok && lateJoin.data.lobby.id).toBe(before.id);
    });
  }

  it('DATA_DIR=off: nothing is kept (the lobby is gone after a restart)', async () => {
    const env = { PORT: String(await freePort()), DATA_DIR: 'off' };
    const first = await server(env);
    const host = client(first.url);
    const created = await host.create({ nickname: 'Host', name: 'Gone', visibility: 'private' });
    if (!created.ok) throw new Error(created.error);
    const removed = new Promise((resolve) => host.on('removed', resolve));
    await first.stop('SIGKILL');
    await server(env);
    expect(await removed).toBe('connection-lost');
    expect(host.currentLobby).toBeNull();
  });
});
