import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../lib/protocol';
import { MAX_BINARY_ATTACHMENTS } from '../../server/socket/parser';
import { expectOk, newPlayer, serverPerFile } from '../helpers/lobby';
import { request } from '../helpers/server';

/**
 * S2 for binary packets: each binary part is its own engine.io message under the size cap, so the
 * number of parts is bounded too (server/socket/parser.ts).
 */
const ctx = serverPerFile();
const PART = Buffer.alloc(32 * 1024, 1);

describe('binary parts (S2)', () => {
  it('S2: a packet with one binary part is parsed (and refused by the schema); the socket stays', async () => {
    const p = await newPlayer(ctx.clients);
    expect(await request(p.socket, 'lobby:create', { nickname: PART })).toEqual({
      ok: false,
      error: ErrorCode.INVALID_PAYLOAD,
    });
    expectOk(await request(p.socket, 'browser:watch', { watch: false }));
  });

  it('S2: a packet announcing more binary parts than allowed closes the sender’s socket', async () => {
    const p = await newPlayer(ctx.clients);
    const closed = new Promise<string>((resolve) => p.socket.once('disconnect', resolve));
    const parts = Array.from({ length: MAX_BINARY_ATTACHMENTS + 1 }, () => PART);
    (p.socket as unknown as { emit(e: string, ...a: unknown[]): void }).emit(
      'lobby:create',
      { parts },
      () => {},
    );
    expect(await closed).toBe('transport close');
    // Nothing was stored and the server serves others.
    expect(ctx.store.inserts).toBe(0);
    const q = await newPlayer(ctx.clients);
    expectOk(await request(q.socket, 'browser:watch', { watch: false }));
  });
});
