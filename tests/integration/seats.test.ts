import { afterEach, describe, expect, it } from 'vitest';
import { LobbyClient } from '../../lib/client/LobbyClient';
import type { LobbyView } from '../../lib/protocol';
import { memoryStorage } from '../helpers/memoryStorage';
import { lobbyWhere } from '../helpers/waits';
import { startTestServer, type TestServer } from '../helpers/server';
import { TcpProxy } from '../helpers/tcpProxy';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function setup(env: Record<string, string>) {
  const server: TestServer = await startTestServer({ env });
  const proxy = await TcpProxy.start(server.url);
  cleanups.push(
    () => server.close(),
    () => proxy.close(),
  );
  return { server, proxy };
}

function client(url: string, session = memoryStorage()) {
  const c = new LobbyClient({ url, storage: memoryStorage(), sessionStorage: session, ackTimeoutMs: 3000 });
  cleanups.push(() => c.close());
  return c;
}

async function hostAndGuest(url: string, guestUrl: string, guestSession = memoryStorage()) {
  const host = client(url);
  const created = await host.create({ nickname: 'Host', name: 'Seats', visibility: 'private' });
  if (!created.ok) throw new Error(created.error);
  const guest = client(guestUrl, guestSession);
  const joined = await guest.join({ nickname: 'Guest', invite: created.data.lobby.inviteToken });
  if (!joined.ok) throw new Error(joined.error);
  return {
    host,
    guest,
    guestId: joined.data.selfId,
    firstToken: joined.data.resumeToken,
    lobbyId: created.data.lobby.id,
  };
}

const presenceOf = (l: LobbyView, id: string) => l.members.find((m) => m.id === id)?.presence;

