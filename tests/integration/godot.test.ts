import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION } from '../../lib/protocol';
import { GodotTestClient, T, type Version } from '../helpers/godotClient';
import { connectClient, request, startTestServer, type TestServer } from '../helpers/server';

/**
 * Protocol conformance of the Godot endpoint (/godot), both wire versions, on a real port with a client
 * written from the demo's protocol description (tests/helpers/godotClient.ts).
 */
const SEAL_CLOSE_MS = 400;
let server: TestServer;
const open: GodotTestClient[] = [];

beforeAll(async () => {
  server = await startTestServer({ env: { GODOT_SEAL_CLOSE_MS: String(SEAL_CLOSE_MS) } });
});
afterAll(async () => {
  open.forEach((c) => c.close());
  await server.close();
});

async function client(version: Version, query = '') {
  const c = await GodotTestClient.connect(server.url, version, query);
  open.push(c);
  return c;
}

const SDP = 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\n';
const CANDIDATE = 'candidate:1 1 UDP 2122252543 127.0.0.1 50000 typ host';

describe.each([4, 3] as const)('Godot %i protocol', (v) => {
  it('JOIN with no lobby creates one: ID 1, then the JOIN reply with its code', async () => {
    const host = await client(v);
    const joined = await host.join();
    expect(joined.id).toBe(1);
    expect(joined.mesh).toBe(true);
    expect(joined.lobby).toMatch(/^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{6}$/);
    // The demo's order: ID before the JOIN reply.
    expect(host.received.map((m) => m.type)).toEqual([T.ID, T.JOIN]);
  });

  it('joins by code: server-assigned ids, PEER_CONNECT both ways, PEER_DISCONNECT on leave', async () => {
    const a = await client(v);
    const { lobby } = await a.join();
    const b = await client(v);
    const jb = await b.join(lobby.toLowerCase()); // codes are case-insensitive
    expect(jb.lobby).toBe(lobby);
    expect(jb.id).toBeGreaterThan(1);
    expect(jb.id).toBeLessThanOrEqual(2 ** 31 - 1);
    // The newcomer hears of the host between its ID and its JOIN reply; the host hears of it.
    expect(b.received.map((m) => [m.type, m.id])).toEqual([
      [T.ID, jb.id],
      [T.PEER_CONNECT, 1],
      [T.JOIN, 0],
    ]);
    await a.nextOf(T.PEER_CONNECT, jb.id);
    const c = await client(v);
    const jc = await c.join(lobby);
    expect(new Set([jc.id, jb.id, 1]).size).toBe(3);
    await c.nextOf(T.PEER_CONNECT, 1);
    await c.nextOf(T.PEER_CONNECT, jb.id);
    await a.nextOf(T.PEER_CONNECT, jc.id);
    await b.nextOf(T.PEER_CONNECT, jc.id);

    c.close();
    await a.nextOf(T.PEER_DISCONNECT, jc.id);
    await b.nextOf(T.PEER_DISCONNECT, jc.id);
  });

  it('relays OFFER, ANSWER and CANDIDATE to the destination with the sender id stamped, payload untouched', async () => {
    const a = await client(v);
    const { lobby } = await a.join();
    const b = await client(v);
    const { id: bid } = await b.join(lobby);
    b.offer(1, SDP);
    expect(await a.nextOf(T.OFFER)).toEqual({ type: T.OFFER, id: bid, data: SDP });
    a.answer(bid, SDP.replace('o=- 1', 'o=- 9'));
    expect(await b.nextOf(T.ANSWER)).toEqual({ type: T.ANSWER, id: 1, data: SDP.replace('o=- 1', 'o=- 9') });
    a.candidate(bid, '0', 0, CANDIDATE);
    const cand = await b.nextOf(T.CANDIDATE);
    expect(cand.id).toBe(1);
    expect(cand.data.split('\n').filter(Boolean)).toEqual(['0', '0', CANDIDATE]);
  });

  it('refuses a relay to a peer of another lobby, to itself, and to nobody: closed with 4000', async () => {
    const a = await client(v);
    const la = await a.join();
    const other = await client(v);
    const lo = await other.join();
    const stranger = await client(v);
    const { id: sid } = await stranger.join(lo.lobby);
    expect(la.lobby).not.toBe(lo.lobby);
    a.offer(sid, SDP);
    expect(await a.closed).toEqual({ code: 4000, reason: 'PEER_NOT_FOUND: Invalid destination' });
    expect(other.received.some((m) => m.type === T.OFFER)).toBe(false);
    expect(stranger.received.some((m) => m.type === T.OFFER)).toBe(false);

    other.offer(1, SDP); // itself (it is peer 1 of its lobby)
    expect((await other.closed).reason).toBe('PEER_NOT_FOUND: Invalid destination');
  });

  it('refuses forged and malformed messages, and anything before JOIN', async () => {
    const cases: (string | Buffer)[] =
      v === 4
        ? [
            'not json',
            JSON.stringify({ type: T.ID, id: 5, data: '' }),
            JSON.stringify({ type: 'x', id: 0 }),
            JSON.stringify({ type: T.CANDIDATE, id: 1, data: 'no lines' }),
            JSON.stringify({ type: 99, id: 1, data: '' }),
          ]
        : ['no newline', 'I: 5\n', 'O: abc\nsdp', 'C: 1\nno lines', 'Z: 1\n'];
    for (const bad of cases) {
      const a = await client(v);
      const { lobby } = await a.join();
      const b = await client(v);
      await b.join(lobby);
      b.raw(bad);
      const closed = await b.closed;
      expect(closed.code).toBe(4000);
      expect(closed.reason).toMatch(/^(INVALID_PAYLOAD|PEER_NOT_FOUND): /);
      // The host is told the peer left, and received nothing from it.
      await a.nextOf(T.PEER_DISCONNECT);
      expect(a.received.some((m) => m.type >= T.OFFER && m.type <= T.CANDIDATE)).toBe(false);
    }
    const early = await client(v);
    early.offer(1, SDP);
    expect(await early.closed).toEqual({
      code: 4000,
      reason: 'NOT_IN_LOBBY: Invalid message when not in a lobby',
    });
    const binary = await client(v);
    binary.raw(Buffer.from([1, 2, 3]));
    expect((await binary.closed).reason).toBe('INVALID_PAYLOAD: Invalid transfer mode, must be text');
    const twice = await client(v);
    await twice.join();
    twice.send(T.JOIN, 0, '');
    expect((await twice.closed).reason).toBe('ALREADY_IN_LOBBY: Already in a lobby');
  });

  it('a wrong code is refused like the demo: 4000 "Lobby does not exists"', async () => {
    const c = await client(v);
    c.send(T.JOIN, 0, 'ZZZZZZ');
    expect(await c.closed).toEqual({ code: 4000, reason: 'NOT_FOUND: Lobby does not exists' });
  });

  it('SEAL by a non-creator is refused; by the creator: SEAL to all, joins refused, lobby gone after the grace', async () => {
    const a = await client(v);
    const { lobby } = await a.join();
    const b = await client(v);
    await b.join(lobby);
    const c = await client(v);
    await c.join(lobby);
    b.seal();
    expect(await b.closed).toEqual({ code: 4000, reason: 'FORBIDDEN: Only host can seal the lobby' });

    a.seal();
    await a.nextOf(T.SEAL);
    await c.nextOf(T.SEAL);
    const late = await client(v);
    late.send(T.JOIN, 0, lobby);
    expect(await late.closed).toEqual({ code: 4000, reason: 'LOCKED: Lobby is sealed' });

    expect(await a.closed).toEqual({ code: 1000, reason: 'Seal complete' });
    expect(await c.closed).toEqual({ code: 1000, reason: 'Seal complete' });
    const after = await client(v);
    after.send(T.JOIN, 0, lobby);
    expect((await after.closed).reason).toBe('NOT_FOUND: Lobby does not exists');
  });

  it('the host leaving ends the lobby for everyone (the demo: "Room host has disconnected")', async () => {
    const a = await client(v);
    const { lobby } = await a.join();
    const b = await client(v);
    await b.join(lobby);
    a.close();
    expect(await b.closed).toEqual({ code: 4000, reason: 'NOT_FOUND: Room host has disconnected' });
  });

  it('extension: ?ice=1 sends the ICE servers after the JOIN reply; an ICE request gets fresh ones', async () => {
    const a = await client(v, '?ice=1');
    await a.join();
    const ice = await a.nextOf(T.ICE);
    const parsed = JSON.parse(ice.data) as { iceServers: unknown[] };
    expect(Array.isArray(parsed.iceServers)).toBe(true);
    if (v === 4) a.send(T.ICE, 0);
    else a.raw('X: ice\n');
    await a.nextOf(T.ICE);
  });
});

