import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../lib/protocol';
import { MemoryLobbyStore } from '../../server/store/memory';
import { Clients, createLobby, expectOk, joinByInvite } from '../helpers/lobby';
import { request, startTestServer, type TestServer } from '../helpers/server';

let server: TestServer | null = null;
let clients: Clients | null = null;
afterEach(async () => {
  clients?.closeAll();
  await server?.close();
  server = clients = null;
});

async function start(store?: MemoryLobbyStore) {
  server = await startTestServer({ store });
  clients = new Clients(() => server!.url);
  return { server, clients };
}

/** Parses Prometheus text into `name{labels}` → value. */
async function scrape(url: string): Promise<Map<string, number>> {
  const res = await fetch(`${url}/metrics`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  const samples = new Map<string, number>();
  for (const line of (await res.text()).split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    samples.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return samples;
}

describe('/metrics', () => {
  it('with METRICS_TOKEN set, answers 401 without the bearer token and the metrics with it', async () => {
    const TOKEN = 'metrics-token-0123456789';
    server = await startTestServer({ env: { METRICS_TOKEN: TOKEN } });
    for (const authorization of [undefined, 'Bearer wrong-token-0123456789', TOKEN, `Bearer ${TOKEN}x`]) {
      const res = await fetch(`${server.url}/metrics`, { headers: authorization ? { authorization } : {} });
      expect(res.status, authorization).toBe(401);
      expect(await res.text()).toBe('');
    }
    const res = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('peerlobby_lobbies');
  });

  it('reports sockets, lobbies and members of this node', async () => {
    const { server, clients } = await start();
    const [a, b, c] = await Promise.all([clients.connect(), clients.connect(), clients.connect()]);
    const created = await createLobby(a!);
    expectOk(await joinByInvite(b!, created.lobby.inviteToken));
    await createLobby(c!);
    const m = await scrape(server.url);
    expect(m.get('peerlobby_connected_sockets')).toBe(3);
    expect(m.get('peerlobby_members')).toBe(3);
    expect(m.get('peerlobby_lobbies')).toBe(2);
    expect(m.get('peerlobby_heap_used_bytes')).toBeGreaterThan(0);
  });

  it('counts every refused request by its error code; other code can count signals and relay bytes', async () => {
    const { server, clients } = await start();
    const s = await clients.connect();
    const before = await scrape(server.url);
    expect(before.get(`peerlobby_rejections_total{reason="${ErrorCode.INVALID_PAYLOAD}"}`)).toBe(0);
    await request(s, 'lobby:create', { nope: true });
    await request(s, 'lobby:ready', { ready: true }); // NOT_IN_LOBBY
    await request(s, 'lobby:join', { nickname: 'X', code: 'ZZZZZZ' }); // NOT_FOUND
    server.app.metrics.signalsRelayed.inc();
    server.app.metrics.relayBytes.inc(1200);
    const after = await scrape(server.url);
    for (const reason of [ErrorCode.INVALID_PAYLOAD, ErrorCode.NOT_IN_LOBBY, ErrorCode.NOT_FOUND]) {
      expect(after.get(`peerlobby_rejections_total{reason="${reason}"}`)).toBe(1);
    }
    expect(after.get('peerlobby_signals_relayed_total')).toBe(1);
    expect(after.get('peerlobby_relay_bytes_total')).toBe(1200);
  });
});

describe('/healthz', () => {
  it('answers 503 with the store unreachable when its ping fails', async () => {
    class DownStore extends MemoryLobbyStore {
      up = true;
      async ping() {
        if (!this.up) throw new Error('store down');
      }
    }
    const store = new DownStore();
    const { server } = await start(store);
    expect(await (await fetch(`${server.url}/healthz`)).json()).toEqual({ status: 'ok', store: 'ok' });
    store.up = false;
    const res = await fetch(`${server.url}/healthz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ status: 'degraded', store: 'unreachable' });
  });
});
