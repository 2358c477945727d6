import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Lobby } from '../lobby/types';
import { CorruptLobbyRecordError, parseLobbyRecord } from './lobbyRecord';

/**
 * The memory store's lobbies on disk, so a restart (deploy, crash, `kill -9`) does not end them. Written
 * whole, to a temporary file renamed over the old one: a crash mid-write leaves the previous file intact.
 */
interface LobbyFileContents {
  format: 1;
  savedAt: number;
  lobbies: Lobby[];
}

export async function writeLobbyFile(file: string, lobbies: Lobby[], now = Date.now()): Promise<void> {
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  const contents: LobbyFileContents = { format: 1, savedAt: now, lobbies };
  // Invite and resume secrets are in here: readable by this user only.
  await writeFile(tmp, JSON.stringify(contents), { mode: 0o600 });
  await rename(tmp, file);
}

/**
 * The lobbies saved in `file`; none when there is no file. Each lobby is parsed like any other stored
 * record (LobbyRecord): one that does not parse is skipped, reported through `onSkip`.
 */
export async function readLobbyFile(
  file: string,
  onSkip: (reason: string) => void = () => undefined,
): Promise<Lobby[]> {
  let raw: string;
  try {
    raw = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    onSkip('the lobby file is not JSON');
    return [];
  }
  const list = (parsed as Partial<LobbyFileContents> | null)?.lobbies;
  if ((parsed as Partial<LobbyFileContents> | null)?.format !== 1 || !Array.isArray(list)) {
    onSkip('the lobby file has an unknown format');
    return [];
  }
  const lobbies: Lobby[] = [];
  for (const item of list) {
    try {
      lobbies.push(parseLobbyRecord(JSON.stringify(item)));
    } catch (err) {
      if (!(err instanceof CorruptLobbyRecordError)) throw err;
      onSkip('a saved lobby does not match the schema');
    }
  }
  return lobbies;
}
