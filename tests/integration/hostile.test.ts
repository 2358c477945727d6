import { afterEach, describe, expect, it, vi } from 'vitest';
import type WebSocket from 'ws';
import type { ClientSocket } from '../../lib/client/LobbyClient';
import {
  ErrorCode,
  PROTOCOL_VERSION,
  type Joined,
  type SignalError,
  type SignalMessage,
} from '../../lib/protocol';
import type { Limits } from '../../server/socket/limits';
import { Clients, connectNow, createLobby, expectOk, joinByInvite } from '../helpers/lobby';
import { pollingGet, pollingHandshake, pollingPost, rawMember, rawWebSocket } from '../helpers/rawEngine';
import { nextEvent, request, startTestServer, type TestServer } from '../helpers/server';

/** Issue 13: budgets an attacker cannot refresh for free. Each test gets its own server with low limits. */
let server: TestServer | null = null;
let clients: Clients | null = null;
const raw = new Set<WebSocket>();

async function serverWith(limits: Partial<Limits>, env: Record<string, string> = {}) {
  server = await startTestServer({ limits, env });
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

const emit = (s: ClientSocket, event: 'signal' | 'relay', payload: unknown) =>
  (s as unknown as { emit(e: string, p: unknown): void }).emit(event, payload);
const candidate = (text: string) => ({
  type: 'candidate' as const,
  candidate: { candidate: text, sdpMid: '0', sdpMLineIndex: 0 },
});
const frame = () => new Uint8Array([1, 2, 3]);

/** A host and an attacker in one lobby; everything the host receives is recorded, by sender. */
async function relayScene(clients: Clients) {
  const host = await clients.connect();
  const created = await createLobby(host);
  const relays: string[] = [];
  const signals: SignalMessage[] = [];
  host.on('relay', (m) => relays.push(m.from));
  host.on('signal', (m) => signals.push(m));
  const join = async (socket: ClientSocket, nickname: string) =>
    expectOk(await joinByInvite(socket, created.lobby.inviteToken, nickname)) as Joined;
  return { host, hostId: created.selfId, relays, signals, join };
}

/** Resolves when `socket` is told its `event` was RATE_LIMITED. */
const limitedNotice = (socket: ClientSocket, event: 'signal' | 'relay') =>
  nextEvent<SignalError>(
    socket,
    'signal:error',
    (e) => e.event === event && e.code === ErrorCode.RATE_LIMITED,
  );

describe('relay and signal budgets are bound to the connection and the address (finding 6)', () => {
  it('leave + rejoin and a second socket do not refill the relay budget', async () => {
    const PER_PLAYER = 5;
    const FACTOR = 2;
    const { clients } = await serverWith({ relayMessagePoints: PER_PLAYER, addressBudgetFactor: FACTOR });
    const scene = await relayScene(clients);
    // Each sender's relays are processed in order before its later signal: the signal is the marker.
    const marked = async (socket: ClientSocket, text: string) => {
      const seen = nextEvent<SignalMessage>(
        scene.host,
        'signal',
        (m) => m.signal.type === 'candidate' && m.signal.candidate.candidate === text,
      );
      emit(socket, 'signal', { to: scene.hostId, negotiationId: 1, signal: candidate(text) });
      await seen;
    };
    const attacker = await clients.connect();
    const first = await scene.join(attacker, 'A');
    const limited = limitedNotice(attacker, 'relay');
    for (let i = 0; i <= PER_PLAYER; i++) emit(attacker, 'relay', { to: scene.hostId, data: frame() });
    await limited;
    await marked(attacker, 'm1');
    expect(scene.relays.filter((id) => id === first.selfId)).toHaveLength(PER_PLAYER);

    // A new player id on the same connection: the connection's budget is still spent. (Its refusal
    // notice is throttled to one a second, so the marker, not the notice, says it was processed.)
    expectOk(await request(attacker, 'lobby:leave', {}));
    const second = await scene.join(attacker, 'A2');
    emit(attacker, 'relay', { to: scene.hostId, data: frame() });
    await marked(attacker, 'm2');
    expect(scene.relays.filter((id) => id === second.selfId)).toHaveLength(0);

    // A second socket from the same address: only what is left of the address's budget.
    const other = await clients.connect();
    const third = await scene.join(other, 'B');
    const limitedOther = limitedNotice(other, 'relay');
    for (let i = 0; i < PER_PLAYER * FACTOR; i++) emit(other, 'relay', { to: scene.hostId, data: frame() });
    await limitedOther; // a new socket: its first refusal is told
    await marked(other, 'm3');
    expect(scene.relays.filter((id) => id === third.selfId).length).toBeLessThan(PER_PLAYER);
    expect(scene.relays.length).toBeLessThanOrEqual(PER_PLAYER * FACTOR);
  });

  it('leave + rejoin does not refill the signal budget', async () => {
    const PER_PLAYER = 10;
    const { clients } = await serverWith({}, { SIGNAL_RATE_PER_10S: String(PER_PLAYER) });
    const scene = await relayScene(clients);
    // Here a relay frame is the marker (the relay budget is untouched).
    const marked = async (socket: ClientSocket) => {
      const seen = nextEvent(scene.host, 'relay');
      emit(socket, 'relay', { to: scene.hostId, data: frame() });
      await seen;
    };
    const attacker = await clients.connect();
    const first = await scene.join(attacker, 'A');
    const limited = limitedNotice(attacker, 'signal');
    for (let i = 0; i <= PER_PLAYER; i++)
      emit(attacker, 'signal', { to: scene.hostId, negotiationId: 1, signal: candidate(`c${i}`) });
    await limited;
    await marked(attacker);
    expect(scene.signals.filter((m) => m.from === first.selfId)).toHaveLength(PER_PLAYER);

    expectOk(await request(attacker, 'lobby:leave', {}));
    const second = await scene.join(attacker, 'A2');
    emit(attacker, 'signal', { to: scene.hostId, negotiationId: 1, signal: candidate('again') });
    await marked(attacker);
    expect(scene.signals.filter((m) => m.from === second.selfId)).toHaveLength(0);
  });
});

type Seat = { lobbyId: string; playerId: string; token: string };
/** Connects with a resume token; resolves with the server's answer (the socket stays open). */
async function resumeWith(clients: Clients, seat: Seat) {
  const socket = clients.open({ protocolVersion: PROTOCOL_VERSION, resume: seat });
  const answer = Promise.race([
    nextEvent<Joined>(socket, 'lobby:resumed').then((joined) => ({ ok: true as const, joined })),
    nextEvent<{ error: string }>(socket, 'lobby:resume-failed').then(({ error }) => ({
      ok: false as const,
      error,
    })),
  ]);
  await connectNow(socket);
  return { socket, answer: await answer };
}

describe('resume is a command like any other (finding 4)', () => {
  it('a resume storm changes the lobby at a bounded rate: past the per-player budget, resumes are RATE_LIMITED and change nothing', async () => {
    const RESUMES = 3;
    const { clients } = await serverWith({ resumePlayerPoints: RESUMES }, { SEAT_GRACE_MS: '30000' });
    const host = await clients.connect();
    const created = await createLobby(host);
    const states: { version: number; presence: string | undefined }[] = [];
    const attacker = await clients.connect();
    const joined = expectOk(await joinByInvite(attacker, created.lobby.inviteToken, 'A'));
    const presenceOf = (v: { members: { id: string; presence: string }[] }) =>
      v.members.find((m) => m.id === joined.selfId)?.presence;
    const hostStates = nextEvent<{ version: number; members: { id: string; presence: string }[] }>(
      host,
      'lobby:state',
      (v) => presenceOf(v) === 'dropped',
    );
    host.on('lobby:state', (v) => states.push({ version: v.version, presence: presenceOf(v) }));
    attacker.close();
    let lastDrop = (await hostStates).version;

    let seat: Seat = { lobbyId: joined.lobby.id, playerId: joined.selfId, token: joined.resumeToken };
    const answers: string[] = [];
    for (let i = 0; i < RESUMES + 5; i++) {
      const { socket, answer } = await resumeWith(clients, seat);
      answers.push(answer.ok ? 'resumed' : answer.error);
      if (answer.ok) {
        seat = { ...seat, token: answer.joined.resumeToken };
        const dropped = nextEvent<{ version: number; members: { id: string; presence: string }[] }>(
          host,
          'lobby:state',
          (v) => v.version > lastDrop + 1 && presenceOf(v) === 'dropped',
        );
        socket.close();
        lastDrop = (await dropped).version;
      } else socket.close();
    }
    expect(answers).toEqual([...Array(RESUMES).fill('resumed'), ...Array(5).fill(ErrorCode.RATE_LIMITED)]);
    // The refused resumes changed nothing: the host's next change is the very next version.
    const locked = nextEvent<{ version: number; locked: boolean }>(host, 'lobby:state', (v) => v.locked);
    expectOk(await request(host, 'lobby:lock', { locked: true }));
    expect((await locked).version).toBe(lastDrop + 1);
    // One resume and one drop per admitted resume, then the lock: that is all the members saw.
    expect(states.filter((s) => s.version > created.lobby.version + 1)).toHaveLength(1 + 2 * RESUMES + 1);
  });

  it('an address that spent its event budget cannot resume either', async () => {
    const { clients } = await serverWith({ ipEventPoints: 4 }, { SEAT_GRACE_MS: '30000' });
    const host = await clients.connect();
    const created = await createLobby(host); // 1 point
    const attacker = await clients.connect();
    const joined = expectOk(await joinByInvite(attacker, created.lobby.inviteToken, 'A')); // 2
    attacker.close();
    const answers = await Promise.all(
      Array.from({ length: 3 }, () => request(host, 'browser:watch', { watch: false })),
    );
    expect(answers.filter((r) => !r.ok)).toHaveLength(1); // the address is RATE_LIMITED now
    const { answer } = await resumeWith(clients, {
      lobbyId: joined.lobby.id,
      playerId: joined.selfId,
      token: joined.resumeToken,
    });
    expect(answer).toEqual({ ok: false, error: ErrorCode.RATE_LIMITED });
  });
});

/** Prometheus text as `name{labels}` → value. */
async function scrape(url: string): Promise<Map<string, number>> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    samples.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return samples;
}

