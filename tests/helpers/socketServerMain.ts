import { createApp } from '../../server/app';
import { loadConfig } from '../../server/config';
import { exitOnTermination } from '../../server/lifecycle';
import { createLogger } from '../../server/logger';

/**
 * server/index.ts without Next.js: the same createApp, config and signal handling, so a child-process
 * test of shutdown needs no `next build`.
 */
async function main() {
  const config = loadConfig();
  const log = createLogger(config.logLevel);
  const app = createApp({ config, logger: log });
  const url = await app.listen();
  log.info({ url }, `PeerLobby is serving on ${url}`);
  exitOnTermination({ log, shutdown: () => app.shutdown() });
}

void main();
