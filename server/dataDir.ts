import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

/** What lives in DATA_DIR: the memory store's lobbies, and the session secret when none is configured. */
export const dataFiles = (dir: string) => ({
  lobbies: join(resolve(dir), 'lobbies.json'),
  sessionSecret: join(resolve(dir), 'session-secret'),
});

/**
 * The session secret kept across restarts: device keys signed before a restart still verify after it
 * (bans by device hold). Made once, readable by this user only.
 */
export async function persistedSessionSecret(dir: string): Promise<string> {
  const file = dataFiles(dir).sessionSecret;
  try {
    const saved = (await readFile(file, 'utf8')).trim();
    if (/^[0-9a-f]{64}$/.test(saved)) return saved;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const secret = randomBytes(32).toString('hex');
  await mkdir(resolve(dir), { recursive: true, mode: 0o700 });
  await writeFile(file, secret, { mode: 0o600 });
  return secret;
}
