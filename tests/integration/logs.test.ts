import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode, PROTOCOL_VERSION, type Joined, type LobbyView } from '../../lib/protocol';
import { createLogger } from '../../server/logger';
import { Clients, createLobby, expectOk, joinByCode, joinByInvite, record } from '../helpers/lobby';
import { request, startTestServer, type TestServer } from '../helpers/server';

/** S12: what the server logs at its most verbose level, while players do everything, holds no secret. */
const lines: string[] = [];
const TURN_SECRET = 'log-test-turn-secret-0123456789';
let server: TestServer;
let clients: Clients;

beforeAll(async () => {
  const logger = createLogger('trace', { write: (line: string) => void lines.push(line) });
  server = await startTestServer({
    logger,
    env: { TURN_URLS: 'turn:127.0.0.1:3478', TURN_SECRET },
  });
  clients = new Clients(() => server.url);
});
afterAll(async () => {
  clients.closeAll();
  await server.close();
});

const FAKE_SDP = 'v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0';
const FAKE_CANDIDATE =
  'candidate:842163049 1 udp 1677729535 203.0.113.7 46154 typ srflx raddr 10.0.0.5 rport 46154';

describe('logs (S12)', () => {
  it('S12: logs hold no invite token, device key, TURN credential, SDP or candidate through create/join/kick/bad payloads', async () => {
    const host = await clients.connectWithSession();
    const guest = await clients.connectWithSession('forged.key-that-is-not-signed');
    const other = await clients.connectWithSession();
    const created: Joined = await createLobby(host.socket, { visibility: 'public' });
    const joined = expectOk(await joinByInvite(guest.socket, created.lobby.inviteToken));
    expectOk(await joinByCode(other.socket, created.lobby.code));
    const removed = record(guest.socket, 'lobby:removed');
    const hostStates = record<LobbyView>(host.socket, 'lobby:state');
    expectOk(await request(host.socket, 'lobby:kick', { playerId: joined.selfId, ban: true }));
    await removed.waitFor(() => true);
    // The ban replaced the invite token: the new one must stay out of the logs too.
    const rotated = (await hostStates.waitFor((v) => v.inviteToken !== created.lobby.inviteToken))
      .inviteToken;
    expect(await joinByInvite(guest.socket, rotated)).toEqual({ ok: false, error: ErrorCode.BANNED });

    // Bad payloads carrying secrets-to-be and signaling material, to handled and unknown events.
    const bad = {
      sdp: FAKE_SDP,
      candidate: FAKE_CANDIDATE,
      invite: created.lobby.inviteToken,
      deviceKey: host.deviceKey,
    };
    for (const event of ['lobby:create', 'lobby:join', 'lobby:kick', 'lobby:settings']) {
      expect(await request(other.socket, event, bad)).toEqual({
        ok: false,
        error: ErrorCode.INVALID_PAYLOAD,
      });
    }
    (other.socket as unknown as { emit(e: string, p: unknown): void }).emit('signal', bad);
    expect(
      await request(other.socket, 'lobby:join', { nickname: 'x', invite: 'B'.repeat(22) }),
    ).toMatchObject({ ok: false });
    // A handshake that carries a key in `auth`, refused for its version.
    const refused = clients.open({ protocolVersion: PROTOCOL_VERSION + 1, deviceKey: host.deviceKey });
    await new Promise<void>((resolve) => {
      refused.once('connect_error', () => resolve());
      refused.connect();
    });

    const text = lines.join('');
    expect(text).toContain('request refused'); // the capture works and the refusals were logged
    const secrets = [
      created.lobby.inviteToken,
      rotated,
      host.deviceKey,
      guest.deviceKey,
      other.deviceKey,
      'forged.key-that-is-not-signed',
      TURN_SECRET,
      ...[created, joined]
        .flatMap((j) => j.iceServers.flatMap((s) => [s.credential ?? '', s.username ?? '']))
        .filter(Boolean),
    ];
    for (const secret of secrets) expect(text).not.toContain(secret);
    expect(text).not.toMatch(/sdp|candidate|v=0|typ srflx/i);
  });
});
