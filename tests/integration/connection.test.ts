import { describe, expect, it } from 'vitest';
import { ErrorCode, PROTOCOL_VERSION, type LobbySummary } from '../../lib/protocol';
import {
  Clients,
  connectNow,
  expectOk,
  joinByCode,
  joinByInvite,
  newPlayer,
  record,
  setupLobby,
  serverPerFile,
  type Member,
} from '../helpers/lobby';
import { request, startTestServer } from '../helpers/server';

/** Connection-level behaviour: handshake checks, origins, health, and what a lost connection does to a lobby. */
const ctx = serverPerFile();

type ConnectError = Error & { data?: { code?: string; serverVersion?: number } };

/** Tries to connect; resolves with the connect_error, or null when the connection was accepted. */
async function attempt(
  auth: object,
  opts: Parameters<typeof ctx.clients.open>[1] = {},
): Promise<ConnectError | null> {
  const socket = ctx.clients.open(auth, opts);
  try {
    await connectNow(socket);
    return null;
  } catch (err) {
    return err as ConnectError;
  }
}

describe('handshake', () => {
  it('refuses another protocol version with PROTOCOL_MISMATCH and the server version', async () => {
    const err = await attempt({ protocolVersion: PROTOCOL_VERSION + 1 });
    expect(err?.data).toEqual({ code: ErrorCode.PROTOCOL_MISMATCH, serverVersion: PROTOCOL_VERSION });
  });

  it.each([
    ['no auth', {}],
    ['a string version', { protocolVersion: String(PROTOCOL_VERSION) }],
    ['a huge device key', { protocolVersion: PROTOCOL_VERSION, deviceKey: 'k'.repeat(1000) }],
  ])('refuses %s with PROTOCOL_MISMATCH', async (_, auth) => {
    expect((await attempt(auth))?.data?.code).toBe(ErrorCode.PROTOCOL_MISMATCH);
  });

  it('accepts the current version', async () => {
    expect(await attempt({ protocolVersion: PROTOCOL_VERSION })).toBeNull();
  });
});

describe('origin check (S1)', () => {
  const ok = { protocolVersion: PROTOCOL_VERSION };

  it.each(['websocket', 'polling'])('refuses a foreign Origin over %s', async (transport) => {
    const err = await attempt(ok, {
      transports: [transport],
      extraHeaders: { origin: 'http://evil.example' },
    });
    expect(err).toBeInstanceOf(Error);
  });

  it.each(['websocket', 'polling'])('accepts the page’s own origin over %s', async (transport) => {
    const host = new URL(ctx.url).host;
    expect(
      await attempt(ok, { transports: [transport], extraHeaders: { origin: `http://${host}` } }),
    ).toBeNull();
  });

  it('refuses a look-alike of the own host on another port, and a malformed Origin', async () => {
    const { hostname, port } = new URL(ctx.url);
    expect(
      await attempt(ok, { extraHeaders: { origin: `http://${hostname}:${Number(port) + 1}` } }),
    ).toBeInstanceOf(Error);
    expect(await attempt(ok, { extraHeaders: { origin: 'null' } })).toBeInstanceOf(Error);
  });

  it('accepts an origin listed in ALLOWED_ORIGINS, still refusing others', async () => {
    const other = await startTestServer({
      env: { ALLOWED_ORIGINS: 'https://games.example, https://x.example' },
    });
    const clients = new Clients(() => other.url);
    try {
      const allowed = clients.open(ok, { extraHeaders: { origin: 'https://games.example' } });
      await connectNow(allowed);
      const foreign = clients.open(ok, { extraHeaders: { origin: 'https://evil.example' } });
      await expect(connectNow(foreign)).rejects.toBeInstanceOf(Error);
    } finally {
      clients.closeAll();
      await other.close();
    }
  });
});