describe('lobbies per address are capped (finding 5)', () => {
  it('past the cap a create gets TOO_MANY_LOBBIES; dropped lobbies count until they expire, and /metrics shows them and their held seats', async () => {
    const { clients, url } = await serverWith({ maxLobbiesPerAddress: 2 }, { SEAT_GRACE_MS: '400' });
    const [a, b, c] = await Promise.all([clients.connect(), clients.connect(), clients.connect()]);
    await createLobby(a!);
    await createLobby(b!);
    expect(await request(c!, 'lobby:create', { nickname: 'C', name: 'Third', visibility: 'public' })).toEqual(
      {
        ok: false,
        error: ErrorCode.TOO_MANY_LOBBIES,
      },
    );
    expect((await scrape(url)).get('peerlobby_lobbies')).toBe(2);

    // Every member gone: the lobbies stay (seats held), are counted by /metrics, and still count.
    a!.close();
    b!.close();
    await vi.waitFor(async () => expect((await scrape(url)).get('peerlobby_held_seats')).toBe(2));
    const held = await scrape(url);
    expect(held.get('peerlobby_lobbies')).toBe(2);
    expect(held.get('peerlobby_members')).toBe(0);
    expect(
      (await request(c!, 'lobby:create', { nickname: 'C', name: 'Third', visibility: 'public' })).ok,
    ).toBe(false);

    // Once the seats expire the lobbies are gone and the address may create again.
    await vi.waitFor(async () => expect((await scrape(url)).get('peerlobby_lobbies')).toBe(0), {
      timeout: 3000,
    });
    await createLobby(c!);
  });
});

