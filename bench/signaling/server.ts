/**
 * A server under test, as a child process: ours (createApp without Next, production settings) or
 * the bare relay, or PeerJS's server. Answers `stats` over IPC (the harness's window into it, not part of the product).
 * Run with --expose-gc so heap figures are taken after a full collection.
 */
import type { AddressInfo } from 'node:net';
import { writeHeapSnapshot } from 'node:v8';
import { createApp } from '../../server/app';
import { benchServerConfig } from '../serverConfig';
import { createLogger } from '../../server/logger';
import { PeerServer } from 'peer';
import { createBareRelay } from '../bare-relay';
import type { ServerReply, ServerRequest, Target } from './protocol';

const target = process.argv[2] as Target;
const send = (m: ServerReply) => process.send?.(m);

async function start(): Promise<{ url: string; close: () => Promise<void> | void }> {
  if (target === 'bare') {
    const bare = createBareRelay();
    await new Promise<void>((resolve) => bare.http.listen(0, '127.0.0.1', resolve));
    const { port } = bare.http.address() as AddressInfo;
    return { url: `http://127.0.0.1:${port}`, close: () => void bare.close() };
  }
  if (target === 'peerjs') return startPeerJs();
  const config = benchServerConfig();
  const app = createApp({ config, logger: createLogger('silent') });
  const url = await app.listen(0, '127.0.0.1');
  return { url, close: () => app.close() };
}

/**
 * PeerJS's server as its README starts it, with the concurrent-client cap lifted (default 5,000) and
 * a long alive timeout (the load generator still sends HEARTBEAT every 5 s, as the PeerJS client does).
 */
function startPeerJs(): Promise<{ url: string; close: () => void }> {
  return new Promise((resolve) => {
    PeerServer(
      {
        host: '127.0.0.1',
        port: 0,
        path: '/',
        key: 'peerjs',
        concurrent_limit: 1_000_000,
        alive_timeout: 600_000,
      },
      (http) => {
        const { port } = http.address() as AddressInfo;
        resolve({ url: `ws://127.0.0.1:${port}/peerjs`, close: () => void http.close() });
      },
    );
  });
}

const gc = (globalThis as { gc?: () => void }).gc;

void start().then(({ url, close }) => {
  process.on('message', (raw) => {
    const msg = raw as ServerRequest;
    if (msg.type === 'snapshot') {
      send({ type: 'snapshot', id: msg.id, file: writeHeapSnapshot(msg.file) });
      return;
    }
    if (msg.type === 'stop') {
      void Promise.resolve(close()).finally(() => process.exit(0));
      return;
    }
    if (msg.gc && gc) {
      gc();
      gc();
    }
    const mem = process.memoryUsage();
    const cpu = process.cpuUsage();
    send({
      type: 'stats',
      id: msg.id,
      rssBytes: mem.rss,
      heapUsedBytes: mem.heapUsed,
      cpuMicros: cpu.user + cpu.system,
    });
  });
  // The orchestrator gone (crash, Ctrl-C): never outlive it.
  process.on('disconnect', () => process.exit(0));
  send({ type: 'ready', url });
});