describe('origin check with PUBLIC_URL (DNS rebinding)', () => {
  it('trusts only PUBLIC_URL and ALLOWED_ORIGINS, not an Origin that merely equals the Host header', async () => {
    const other = await startTestServer({
      env: { PUBLIC_URL: 'https://play.example', ALLOWED_ORIGINS: 'http://192.168.1.5:3000' },
    });
    const clients = new Clients(() => other.url);
    const ok = { protocolVersion: PROTOCOL_VERSION };
    try {
      // A rebinding page at http://evil.example:PORT resolves to us: its Origin equals the Host it sends.
      const port = new URL(other.url).port;
      const rebound = clients.open(ok, {
        extraHeaders: { origin: `http://evil.example:${port}`, host: `evil.example:${port}` },
      });
      await expect(connectNow(rebound)).rejects.toBeInstanceOf(Error);
      const ownHost = clients.open(ok, { extraHeaders: { origin: `http://${new URL(other.url).host}` } });
      await expect(connectNow(ownHost)).rejects.toBeInstanceOf(Error);
      for (const origin of ['https://play.example', 'http://192.168.1.5:3000']) {
        await connectNow(clients.open(ok, { extraHeaders: { origin } }));
      }
    } finally {
      clients.closeAll();
      await other.close();
    }
  });
});

describe('/healthz', () => {
  it('answers 200 with a status', async () => {
    const res = await fetch(`${ctx.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', store: 'ok' });
  });

  it('answers 404 elsewhere when no pages handler is mounted', async () => {
    expect((await fetch(`${ctx.url}/nope`)).status).toBe(404);
  });
});

describe('disconnect', () => {
  it('removes the member; the others get lobby:state', async () => {
    const { host, guests, lobby } = await setupLobby(ctx.clients, { guests: 2 });
    const [g1, g2] = guests as [Member, Member];
    g1.socket.close();
    for (const m of [host, g2]) {
      const seen = await m.states.waitFor((v) => v.version === lobby.version + 1);
      expect(seen.members.map((x) => x.id)).toEqual([host.id, g2.id]);
      expect(seen.hostId).toBe(host.id);
    }
  });

  it('a host disconnect makes the longest-present member host', async () => {
    const { host, guests, lobby } = await setupLobby(ctx.clients, { guests: 2 });
    const [g1, g2] = guests as [Member, Member];
    host.socket.close();
    const seen = await g2.states.waitFor((v) => v.version === lobby.version + 1);
    expect(seen.hostId).toBe(g1.id);
    expect(seen.members.map((x) => x.id)).toEqual([g1.id, g2.id]);
    expectOk(await request(g1.socket, 'lobby:lock', { locked: true }));
    expect(await request(g2.socket, 'lobby:lock', { locked: false })).toEqual({
      ok: false,
      error: ErrorCode.FORBIDDEN,
    });
  });

  it('the last member disconnecting deletes the lobby: its code and invite are NOT_FOUND', async () => {
    const watcher = await newPlayer(ctx.clients);
    const lists = record<LobbySummary[]>(watcher.socket, 'browser:list');
    expectOk(await request(watcher.socket, 'browser:watch', { watch: true }));
    const { host, lobby } = await setupLobby(ctx.clients);
    await lists.waitFor((rows) => rows.some((r) => r.code === lobby.code));
    const mark = lists.items.length;
    host.socket.close();
    // The feed pushes once the store has dropped the lobby.
    await lists.waitFor((rows) => !rows.some((r) => r.code === lobby.code), mark);
    expect(await ctx.store.get(lobby.id)).toBeNull();
    expect(await joinByCode(watcher.socket, lobby.code)).toEqual({ ok: false, error: ErrorCode.NOT_FOUND });
    expect(await joinByInvite(watcher.socket, lobby.inviteToken)).toEqual({
      ok: false,
      error: ErrorCode.NOT_FOUND,
    });
  });

  it('a player who left can join another lobby on the same socket', async () => {
    const a = await setupLobby(ctx.clients, { guests: 1 });
    const b = await setupLobby(ctx.clients);
    const g = a.guests[0] as Member;
    expectOk(await request(g.socket, 'lobby:leave', {}));
    const joined = expectOk(await joinByCode(g.socket, b.lobby.code));
    expect(joined.lobby.id).toBe(b.lobby.id);
    // Its broadcasts come from the new lobby only.
    expectOk(await request(a.host.socket, 'lobby:lock', { locked: true }));
    expectOk(await request(g.socket, 'lobby:ready', { ready: true }));
    const next = await g.states.waitFor((v) => v.id === b.lobby.id && v.version === joined.lobby.version + 1);
    expect(next.members.find((m) => m.id === joined.selfId)?.ready).toBe(true);
    expect(g.states.items.some((v) => v.id === a.lobby.id && v.locked)).toBe(false);
  });
});
