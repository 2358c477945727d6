import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server';

/**
 * The real engine: Debian's godot3-server (Godot 3.2, headless) runs tests/godot/signaling_client.gd,
 * which speaks the demo's Godot 3 line protocol with the engine's own WebSocketClient. Two engine
 * processes meet in a PeerLobby lobby, exchange OFFER/ANSWER/CANDIDATE lines through it, and the
 * creator seals it.
 */
const GODOT_BIN = process.env.GODOT3_BIN ?? 'godot3-server';
const PROJECT = resolve(__dirname, '../godot');
const SEAL_CLOSE_MS = 500;

let server: TestServer;
const engines: ChildProcess[] = [];

beforeAll(async () => {
  const probe = spawnSync(GODOT_BIN, ['--version'], { encoding: 'utf8' });
  if (probe.error)
    throw new Error(
      `${GODOT_BIN} not found (${probe.error.message}). Install it: apt-get install -y godot3-server`,
    );
  server = await startTestServer({ env: { GODOT_SEAL_CLOSE_MS: String(SEAL_CLOSE_MS) } });
});
afterAll(async () => {
  for (const e of engines) if (e.exitCode === null) e.kill('SIGKILL');
  await server?.close();
});

interface Engine {
  lines: string[];
  /** Resolves with the first output line matching, rejects if the engine exits first. */
  line(re: RegExp): Promise<RegExpMatchArray>;
  exited: Promise<number | null>;
}

function engine(env: Record<string, string>): Engine {
  const proc = spawn(GODOT_BIN, ['--path', PROJECT, '-s', 'signaling_client.gd'], {
    env: { ...process.env, GODOT_URL: `${server.url.replace(/^http/, 'ws')}/godot`, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  engines.push(proc);
  const lines: string[] = [];
  const waiters: { re: RegExp; resolve: (m: RegExpMatchArray) => void }[] = [];
  let buf = '';
  proc.stdout!.on('data', (chunk: Buffer) => {
    buf += chunk.toString();
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl).trimEnd();
      buf = buf.slice(nl + 1);
      lines.push(line);
      for (const w of [...waiters]) {
        const m = line.match(w.re);
        if (m) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(m);
        }
      }
    }
  });
  proc.stderr!.resume();
  const exited = new Promise<number | null>((res) => proc.once('exit', (code) => res(code)));
  return {
    lines,
    exited,
    line(re) {
      const found = lines.map((l) => l.match(re)).find(Boolean);
      if (found) return Promise.resolve(found);
      return new Promise((res, rej) => {
        waiters.push({ re, resolve: res });
        void exited.then((code) =>
          rej(new Error(`engine exited (${code}) before ${re}; output:\n${lines.join('\n')}`)),
        );
      });
    },
  };
}

describe('Godot 3.2 engine (godot3-server) over the Godot 3 protocol', { timeout: 60_000 }, () => {
  it('two engines join one lobby, get ids and peer notices, relay OFFER/ANSWER/CANDIDATE, and the creator seals', async () => {
    const host = engine({ GODOT_LOBBY: '', GODOT_SEAL: '1' });
    expect((await host.line(/^ID (\d+)$/))[1]).toBe('1');
    const code = (await host.line(/^LOBBY (\S+)$/))[1]!;
    expect(code).toMatch(/^[A-Z2-9]{6}$/);

    const guest = engine({ GODOT_LOBBY: code });
    const guestId = Number((await guest.line(/^ID (\d+)$/))[1]);
    expect(guestId).toBeGreaterThan(1);
    await guest.line(/^PEER_CONNECTED 1$/);
    expect((await guest.line(/^LOBBY (\S+)$/))[1]).toBe(code);
    await host.line(new RegExp(`^PEER_CONNECTED ${guestId}$`));

    // Host (lower id) offers; the guest gets it from sender 1 and answers; candidates both ways.
    await guest.line(/^OFFER 1 v=0 offer from 1$/);
    await host.line(new RegExp(`^ANSWER ${guestId} v=0 answer from ${guestId}$`));
    await host.line(
      new RegExp(`^CANDIDATE ${guestId} 0 0 candidate:1 1 UDP 1 127\\.0\\.0\\.1 \\d+ typ host$`),
    );
    await guest.line(/^CANDIDATE 1 0 0 candidate:1 1 UDP 1 127\.0\.0\.1 9001 typ host$/);

    // The host seals once it has the answer and a candidate: both hear it, then the lobby ends.
    await host.line(/^SEALED$/);
    await guest.line(/^SEALED$/);
    await host.line(/^CLOSE_REQUEST 1000 Seal complete$/);
    await guest.line(/^CLOSE_REQUEST 1000 Seal complete$/);
    expect(await host.exited).toBe(0);
    expect(await guest.exited).toBe(0);
    expect(host.lines).not.toContain('BAD_CANDIDATE');
    expect(guest.lines).not.toContain('BAD_CANDIDATE');
  });
});
