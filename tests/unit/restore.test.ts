import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { restoredAfterRestart } from '../../server/lobby/restore';
import { readLobbyFile, writeLobbyFile } from '../../server/store/lobbyFile';
import { T0, lobbyWith, must } from './fixtures';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
const tmpFile = () => {
  const dir = mkdtempSync(join(tmpdir(), 'peerlobby-restore-'));
  dirs.push(dir);
  return join(dir, 'lobbies.json');
};

describe('lobbies read back after a restart', () => {
  it('every member holds a dropped seat from now, tokens kept; the host is who held the role before the shutdown', () => {
    let lobby = lobbyWith(['a']);
    const host = lobby.hostId;
    // A graceful shutdown drops the host first: the role went to the stand-in, with a handback.
    lobby = must(lobby, { type: 'drop', playerId: host, connectionId: '', now: T0 + 5 });
    expect(lobby.hostId).not.toBe(host);
    const back = restoredAfterRestart(lobby, T0 + 99);
    expect(back.hostId).toBe(host);
    expect(back.hostHandback).toBeNull();
    expect(back.members.map((m) => m.presence)).toEqual([
      { kind: 'dropped', since: T0 + 99 },
      { kind: 'dropped', since: T0 + 99 },
    ]);
    expect(back.members.map((m) => m.resumeHash)).toEqual(lobby.members.map((m) => m.resumeHash));
    expect(back.version).toBe(lobby.version + 1);
  });

  it('the file round-trips; a lobby that does not parse is skipped and reported, the others kept', async () => {
    const file = tmpFile();
    const good = lobbyWith(['a']);
    await writeLobbyFile(file, [good]);
    expect(await readLobbyFile(file)).toEqual([good]);
    writeFileSync(
      file,
      JSON.stringify({ format: 1, savedAt: 0, lobbies: [{ id: 'forged', members: 'all of them' }, good] }),
    );
    const skipped: string[] = [];
    expect(await readLobbyFile(file, (r) => skipped.push(r))).toEqual([good]);
    expect(skipped).toHaveLength(1);
    writeFileSync(file, 'not json');
    expect(await readLobbyFile(file, (r) => skipped.push(r))).toEqual([]);
    expect(await readLobbyFile(join(file, '..', 'missing.json'))).toEqual([]);
  });
});
