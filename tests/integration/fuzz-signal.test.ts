import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Joined } from '../../lib/protocol';
import { connectClient, nextEvent, request, startTestServer, type TestServer } from '../helpers/server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

const RUNS = 300;

describe('S3: signal and relay are fuzz-safe', () => {
  it('arbitrary signal/relay payloads from a member are rejected or ignored, reach no one, and the server stays up', async () => {
    const a = await connectClient(server.url);
    const b = await connectClient(server.url);
    const created = await request<Joined>(a, 'lobby:create', {
      nickname: 'A',
      name: 'Fuzz',
      visibility: 'private',
    });
    if (!created.ok) throw new Error(created.error);
    const joined = await request<Joined>(b, 'lobby:join', {
      nickname: 'B',
      invite: created.data.lobby.inviteToken,
    });
    if (!joined.ok) throw new Error(joined.error);
    const bId = joined.data.selfId;
    const delivered: unknown[] = [];
    b.on('signal', (m) => delivered.push(m));
    b.on('relay', (m) => delivered.push(m));

    const payload = fc.oneof(
      // At most one binary part per packet: more closes the connection by design (binary-parts.test.ts).
      fc.anything({ maxDepth: 4, withNullPrototype: true }),
      // Near-valid: the right target with a broken signal, or a forged sender.
      fc.record({
        to: fc.constant(bId),
        negotiationId: fc.anything(),
        signal: fc.anything(),
        from: fc.string(),
      }),
      fc.record({
        to: fc.oneof(fc.constant(bId), fc.string()),
        data: fc.oneof(fc.anything(), fc.uint8Array({ minLength: 16_385, maxLength: 17_000 })),
      }),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('signal', 'relay'), payload, async (event, p) => {
        (a as unknown as { emit(e: string, p: unknown): void }).emit(event, p);
      }),
      { numRuns: RUNS },
    );
    // Everything sent before this marker was handled before it (one ordered connection): a valid signal
    // from A must be the first thing B receives.
    const marker = nextEvent<{ from: string; negotiationId: number }>(b, 'signal');
    a.emit('signal', {
      to: bId,
      negotiationId: 424242,
      signal: {
        type: 'candidate',
        candidate: { candidate: 'candidate:1 1 udp 1 127.0.0.1 9 typ host', sdpMid: '0', sdpMLineIndex: 0 },
      },
    });
    const first = await marker;
    expect(first.negotiationId).toBe(424242);
    expect(first.from).toBe(created.data.selfId);
    expect(delivered).toHaveLength(1);
    // Still up, still serving lobby commands.
    expect((await request(a, 'lobby:ready', { ready: true })).ok).toBe(true);
    a.close();
    b.close();
  });
});