describe('Godot 4 client-server (JOIN id ≠ 0)', () => {
  it('clients see only the host (peer 1), the host sees everyone; client-to-client relays are refused', async () => {
    const host = await client(4);
    const jh = await host.join('', false);
    expect(jh).toMatchObject({ id: 1, mesh: false });
    const b = await client(4);
    const jb = await b.join(jh.lobby, true); // the creator's choice holds for the lobby
    expect(jb.mesh).toBe(false);
    const c = await client(4);
    const jc = await c.join(jh.lobby);
    await host.nextOf(T.PEER_CONNECT, jb.id);
    await host.nextOf(T.PEER_CONNECT, jc.id);
    expect(c.received.filter((m) => m.type === T.PEER_CONNECT).map((m) => m.id)).toEqual([1]);
    c.offer(1, SDP);
    expect((await host.nextOf(T.OFFER)).id).toBe(jc.id);
    b.offer(jc.id, SDP);
    expect((await b.closed).reason).toBe('PEER_NOT_FOUND: Invalid destination');
    expect(b.received.filter((m) => m.type === T.PEER_CONNECT).map((m) => m.id)).toEqual([1]);
    expect(c.received.some((m) => m.type === T.OFFER)).toBe(false);
  });
});

describe('Godot endpoint extras', () => {
  it('the two wire versions share a lobby: a relay is re-encoded for the receiver', async () => {
    const g4 = await client(4);
    const { lobby } = await g4.join();
    const g3 = await client(3, '?v=3');
    const { id } = await g3.join(lobby);
    g3.candidate(1, '0', 0, CANDIDATE);
    expect(await g4.nextOf(T.CANDIDATE)).toEqual({ type: T.CANDIDATE, id, data: `\n0\n0\n${CANDIDATE}` });
    g4.offer(id, SDP);
    expect(await g3.nextOf(T.OFFER)).toEqual({ type: T.OFFER, id: 1, data: SDP });
  });

  it('with TURN configured, the ICE message carries a TURN credential bound to the member', async () => {
    const turn = await startTestServer({
      env: { TURN_URLS: 'turn:127.0.0.1:3478', TURN_SECRET: 'godot-test-turn-secret-0123' },
    });
    try {
      const c = await GodotTestClient.connect(turn.url, 4, '?ice=1');
      await c.join();
      const { iceServers, ttlMs } = JSON.parse((await c.nextOf(T.ICE)).data) as {
        iceServers: { urls: string[]; username?: string; credential?: string }[];
        ttlMs: number;
      };
      const relay = iceServers.find((s) => s.urls.includes('turn:127.0.0.1:3478'));
      expect(relay?.username).toMatch(/^\d+:[A-Za-z0-9_-]{16}$/);
      expect(relay?.credential).toMatch(/^[A-Za-z0-9+/]+=*$/);
      expect(ttlMs).toBeGreaterThan(3_500_000);
      c.close();
    } finally {
      await turn.close();
    }
  });

  it('refuses an upgrade from a page origin that is not allowed (403), like socket.io', async () => {
    await expect(
      GodotTestClient.connect(server.url, 4, '', { Origin: 'https://evil.example' }),
    ).rejects.toMatchObject({ status: 403 });
  });
});