describe('bans and invite links (finding 7)', () => {
  type State = { inviteToken: string; members: { id: string }[] };
  it('a ban rotates the invite token: the host gets the new link, the old one answers like a wrong one, even for a new device key', async () => {
    const { clients } = await serverWith({});
    const host = await clients.connect();
    const created = await createLobby(host, { visibility: 'private' });
    const oldToken = created.lobby.inviteToken;
    const banned = await clients.connect();
    const joined = expectOk(await joinByInvite(banned, oldToken, 'Troll'));

    const rotated = nextEvent<State>(
      host,
      'lobby:state',
      (v) => !v.members.some((m) => m.id === joined.selfId),
    );
    expectOk(await request(host, 'lobby:kick', { playerId: joined.selfId, ban: true }));
    const newToken = (await rotated).inviteToken;
    expect(newToken).not.toBe(oldToken);

    // The banned player clears its storage (no device key): the old link is now just a wrong token.
    const fresh = await clients.connect();
    const wrong = await joinByInvite(fresh, 'A'.repeat(22), 'Troll');
    expect(wrong).toEqual({ ok: false, error: ErrorCode.NOT_FOUND });
    expect(await joinByInvite(fresh, oldToken, 'Troll')).toEqual(wrong);
    // Whoever the host gives the new link to gets in.
    expectOk(await joinByInvite(await clients.connect(), newToken, 'Friend'));
  });

  it('the host rotates the link by hand; a member who is not the host cannot', async () => {
    const { clients } = await serverWith({});
    const host = await clients.connect();
    const created = await createLobby(host, { visibility: 'private' });
    const guest = await clients.connect();
    expectOk(await joinByInvite(guest, created.lobby.inviteToken, 'Guest'));

    expect(await request(guest, 'lobby:rotate-invite', {})).toEqual({
      ok: false,
      error: ErrorCode.FORBIDDEN,
    });
    expect(await request(host, 'lobby:rotate-invite', { extra: 1 })).toEqual({
      ok: false,
      error: ErrorCode.INVALID_PAYLOAD,
    });
    const rotated = nextEvent<State>(
      guest,
      'lobby:state',
      (v) => v.inviteToken !== created.lobby.inviteToken,
    );
    expectOk(await request(host, 'lobby:rotate-invite', {}));
    const { inviteToken } = await rotated;

    expect(await joinByInvite(await clients.connect(), created.lobby.inviteToken, 'Late')).toEqual({
      ok: false,
      error: ErrorCode.NOT_FOUND,
    });
    expectOk(await joinByInvite(await clients.connect(), inviteToken, 'Late'));
  });
});

