import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectClient, request, startTestServer, type TestServer } from '../helpers/server';
import type { Joined } from '../../lib/protocol';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

describe('smoke', () => {
  it('creates a lobby and a second client joins by code', async () => {
    const a = await connectClient(server.url);
    const b = await connectClient(server.url);
    const created = await request<Joined>(a, 'lobby:create', { nickname: 'Ann', name: 'Room', visibility: 'public' });
    expect(created.ok).toBe(true);
    if (!created.ok) return;
    const joined = await request<Joined>(b, 'lobby:join', { nickname: 'Bob', code: created.data.lobby.code.toLowerCase() });
    expect(joined.ok && joined.data.lobby.members.map((m) => m.nickname)).toEqual(['Ann', 'Bob']);
    a.close();
    b.close();
  });
});
