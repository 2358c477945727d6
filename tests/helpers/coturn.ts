import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Coturn {
  /** `turn:127.0.0.1:<port>` */
  url: string;
  port: number;
  secret: string;
  /** Everything coturn has logged so far (it logs to stdout here). */
  log(): string;
  /**
   * Resolves once coturn has logged a line matching `pattern` (its log trails its replies a little);
   * `since`: only in what it logged after that many characters (a `log().length` taken earlier).
   */
  waitForLog(pattern: RegExp, timeoutMs?: number, since?: number): Promise<void>;
  stop(): Promise<void>;
}

const TURNSERVER = 'turnserver';
/** Where coturn's relayed addresses live (its listener is on 127.0.0.1). */
export const COTURN_RELAY_IP = '127.0.0.2';
const START_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 5_000;
const LOG_WAIT_TIMEOUT_MS = 5_000;
/** coturn logs this per listener once it accepts requests. */
const listening = (ip: string) =>
  new RegExp(`UDP listener opened on\\s*:\\s*${ip.replace(/\./g, '\\.')}:(\\d+)`);

/** A free TCP port on loopback (coturn listens on both TCP and UDP on it; UDP is checked by coturn itself). */
async function freePort(): Promise<number> {
  const srv = createServer();
  srv.listen(0, '127.0.0.1');
  await once(srv, 'listening');
  const { port } = srv.address() as { port: number };
  srv.close();
  await once(srv, 'close');
  return port;
}

function assertInstalled(binary: string) {
  const probe = spawnSync(binary, ['--version'], { encoding: 'utf8' });
  if (probe.error) {
    throw new Error(
      `coturn's \`${binary}\` binary was not found (${probe.error.message}). Install it: apt-get install -y coturn`,
    );
  }
}

/**
 * Starts a real coturn on loopback with TURN REST auth (`use-auth-secret`) and resolves once its UDP
 * listener is open. Test-only settings: `allow-loopback-peers` (both peers live on 127.0.0.1), no TLS.
 * A production config denies loopback and private peers: see docs/coturn.md.
 */
export async function startCoturn(
  opts: { secret?: string; binary?: string; listenIp?: string; relayIp?: string } = {},
): Promise<Coturn> {
  // The NAT lab puts coturn on its internet address (listener and relays on one real interface).
  const {
    secret = 'test-turn-secret-0123456789',
    binary = TURNSERVER,
    listenIp = '127.0.0.1',
    relayIp = COTURN_RELAY_IP,
  } = opts;
  const loopback = listenIp.startsWith('127.');
  assertInstalled(binary);
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'peerlobby-coturn-'));
  const args = [
    '-v', // verbose: logs "UDP listener opened", which is how we know it is ready, and each allocation
    '-n', // no config file: /etc/turnserver.conf must not leak into the test
    `--listening-port=${port}`,
    `--listening-ip=${listenIp}`,
    // Relayed addresses on another loopback IP than the listener: a peer's host socket (127.0.0.1) then has
    // no permission on the other's allocation, as on a real network, so only relay-to-relay pairs work.
    `--relay-ip=${relayIp}`,
    '--use-auth-secret',
    `--static-auth-secret=${secret}`,
    '--realm=peerlobby.test',
    '--no-tls',
    '--no-dtls',
    ...(loopback ? ['--allow-loopback-peers'] : []),
    '--no-cli',
    '--no-rfc5780',
    '--no-stun-backward-compatibility',
    '--log-file=stdout',
    '--simple-log',
    `--pidfile=${join(dir, 'turnserver.pid')}`,
    `--userdb=${join(dir, 'turndb')}`,
  ];
  const child: ChildProcess = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const append = (chunk: Buffer) => (output += chunk.toString());
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);

  const cleanup = () => rmSync(dir, { recursive: true, force: true });
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => done(new Error(`coturn did not listen within ${START_TIMEOUT_MS} ms:\n${output}`)),
        START_TIMEOUT_MS,
      );
      const check = () => {
        const m = listening(listenIp).exec(output);
        if (m && Number(m[1]) === port) done();
      };
      const onExit = (code: number | null) =>
        done(new Error(`coturn exited with ${code} before listening:\n${output}`));
      function done(err?: Error) {
        clearTimeout(timer);
        child.stdout?.off('data', check);
        child.off('exit', onExit);
        if (err) reject(err);
        else resolve();
      }
      child.stdout?.on('data', check);
      child.once('exit', onExit);
      check();
    });
  } catch (err) {
    child.kill('SIGKILL');
    cleanup();
    throw err;
  }

  return {
    url: `turn:${listenIp}:${port}`,
    port,
    secret,
    log: () => output,
    waitForLog(pattern, timeoutMs = LOG_WAIT_TIMEOUT_MS, since = 0) {
      return new Promise<void>((resolve, reject) => {
        const check = () => {
          if (!pattern.test(output.slice(since))) return;
          clearTimeout(timer);
          child.stdout?.off('data', check);
          resolve();
        };
        const timer = setTimeout(() => {
          child.stdout?.off('data', check);
          reject(new Error(`coturn never logged ${pattern} within ${timeoutMs} ms:\n${output.slice(-2000)}`));
        }, timeoutMs);
        child.stdout?.on('data', check);
        check();
      });
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = once(child, 'exit');
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
        await exited;
        clearTimeout(timer);
      }
      cleanup();
    },
  };
}