describe('nicknames cannot impersonate or be blank (finding 8)', () => {
  it('a look-alike of a member’s name gets NICKNAME_TAKEN and changes nothing; an invisible one is INVALID_PAYLOAD', async () => {
    const { clients } = await serverWith({});
    const host = await clients.connect();
    const created = await createLobby(host, { nickname: 'Host' });
    const seen: number[] = [];
    host.on('lobby:state', (v) => seen.push(v.version));
    const impostor = await clients.connect();
    for (const nickname of ['Host', 'host', 'Ｈｏｓｔ', '\u041Dost', 'H\u043Est', 'H\u200Bost', 'H o s t']) {
      expect(await joinByInvite(impostor, created.lobby.inviteToken, nickname), nickname).toEqual({
        ok: false,
        error: ErrorCode.NICKNAME_TAKEN,
      });
    }
    for (const nickname of ['\u3164', '\u2800\u2800', '\u200B\u200D', '\uFFA0 \u115F']) {
      expect(await joinByInvite(impostor, created.lobby.inviteToken, nickname)).toEqual({
        ok: false,
        error: ErrorCode.INVALID_PAYLOAD,
      });
    }
    // Nothing changed: the first state the host sees is the honest join that follows.
    const joined = expectOk(await joinByInvite(impostor, created.lobby.inviteToken, 'Host 2'));
    expect(joined.lobby.members.map((m) => m.nickname)).toEqual(['Host', 'Host 2']);
    expect(joined.lobby.version).toBe(created.lobby.version + 1);
    await vi.waitFor(() => expect(seen).toEqual([joined.lobby.version]));
  });
});

