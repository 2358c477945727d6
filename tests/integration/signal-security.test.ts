import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  MAX_RELAY_BYTES,
  MAX_SIGNAL_BYTES,
  PROTOCOL_VERSION,
  SIGNAL_RATE_POINTS,
  type Joined,
  type SignalError,
  type SignalMessage,
} from '../../lib/protocol';
import { io } from 'socket.io-client';
import type { ClientSocket } from '../../lib/client/LobbyClient';
import { connectClient, nextEvent, request, startTestServer, type TestServer } from '../helpers/server';

let server: TestServer;
const sockets: ClientSocket[] = [];
beforeAll(async () => {
  server = await startTestServer();
});
afterEach(() => {
  for (const s of sockets.splice(0)) s.close();
});
afterAll(() => server.close());

interface Player {
  socket: ClientSocket;
  id: string;
  code: string;
  lobbyId: string;
  /** The seat's resume token. */
  token: string;
  signals: SignalMessage[];
  relays: { from: string; data: Uint8Array }[];
  errors: SignalError[];
}

/** Nicknames are unique within a lobby: each player gets its own unless a test names it. */
let players = 0;
/**
 * `p`'s seat taken back on a new connection with its resume token; resolves once the server has
 * answered the resume and closed the replaced connection.
 */
async function resumeElsewhere(p: Player, url = server.url): Promise<ClientSocket> {
  const oldGone = nextEvent<string>(p.socket, 'disconnect');
  const fresh: ClientSocket = io(url, {
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    auth: {
      protocolVersion: PROTOCOL_VERSION,
      resume: { lobbyId: p.lobbyId, playerId: p.id, token: p.token },
    },
  });
  sockets.push(fresh);
  await nextEvent(fresh, 'lobby:resumed');
  expect(await oldGone).toBe('io server disconnect');
  return fresh;
}

async function player(code: string | null, nickname = `P${++players}`, url = server.url): Promise<Player> {
  const socket = await connectClient(url);
  sockets.push(socket);
  const result = code
    ? await request<Joined>(socket, 'lobby:join', { nickname, code })
    : await request<Joined>(socket, 'lobby:create', { nickname, name: 'Room', visibility: 'public' });
  if (!result.ok) throw new Error(result.error);
  const p: Player = {
    socket,
    id: result.data.selfId,
    code: result.data.lobby.code,
    lobbyId: result.data.lobby.id,
    token: result.data.resumeToken,
    signals: [],
    relays: [],
    errors: [],
  };
  socket.on('signal', (m) => p.signals.push(m));
  socket.on('relay', (m) => p.relays.push({ from: m.from, data: new Uint8Array(m.data as ArrayBuffer) }));
  socket.on('signal:error', (e) => p.errors.push(e));
  return p;
}

