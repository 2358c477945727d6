import { randomFillSync } from 'node:crypto';

/**
 * Random identifiers and tokens, base64url, from the CSPRNG in batches: `randomBytes(12)` per id is a
 * call into OpenSSL each time (a connect and join draws three or four), a 4 KB refill serves hundreds.
 * Every byte is handed out once.
 */
const POOL_BYTES = 4096;
const pool = Buffer.allocUnsafe(POOL_BYTES);
let offset = POOL_BYTES;

export function randomBase64url(bytes: number): string {
  if (bytes > POOL_BYTES) throw new RangeError(`at most ${POOL_BYTES} random bytes at a time`);
  if (offset + bytes > POOL_BYTES) {
    randomFillSync(pool);
    offset = 0;
  }
  const out = pool.toString('base64url', offset, offset + bytes);
  offset += bytes;
  return out;
}
