import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';

export interface AppProcess {
  url: string;
  child: ChildProcess;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

const START_TIMEOUT_MS = 60_000;

/**
 * Starts the real production server (`server/index.ts`, Next.js + socket.io) as a child process on
 * a free port and resolves with its URL once it logs that it serves. `entry` swaps in another entry
 * (tests/helpers/socketServerMain.ts: the same app and shutdown path without Next, so no build needed);
 * `cwd` another checkout with its own build (a bench comparing two versions in one run).
 */
export async function startAppProcess(
  env: Record<string, string> = {},
  entry = 'server/index.ts',
  cwd = process.cwd(),
): Promise<AppProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd,
    // STUN off unless asked: several processes (a Redis pair, parallel files) must not race for UDP 3478.
    env: {
      ...process.env,
      NODE_ENV: 'production',
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      STUN_PORT: '0',
      DATA_DIR: 'off',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`server did not start in time:\n${output}`)),
      START_TIMEOUT_MS,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /serving on (http:\/\/[^\s"]+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${output}`));
    });
  });
  return {
    url,
    child,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill(signal);
      await once(child, 'exit');
    },
  };
}