describe('Godot lobbies are PeerLobby lobbies', () => {
  it('a private lobby answers JOIN with its invite token; the token joins, the code does not', async () => {
    const a = await client(4, '?visibility=private&lobby_name=Secret&name=Ann');
    const { lobby } = await a.join();
    expect(lobby).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const b = await client(3);
    const jb = await b.join(lobby);
    expect(jb.id).toBeGreaterThan(1);
    await a.nextOf(T.PEER_CONNECT, jb.id);
  });

  it('Godot lobbies belong to a Godot game: never joinable or listed as the built-in game’s, listed over HTTP as theirs', async () => {
    const g = await client(4, '?lobby_name=Godot%20room&name=Gina');
    const { lobby } = await g.join();
    const sock = await connectClient(server.url, { protocolVersion: PROTOCOL_VERSION });
    // A web client of the built-in game: another game's lobby.
    expect(await request(sock, 'lobby:join', { nickname: 'Web', code: lobby })).toEqual({
      ok: false,
      error: 'WRONG_GAME',
    });
    // A socket.io client claiming the Godot game still cannot join: it could not talk to Godot peers.
    expect(await request(sock, 'lobby:join', { game: 'godot', nickname: 'Web', code: lobby })).toEqual({
      ok: false,
      error: 'NOT_FOUND',
    });
    const builtIn = await request<{ code: string }[]>(sock, 'browser:watch', { watch: true });
    expect(builtIn.ok && builtIn.data.some((r) => r.code === lobby)).toBe(false);
    const created = await request<{ lobby: { code: string } }>(sock, 'lobby:create', {
      nickname: 'Web',
      name: 'Web room',
      visibility: 'public',
    });
    if (!created.ok) throw new Error(created.error);
    const intruder = await client(4);
    intruder.send(T.JOIN, 0, created.data.lobby.code);
    expect((await intruder.closed).reason).toBe('WRONG_GAME: Lobby is for another game');
    sock.close();

    const res = await fetch(`${server.url}/godot/lobbies`);
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const body = (await res.json()) as {
      game: string;
      lobbies: { code: string; name: string; hostName: string; players: number; status: string }[];
    };
    expect(body.game).toBe('godot');
    expect(body.lobbies.find((r) => r.code === lobby)).toEqual({
      code: lobby,
      name: 'Godot room',
      hostName: 'Gina',
      players: 1,
      maxPlayers: 8,
      status: 'open',
    });
    expect(body.lobbies.some((r) => r.code === created.data.lobby.code)).toBe(false);
    expect((await fetch(`${server.url}/godot/lobbies?game=Bad%20Slug`)).status).toBe(400);
  });

  it('?game= puts the lobby in that game: its own list, and a JOIN must name the same game', async () => {
    const a = await client(3, '?game=space-duel');
    const { lobby } = await a.join();
    const listed = (await (await fetch(`${server.url}/godot/lobbies?game=space-duel`)).json()) as {
      lobbies: { code: string }[];
    };
    expect(listed.lobbies.map((r) => r.code)).toEqual([lobby]);
    const plain = (await (await fetch(`${server.url}/godot/lobbies`)).json()) as {
      lobbies: { code: string }[];
    };
    expect(plain.lobbies.some((r) => r.code === lobby)).toBe(false);
    const other = await client(3);
    other.send(T.JOIN, 0, lobby);
    expect((await other.closed).reason).toBe('WRONG_GAME: Lobby is for another game');
    const same = await client(4, '?game=space-duel');
    expect((await same.join(lobby)).id).toBeGreaterThan(1);
  });

  it('counts relayed signals in /metrics and answers a bad query parameter with INVALID_PAYLOAD', async () => {
    const before = server.app.metrics.signalsRelayed.get();
    const a = await client(4);
    const { lobby } = await a.join();
    const b = await client(4);
    await b.join(lobby);
    b.offer(1, SDP);
    await a.nextOf(T.OFFER);
    expect(server.app.metrics.signalsRelayed.get()).toBe(before + 1);
    const bad = await client(4, '?max=99');
    expect(await bad.closed).toEqual({ code: 4000, reason: 'INVALID_PAYLOAD: Bad query parameter: max' });
  });
});
