import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';

/** Every child this benchmark starts; all are stopped on exit, success or failure. */
const children = new Set<ChildProcess>();
const STOP_GRACE_MS = 5000;

export const hasTaskset = spawnSync('taskset', ['-V']).status === 0;
export const FD_LIMIT = 65536;

/**
 * A Node child running a TypeScript file through tsx, pinned to `core` when taskset exists, with
 * a raised fd limit (a bash wrapper: `ulimit -n` then exec), and an IPC channel.
 */
export function spawnNode(
  file: string,
  args: string[],
  opts: { core?: number; nodeFlags?: string[]; env?: NodeJS.ProcessEnv } = {},
): ChildProcess {
  const pin = hasTaskset && opts.core !== undefined ? `taskset -c ${opts.core} ` : '';
  const script = `ulimit -n ${FD_LIMIT} 2>/dev/null || ulimit -n $(ulimit -Hn); exec ${pin}"$@"`;
  // A built .mjs runs on plain node (what production runs); TypeScript goes through tsx.
  const loader = file.endsWith('.ts') ? ['--import', 'tsx'] : [];
  const child = spawn(
    'bash',
    ['-c', script, 'bash', process.execPath, ...(opts.nodeFlags ?? []), ...loader, file, ...args],
    {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      env: { ...process.env, ...opts.env },
    },
  );
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

/** Asks politely (IPC `stop` if `ipcStop`), then SIGKILL after a grace period. */
export async function stopChild(child: ChildProcess, ipcStop = true): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  if (ipcStop && child.connected) child.send({ type: 'stop' });
  else child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
  await exited;
  clearTimeout(timer);
}

export function killAll() {
  for (const child of children) child.kill('SIGKILL');
}

process.once('exit', killAll);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    killAll();
    process.exit(130);
  });
}

/** Request/reply over a child's IPC channel, matched by id; rejects on exit or timeout. */
export function ipcClient<Req extends { id: number }, Rep>(child: ChildProcess) {
  let nextId = 1;
  return (make: (id: number) => Req, timeoutMs: number): Promise<Rep> =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      const onMessage = (m: unknown) => {
        const msg = m as { id?: number; type: string; message?: string };
        if (msg.id !== id) return;
        cleanup();
        if (msg.type === 'error') reject(new Error(msg.message));
        else resolve(msg as Rep);
      };
      const onExit = (code: number | null) => {
        cleanup();
        reject(new Error(`child exited (${code}) during request`));
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`IPC request timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        child.off('message', onMessage);
        child.off('exit', onExit);
      };
      child.on('message', onMessage);
      child.once('exit', onExit);
      child.send(make(id));
    });
}

/** Resolves with the first IPC message of `type`. */
export function firstMessage<T>(child: ChildProcess, type: string, timeoutMs: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${type} message within ${timeoutMs} ms`)), timeoutMs);
    const onExit = (code: number | null) => reject(new Error(`child exited (${code}) before ${type}`));
    child.once('exit', onExit);
    const onMessage = (m: unknown) => {
      if ((m as { type: string }).type !== type) return;
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve(m as T);
    };
    child.on('message', onMessage);
  });
}
