import { afterEach, describe, expect, it } from 'vitest';
import { MAX_SIGNAL_BYTES, PROTOCOL_VERSION } from '../../lib/protocol';
import { GODOT_SEAL_CLOSE_MS_DEFAULT, loadConfig } from '../../server/config';
import { createLogger } from '../../server/logger';
import { GodotTestClient, T } from '../helpers/godotClient';
import { connectClient, startTestServer, type TestServer } from '../helpers/server';

/**
 * The Godot endpoint draws on the socket side's budgets and caps (same address counts, same limiters),
 * logs no SDP, candidates or lobby secrets, and ends a sealed lobby after the demo's 10 s by default.
 */
let servers: TestServer[] = [];
let open: GodotTestClient[] = [];
afterEach(async () => {
  open.forEach((c) => c.close());
  open = [];
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

async function serve(opts: Parameters<typeof startTestServer>[0] = {}) {
  const s = await startTestServer(opts);
  servers.push(s);
  return s;
}
async function client(s: TestServer, query = '') {
  const c = await GodotTestClient.connect(s.url, 4, query);
  open.push(c);
  return c;
}
const SDP = 'v=0\r\no=- 5 2 IN IP4 127.0.0.1\r\ns=-\r\n';

describe('Godot endpoint limits', () => {
  it('shares the per-address connection cap with socket.io: past it the upgrade is refused (429)', async () => {
    const s = await serve({ limits: { maxConnectionsPerIp: 2 } });
    const sock = await connectClient(s.url, { protocolVersion: PROTOCOL_VERSION });
    const first = await client(s);
    await expect(GodotTestClient.connect(s.url, 4)).rejects.toMatchObject({ status: 429 });
    first.close();
    await first.closed;
    // The slot comes back when the connection closes.
    await expect
      .poll(
        async () =>
          await GodotTestClient.connect(s.url, 4).then(
            (c) => (open.push(c), true),
            () => false,
          ),
      )
      .toBe(true);
    sock.close();
  });

  it('charges relays to the signal budget: past it the sender is closed RATE_LIMITED and nothing more is relayed', async () => {
    const s = await serve({ env: { SIGNAL_RATE_PER_10S: '10' } });
    const a = await client(s);
    const { lobby } = await a.join();
    const b = await client(s);
    await b.join(lobby);
    for (let i = 0; i < 12; i++) b.offer(1, `${SDP}a=n:${i}\r\n`);
    expect(await b.closed).toEqual({ code: 4000, reason: 'RATE_LIMITED: Too many messages' });
    await a.nextOf(T.PEER_DISCONNECT);
    expect(a.received.filter((m) => m.type === T.OFFER)).toHaveLength(10);
  });

  it('spends the failed-join budget on wrong codes: then even a right code is refused for a while', async () => {
    const s = await serve({ limits: { failedJoinPoints: 2 } });
    const host = await client(s);
    const { lobby } = await host.join();
    for (const wrong of ['ZZZZZZ', 'not-a-lobby']) {
      const c = await client(s);
      c.send(T.JOIN, 0, wrong);
      expect((await c.closed).reason).toBe('NOT_FOUND: Lobby does not exists');
    }
    const right = await client(s);
    right.send(T.JOIN, 0, lobby);
    expect((await right.closed).reason).toBe('RATE_LIMITED: Slow down');
  });

  it('applies the lobby quota per address, and the lobby size (?max=2)', async () => {
    const s = await serve({ limits: { maxLobbiesPerAddress: 1 } });
    const a = await client(s, '?max=2');
    const { lobby } = await a.join();
    const second = await client(s);
    second.send(T.JOIN, 0, '');
    expect((await second.closed).reason).toBe('TOO_MANY_LOBBIES: Too many lobbies open, disconnecting');
    const b = await client(s);
    await b.join(lobby);
    const c = await client(s);
    c.send(T.JOIN, 0, lobby);
    expect((await c.closed).reason).toBe('FULL: Lobby is full');
  });

  it('refuses an oversized signal (TOO_LARGE) and an oversized frame (1009)', async () => {
    const s = await serve();
    const a = await client(s);
    const { lobby } = await a.join();
    const b = await client(s);
    await b.join(lobby);
    b.offer(1, 'v'.repeat(MAX_SIGNAL_BYTES + 1));
    expect((await b.closed).reason).toBe('TOO_LARGE: Message too large');
    const c = await client(s);
    await c.join(lobby);
    c.offer(1, 'v'.repeat(64 * 1024));
    expect((await c.closed).code).toBe(1009);
    expect(a.received.some((m) => m.type === T.OFFER)).toBe(false);
  });

  it('logs joins and refusals but never SDP, candidates, codes or invite tokens', async () => {
    const lines: string[] = [];
    const s = await serve({
      logger: createLogger('trace', { write: (line: string) => void lines.push(line) }),
    });
    const a = await client(s, '?visibility=private');
    const { lobby: invite } = await a.join();
    const b = await client(s);
    const { id } = await b.join(invite);
    const marker = 'o=- 918273645 2 IN IP4 198.51.100.77';
    b.offer(1, `v=0\r\n${marker}\r\n`);
    await a.nextOf(T.OFFER);
    a.candidate(id, '0', 0, 'candidate:77 1 UDP 1 198.51.100.77 5000 typ host');
    await b.nextOf(T.CANDIDATE);
    a.seal();
    await b.nextOf(T.SEAL);
    b.offer(424242, SDP); // refused
    await b.closed;
    const text = lines.join('');
    expect(text).toContain('godot peer joined');
    expect(text).toContain('godot lobby sealed');
    expect(text).toContain('godot request refused');
    for (const secret of ['198.51.100.77', '918273645', invite]) expect(text).not.toContain(secret);
  });
});

describe('Godot seal grace', () => {
  it(
    'defaults to the demo’s 10 s: the wiring from the config to the endpoint holds the lobby that long',
    { timeout: 30_000 },
    async () => {
      expect(GODOT_SEAL_CLOSE_MS_DEFAULT).toBe(10_000);
      expect(loadConfig({ NODE_ENV: 'test' }).godotSealCloseMs).toBe(10_000);
      const s = await serve(); // no GODOT_SEAL_CLOSE_MS: the default
      const a = await client(s);
      await a.join();
      a.seal();
      await a.nextOf(T.SEAL);
      const sealedAt = Date.now();
      expect(await a.closed).toEqual({ code: 1000, reason: 'Seal complete' });
      expect(Date.now() - sealedAt).toBeGreaterThanOrEqual(9_900);
    },
  );
});
