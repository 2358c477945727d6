import next from 'next';
import { createApp } from './app';
import { ConfigError, loadConfig } from './config';
import { exitOnTermination } from './lifecycle';
import { createLogger } from './logger';

/** Production and dev entry: one process, one port, Next.js pages and socket.io together. */
async function main() {
  const dev = process.argv.includes('--dev');
  if (!process.env.NODE_ENV) Object.assign(process.env, { NODE_ENV: dev ? 'development' : 'production' });
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  const log = createLogger(config.logLevel);
  const nextApp = next({ dev, dir: process.cwd() });
  await nextApp.prepare();
  const app = createApp({ config, logger: log, pages: nextApp.getRequestHandler() });
  const url = await app.listen();
  log.info({ url, dev }, `PeerLobby is serving on ${url}`);

  exitOnTermination({ log, shutdown: () => app.shutdown(), after: async () => void (await nextApp.close?.()) });
}

void main();