describe('outgoing queues are capped (finding 2)', () => {
  it('a member that stops reading but keeps sending pongs is cut off past the outgoing cap; its seat is dropped; memory stays bounded', async () => {
    const CAP = 256 * 1024;
    const { clients, server: srv } = await serverWith(
      { maxOutgoingBytes: CAP, relayMessagePoints: 100_000, relayBytePoints: 1 << 30 },
      // Heartbeats every 100 ms that must be answered within 100 ms: the paused client's blind pongs keep it "alive".
      { SEAT_GRACE_MS: '30000', PING_INTERVAL_MS: '100', PING_TIMEOUT_MS: '100' },
    );
    const host = await clients.connect();
    const created = await createLobby(host, { visibility: 'private' });
    const paused = await rawMember(srv.url, created.lobby.inviteToken, 'Sloth', PROTOCOL_VERSION);
    raw.add(paused.ws);
    const dropped = nextEvent<{ members: { id: string; presence: string }[] }>(host, 'lobby:state', (v) =>
      v.members.some((m) => m.id === paused.playerId && m.presence === 'dropped'),
    );
    let isDropped = false;
    void dropped.then(() => (isDropped = true));
    const stop = paused.stopReading(30);

    const rssBefore = process.memoryUsage().rss;
    const frame = new Uint8Array(16 * 1024);
    const LIMIT_BYTES = 96 * 1024 * 1024; // bounded: loopback buffers hold a few MB before the server queues
    let sent = 0;
    while (!isDropped && sent < LIMIT_BYTES) {
      for (let i = 0; i < 64; i++) emit(host, 'relay', { to: paused.playerId, data: frame });
      sent += 64 * frame.byteLength;
      // A round trip: the server has handled this batch before the next one.
      await request(host, 'browser:watch', { watch: false });
    }
    // Cut while it was still sending pongs (its heartbeats alone would have kept it).
    expect(isDropped).toBe(true);
    stop();
    expect(srv.app.metrics.slowClientsCut.get()).toBe(1);
    // Everything sent passed through this process (client and server); what the server kept is bounded.
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(64 * 1024 * 1024);
  }, 30_000);
});

describe('the public list under spam', () => {
  it('does not offer a lobby whose members are all dropped; it comes back when one resumes', async () => {
    const { clients } = await serverWith({}, { SEAT_GRACE_MS: '30000' });
    const watcher = await clients.connect();
    const lists: { code: string }[][] = [];
    watcher.on('browser:list', (rows) => lists.push(rows));
    expectOk(await request(watcher, 'browser:watch', { watch: true }));
    const live = await clients.connect();
    const kept = await createLobby(live, { name: 'Live' });
    const spammer = await clients.connect();
    const spam = await createLobby(spammer, { name: 'Spam' });
    const listed = (codes: string[]) => (rows: { code: string }[]) =>
      rows
        .map((r) => r.code)
        .sort()
        .join() === codes.sort().join();
    await vi.waitFor(() => expect(lists.some(listed([kept.lobby.code, spam.lobby.code]))).toBe(true));

    spammer.close(); // its seat is held, the lobby stays in the store...
    await vi.waitFor(() => expect(lists.at(-1)?.map((r) => r.code)).toEqual([kept.lobby.code])); // ...but is not listed
    const hiddenAt = lists.length;

    const { answer } = await resumeWith(clients, {
      lobbyId: spam.lobby.id,
      playerId: spam.selfId,
      token: spam.resumeToken,
    });
    expect(answer.ok).toBe(true);
    await vi.waitFor(() =>
      expect(lists.slice(hiddenAt).some(listed([kept.lobby.code, spam.lobby.code]))).toBe(true),
    );
  });
});