const candidate = (n: number) => ({
  type: 'candidate' as const,
  candidate: {
    candidate: `candidate:${n} 1 udp 2122260223 127.0.0.1 5000${n % 10} typ host`,
    sdpMid: '0',
    sdpMLineIndex: 0,
  },
});
const offer = {
  type: 'description' as const,
  description: { type: 'offer' as const, sdp: 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n' },
};

const emit = (s: ClientSocket, event: 'signal' | 'relay', payload: unknown) =>
  (s as unknown as { emit(e: string, p: unknown): void }).emit(event, payload);

/** An error event for `event`, or a timeout. */
const errorFor = (p: Player, event: 'signal' | 'relay') =>
  nextEvent<SignalError>(p.socket, 'signal:error', (e) => e.event === event);

/**
 * Proves "nothing was delivered" without sleeping: socket.io keeps per-connection order, so once a
 * valid marker sent after the bad payload arrives, the bad one would have arrived before it.
 */
async function markerArrives(from: Player, to: Player) {
  const marker = {
    ...candidate(999),
    candidate: { ...candidate(999).candidate, candidate: 'candidate:marker' },
  };
  const got = nextEvent<SignalMessage>(
    to.socket,
    'signal',
    (m) => m.signal.type === 'candidate' && m.signal.candidate.candidate === 'candidate:marker',
  );
  emit(from.socket, 'signal', { to: to.id, negotiationId: 1, signal: marker });
  await got;
}

describe('signal and relay security', () => {
  it('forwards a signal inside the lobby untouched, stamped with the server-known sender', async () => {
    const a = await player(null);
    const b = await player(a.code);
    const got = nextEvent<SignalMessage>(b.socket, 'signal');
    emit(a.socket, 'signal', { to: b.id, negotiationId: 7, signal: offer });
    expect(await got).toEqual({ from: a.id, negotiationId: 7, signal: offer });
  });

  it('ignores a forged from: the receiver sees the server-stamped sender', async () => {
    const a = await player(null);
    const b = await player(a.code);
    const c = await player(a.code);
    const got = nextEvent<SignalMessage>(b.socket, 'signal');
    emit(a.socket, 'signal', { to: b.id, from: c.id, negotiationId: 1, signal: offer });
    const message = await got;
    expect(message.from).toBe(a.id);
    expect(message).not.toHaveProperty('extra');
    const relayed = nextEvent<{ from: string }>(b.socket, 'relay');
    emit(a.socket, 'relay', { to: b.id, from: c.id, data: new Uint8Array([5, 1]) });
    expect((await relayed).from).toBe(a.id);
  });

  it('a member of another lobby cannot signal or relay into this one', async () => {
    const a = await player(null);
    const b = await player(a.code);
    const outsider = await player(null);
    const signalError = errorFor(outsider, 'signal');
    emit(outsider.socket, 'signal', { to: b.id, negotiationId: 1, signal: offer });
    expect(await signalError).toEqual({ event: 'signal', code: 'PEER_NOT_FOUND', to: b.id });
    const relayError = errorFor(outsider, 'relay');
    emit(outsider.socket, 'relay', { to: b.id, data: new Uint8Array([1]) });
    expect(await relayError).toMatchObject({ event: 'relay', code: 'PEER_NOT_FOUND' });
    await markerArrives(a, b);
    expect(b.signals.filter((m) => m.from === outsider.id)).toEqual([]);
    expect(b.relays).toEqual([]);
  });

  it('a socket in no lobby gets NOT_IN_LOBBY', async () => {
    const a = await player(null);
    const lonely = await connectClient(server.url);
    sockets.push(lonely);
    const error = nextEvent<SignalError>(lonely, 'signal:error');
    emit(lonely, 'signal', { to: a.id, negotiationId: 1, signal: offer });
    expect(await error).toEqual({ event: 'signal', code: 'NOT_IN_LOBBY' });
  });

  it('a seat taken back on a new connection gets the signals there; the replaced connection gets none', async () => {
    // Seats held on a lost connection (as in production), so the replaced connection's drop keeps the seat.
    const held = await startTestServer({ env: { SEAT_GRACE_MS: '30000' } });
    try {
      const a = await player(null, undefined, held.url);
      const b = await player(a.code, undefined, held.url);
      const fresh = await resumeElsewhere(b, held.url);
      const got = nextEvent<SignalMessage>(fresh, 'signal');
      emit(a.socket, 'signal', { to: b.id, negotiationId: 3, signal: offer });
      expect(await got).toEqual({ from: a.id, negotiationId: 3, signal: offer });
      expect(b.signals).toEqual([]);
    } finally {
      for (const s of sockets.splice(0)) s.close();
      await held.close();
    }
  });

  it('with no seat grace, the replaced connection going away does not take the resumed seat with it', async () => {
    const a = await player(null);
    const b = await player(a.code);
    const fresh = await resumeElsewhere(b);
    // The old connection's disconnect has been handled by now (it ran before the resume was answered).
    const ready = await request(fresh, 'lobby:ready', { ready: true });
    expect(ready.ok).toBe(true);
    const got = nextEvent<SignalMessage>(fresh, 'signal');
    emit(a.socket, 'signal', { to: b.id, negotiationId: 4, signal: offer });
    expect(await got).toEqual({ from: a.id, negotiationId: 4, signal: offer });
  });

  it('a member who left can no longer signal the lobby', async () => {
    const a = await player(null);
    const b = await player(a.code);
    expect((await request(a.socket, 'lobby:leave', {})).ok).toBe(true);
    const error = errorFor(a, 'signal');
    emit(a.socket, 'signal', { to: b.id, negotiationId: 1, signal: offer });
    expect((await error).code).toBe('NOT_IN_LOBBY');
  });

  it('rejects oversized and malformed signals and relays, delivering them to no one', async () => {
    const a = await player(null);
    const b = await player(a.code);
    const bad: [event: 'signal' | 'relay', payload: unknown, code: string][] = [
      [
        'signal',
        {
          to: b.id,
          negotiationId: 1,
          signal: {
            type: 'description',
            description: { type: 'offer', sdp: 'x'.repeat(MAX_SIGNAL_BYTES + 1) },
          },
        },
        'TOO_LARGE',
      ],
      [
        'signal',
        {
          to: b.id,
          negotiationId: 1,
          signal: { type: 'description', description: { type: 'rollback', sdp: '' } },
        },
        'INVALID_PAYLOAD',
      ],
      ['signal', { to: b.id, negotiationId: -1, signal: offer }, 'INVALID_PAYLOAD'],
      ['signal', { to: b.id, negotiationId: 1.5, signal: offer }, 'INVALID_PAYLOAD'],
      [
        'signal',
        { to: b.id, negotiationId: 1, signal: { type: 'candidate', candidate: { candidate: 1 } } },
        'INVALID_PAYLOAD',
      ],
      ['signal', { to: b.id, negotiationId: 1, signal: { ...offer, evil: true } }, 'INVALID_PAYLOAD'],
      ['signal', { to: '../../etc', negotiationId: 1, signal: offer }, 'INVALID_PAYLOAD'],
      ['signal', { to: { $ne: null }, negotiationId: 1, signal: offer }, 'INVALID_PAYLOAD'],
      ['signal', 'just a string', 'INVALID_PAYLOAD'],
      ['signal', null, 'INVALID_PAYLOAD'],
      ['signal', { __proto__: { to: b.id }, negotiationId: 1, signal: offer }, 'INVALID_PAYLOAD'],
      ['signal', { to: a.id, negotiationId: 1, signal: offer }, 'PEER_NOT_FOUND'],
      ['relay', { to: b.id, data: new Uint8Array(MAX_RELAY_BYTES + 1) }, 'TOO_LARGE'],
      ['relay', { to: b.id, data: 'text is not a frame' }, 'INVALID_PAYLOAD'],
      ['relay', { to: b.id, data: new Uint8Array(0) }, 'INVALID_PAYLOAD'],
      ['relay', { to: b.id }, 'INVALID_PAYLOAD'],
    ];
    for (const [event, payload, code] of bad) {
      const error = errorFor(a, event);
      emit(a.socket, event, payload);
      expect((await error).code, JSON.stringify(payload)?.slice(0, 80)).toBe(code);
    }
    await markerArrives(a, b);
    expect(b.signals.map((m) => m.signal.type === 'candidate' && m.signal.candidate.candidate)).toEqual([
      'candidate:marker',
    ]);
    expect(b.relays).toEqual([]);
    expect(a.signals).toEqual([]);
  });

  it('a flood gets RATE_LIMITED and the target receives at most the burst', async () => {
    const a = await player(null);
    const b = await player(a.code);
    const flood = SIGNAL_RATE_POINTS * 2;
    const limited = errorFor(a, 'signal');
    for (let i = 0; i < flood; i++)
      emit(a.socket, 'signal', { to: b.id, negotiationId: 1, signal: candidate(i) });
    expect(await limited).toEqual({ event: 'signal', code: 'RATE_LIMITED', to: b.id });
    // Everything the server accepted arrives before anything sent later; a second lobby member's
    // marker cannot be used (it has its own budget) so wait on b's own count via a round trip to b.
    const c = await player(a.code);
    await markerArrives(c, b);
    const fromA = b.signals.filter((m) => m.from === a.id);
    expect(fromA.length).toBe(SIGNAL_RATE_POINTS);
    // In order, none twice.
    expect(fromA.map((m) => (m.signal.type === 'candidate' ? m.signal.candidate.candidate : ''))).toEqual(
      Array.from({ length: SIGNAL_RATE_POINTS }, (_, i) => candidate(i).candidate.candidate),
    );
  });
});