describe('seats across drops', () => {
  it('R1: a dead client (heartbeats frozen) is detected and peers see it dropped', async () => {
    const { server, proxy } = await setup({
      SEAT_GRACE_MS: '30000',
      PING_INTERVAL_MS: '200',
      PING_TIMEOUT_MS: '300',
    });
    const { host, guestId } = await hostAndGuest(server.url, proxy.url);
    const started = Date.now();
    proxy.freeze();
    await lobbyWhere(host, (l) => presenceOf(l, guestId) === 'dropped');
    // Bound, not a benchmark: interval + timeout plus generous slack for a loaded machine.
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('R2: a dropped player gets the same seat back inside the grace window; the token rotates', async () => {
    const { server, proxy } = await setup({ SEAT_GRACE_MS: '30000' });
    const session = memoryStorage();
    const { host, guest, guestId, firstToken } = await hostAndGuest(server.url, proxy.url, session);
    await host.transferHost(guestId);
    await guest.setReady(true);
    await lobbyWhere(host, (l) => l.hostId === guestId && l.members.some((m) => m.id === guestId && m.ready));

    const versionAtCut = guest.currentLobby!.version;
    proxy.cut();
    await lobbyWhere(host, (l) => presenceOf(l, guestId) === 'dropped');
    // socket.io-client reconnects by itself through the proxy; LobbyClient resumes with its token.
    const back = await lobbyWhere(host, (l) => presenceOf(l, guestId) === 'present');
    expect(back.hostId).toBe(guestId);
    expect(back.members.find((m) => m.id === guestId)?.ready).toBe(true);
    await lobbyWhere(guest, (l) => l.version > versionAtCut && presenceOf(l, guestId) === 'present');
    expect(guest.playerId).toBe(guestId);
    const seat = JSON.parse(session.get('peerlobby.seat')!);
    expect(seat.playerId).toBe(guestId);
    expect(seat.token).not.toBe(firstToken);
  });

  it('a dropped host: a present member is host at once, not after the grace; the role comes back on resume', async () => {
    const { server, proxy } = await setup({
      SEAT_GRACE_MS: '30000',
      PING_INTERVAL_MS: '200',
      PING_TIMEOUT_MS: '300',
    });
    const { host, guest, guestId } = await hostAndGuest(server.url, proxy.url);
    await host.transferHost(guestId);
    await lobbyWhere(host, (l) => l.hostId === guestId);
    proxy.freeze();
    // The seat is held (dropped) and the member still here stands in as host meanwhile.
    await lobbyWhere(host, (l) => presenceOf(l, guestId) === 'dropped' && l.hostId === host.playerId);
    proxy.thaw();
    await lobbyWhere(host, (l) => presenceOf(l, guestId) === 'present' && l.hostId === guestId);
    await lobbyWhere(guest, (l) => l.hostId === guestId);
  });

  it('a stand-in host who used the role keeps it when the dropped host comes back', async () => {
    const { server, proxy } = await setup({
      SEAT_GRACE_MS: '30000',
      PING_INTERVAL_MS: '200',
      PING_TIMEOUT_MS: '300',
    });
    const { host, guestId } = await hostAndGuest(server.url, proxy.url);
    await host.transferHost(guestId);
    await lobbyWhere(host, (l) => l.hostId === guestId);
    proxy.freeze();
    await lobbyWhere(host, (l) => l.hostId === host.playerId);
    const locked = await host.setLocked(true);
    expect(locked.ok).toBe(true);
    proxy.thaw();
    const back = await lobbyWhere(host, (l) => presenceOf(l, guestId) === 'present');
    expect(back.hostId).toBe(host.playerId);
    expect(back.locked).toBe(true);
  });

  it('a resume refused as RATE_LIMITED keeps the seat: the client tries again later and gets it back', async () => {
    const server = await startTestServer({
      env: { SEAT_GRACE_MS: '30000' },
      limits: { resumePlayerPoints: 1, resumeWindowS: 2 },
    });
    const proxy = await TcpProxy.start(server.url);
    cleanups.push(
      () => server.close(),
      () => proxy.close(),
    );
    const { host, guest, guestId } = await hostAndGuest(server.url, proxy.url);
    const removed: string[] = [];
    guest.on('removed', (why) => removed.push(why));
    proxy.cut(); // the first resume spends the budget
    await lobbyWhere(host, (l) => presenceOf(l, guestId) === 'dropped');
    await lobbyWhere(host, (l) => presenceOf(l, guestId) === 'present');
    proxy.cut(); // the second is refused until the window passes; the client waits and tries again
    await lobbyWhere(host, (l) => presenceOf(l, guestId) === 'dropped');
    await lobbyWhere(host, (l) => presenceOf(l, guestId) === 'present');
    expect(guest.playerId).toBe(guestId);
    expect(removed).toEqual([]);
    // The retry was needed: a resume really was refused on the way.
    expect(server.app.metrics.rejections.get({ reason: 'RATE_LIMITED' })).toBeGreaterThan(0);
  });

  it('R2: a page refresh (a new client with the same tab storage) takes the seat back', async () => {
    const { server } = await setup({ SEAT_GRACE_MS: '30000' });
    const session = memoryStorage();
    const { host, guest, guestId } = await hostAndGuest(server.url, server.url, session);
    guest.close();
    await lobbyWhere(host, (l) => presenceOf(l, guestId) === 'dropped');
    const refreshed = client(server.url, session);
    await refreshed.settled;
    expect(refreshed.playerId).toBe(guestId);
    expect(refreshed.currentLobby?.members.map((m) => m.nickname)).toEqual(['Host', 'Guest']);
    await lobbyWhere(host, (l) => presenceOf(l, guestId) === 'present');
  });

  it('R2: after the grace window the seat is gone, the others are told, and the token is refused', async () => {
    const { server } = await setup({ SEAT_GRACE_MS: '300' });
    const session = memoryStorage();
    const { host, guest, guestId } = await hostAndGuest(server.url, server.url, session);
    guest.close();
    await lobbyWhere(host, (l) => presenceOf(l, guestId) === 'dropped');
    await lobbyWhere(host, (l) => !l.members.some((m) => m.id === guestId));
    const late = client(server.url, session);
    await late.settled;
    expect(late.currentLobby).toBeNull();
    expect(session.get('peerlobby.seat')).toBeNull();
  });

  it('R3: a consented leave is immediate: no dropped state, gone at once', async () => {
    const { server } = await setup({ SEAT_GRACE_MS: '30000' });
    const { host, guest, guestId } = await hostAndGuest(server.url, server.url);
    const seen: string[] = [];
    host.on('lobby', (l) => l && seen.push(presenceOf(l, guestId) ?? 'gone'));
    await guest.leave();
    await lobbyWhere(host, (l) => !l.members.some((m) => m.id === guestId));
    expect(seen).not.toContain('dropped');
  });

  it('S8: a kicked player’s resume token is refused', async () => {
    const { server } = await setup({ SEAT_GRACE_MS: '30000' });
    const session = memoryStorage();
    const { host, guestId, lobbyId } = await hostAndGuest(server.url, server.url, session);
    const stolen = session.get('peerlobby.seat')!;
    await host.kick(guestId, true);
    await lobbyWhere(host, (l) => l.members.length === 1);
    const again = client(server.url, memoryStorage({ 'peerlobby.seat': stolen }));
    await again.settled;
    expect(again.currentLobby).toBeNull();
    expect(JSON.parse(stolen).lobbyId).toBe(lobbyId);
  });

  it('a second tab with a copied seat takes it over; the first one’s old token is spent', async () => {
    const { server } = await setup({ SEAT_GRACE_MS: '30000' });
    const session = memoryStorage();
    const { guestId } = await hostAndGuest(server.url, server.url, session);
    const copy = memoryStorage(Object.fromEntries(session.data));
    const second = client(server.url, copy);
    await second.settled;
    expect(second.playerId).toBe(guestId);
  });
});
