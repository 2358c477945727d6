import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';

const DEFAULT_REDIS_SERVER_BIN = process.env.REDIS_SERVER_BIN ?? 'redis-server';
const REDIS_READY_TIMEOUT_MS = 10_000;
const REDIS_STOP_TIMEOUT_MS = 5_000;
/** A free port can be taken by someone else before redis binds it; try a few. */
const MAX_PORT_ATTEMPTS = 5;
/** Redis prints this once it accepts clients (7.x: "Ready to accept connections tcp"). */
const READY_LINE = 'Ready to accept connections';

export class RedisServerMissingError extends Error {
  constructor(bin: string) {
    super(`${bin} not found. Install it: apt-get install -y redis-server`);
  }
}

/** A throwaway redis-server on a loopback port, no persistence; stop/start keep the same port. */
export interface TestRedis {
  readonly url: string;
  readonly port: number;
  /** Stops the server (outage); the port stays reserved for `start`. */
  stop(): Promise<void>;
  /** Starts it again on the same port, empty. */
  start(): Promise<void>;
  restart(): Promise<void>;
  /** Freezes the process (SIGSTOP): connections stay open but nothing answers, like a hung server. */
  pause(): void;
  /** Thaws a paused server (SIGCONT). */
  resume(): void;
  /** Stops it for good. */
  close(): Promise<void>;
}

type ServerState = { kind: 'running'; proc: ChildProcess } | { kind: 'stopped' } | { kind: 'closed' };

export async function startRedisServer(opts: { bin?: string } = {}): Promise<TestRedis> {
  const bin = opts.bin ?? DEFAULT_REDIS_SERVER_BIN;
  let lastError: unknown;
  for (let attempt = 0; attempt < MAX_PORT_ATTEMPTS; attempt++) {
    const port = await freePort();
    try {
      const proc = await spawnRedis(bin, port);
      return control(bin, port, proc);
    } catch (err) {
      if (err instanceof RedisServerMissingError) throw err;
      lastError = err;
    }
  }
  throw new Error(`could not start redis-server after ${MAX_PORT_ATTEMPTS} attempts`, { cause: lastError });
}

/** A key prefix no other test uses, so tests can share one server. */
export const uniqueKeyPrefix = (label = 'test') => `${label}:${randomBytes(6).toString('hex')}:`;

function control(bin: string, port: number, first: ChildProcess): TestRedis {
  let state: ServerState = { kind: 'running', proc: first };
  const stop = async () => {
    if (state.kind !== 'running') return;
    const { proc } = state;
    state = { kind: 'stopped' };
    await stopProcess(proc);
  };
  const start = async () => {
    if (state.kind === 'running') return;
    if (state.kind === 'closed') throw new Error('redis test server is closed');
    state = { kind: 'running', proc: await spawnRedis(bin, port) };
  };
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    stop,
    start,
    async restart() {
      await stop();
      await start();
    },
    pause() {
      if (state.kind === 'running') state.proc.kill('SIGSTOP');
    },
    resume() {
      if (state.kind === 'running') state.proc.kill('SIGCONT');
    },
    async close() {
      await stop();
      state = { kind: 'closed' };
    },
  };
}

/** Spawns redis-server; resolves once it answers PING. */
async function spawnRedis(bin: string, port: number): Promise<ChildProcess> {
  const proc = await spawnUntilReady(bin, port);
  try {
    await ping(port);
  } catch (err) {
    await stopProcess(proc);
    throw err;
  }
  return proc;
}

/** Resolves once redis-server says it accepts connections; rejects if it exits first. */
function spawnUntilReady(bin: string, port: number): Promise<ChildProcess> {
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
    '--dir',
    tmpdir(),
  ];
  const proc = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      finish(
        new Error(`redis-server on port ${port} not ready after ${REDIS_READY_TIMEOUT_MS} ms:\n${output}`),
      );
    }, REDIS_READY_TIMEOUT_MS);
    const finish = (err?: Error) => {
      clearTimeout(timer);
      proc.stdout?.off('data', onData);
      proc.off('error', onError);
      proc.off('exit', onExit);
      if (err) reject(err);
      else resolve(proc);
    };
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes(READY_LINE)) {
        proc.stdout?.resume(); // keep draining so the pipe never fills up
        finish();
      }
    };
    const onError = (err: NodeJS.ErrnoException) =>
      finish(err.code === 'ENOENT' ? new RedisServerMissingError(bin) : err);
    const onExit = (code: number | null) =>
      finish(new Error(`redis-server exited (${code}) on port ${port}:\n${output}`));
    proc.stdout?.on('data', onData);
    proc.stderr?.resume();
    proc.once('error', onError);
    proc.once('exit', onExit);
  });
}

function stopProcess(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => proc.kill('SIGKILL'), REDIS_STOP_TIMEOUT_MS);
    proc.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    proc.kill('SIGTERM');
    proc.kill('SIGCONT'); // a paused server only acts on SIGTERM once thawed
  });
}

/** One raw PING over RESP; resolves on +PONG. */
function ping(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    let reply = '';
    socket.setTimeout(REDIS_READY_TIMEOUT_MS, () => socket.destroy(new Error(`no PONG from port ${port}`)));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      if (!reply.includes('\r\n')) return;
      socket.end();
      if (reply.startsWith('+PONG')) resolve();
      else reject(new Error(`unexpected PING reply from port ${port}: ${reply.trim()}`));
    });
    socket.once('error', reject);
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}
