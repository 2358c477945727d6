import { loadConfig } from '../server/config';

/**
 * Our server as benchmarked: production settings without Next.js. Every simulated player comes from
 * 127.0.0.1, so only the per-IP caps are lifted; per-player event and signal limits, validation and
 * membership checks stay as in production.
 */
export const benchServerConfig = () =>
  loadConfig({
    NODE_ENV: 'production',
    LOG_LEVEL: 'silent',
    HOST: '127.0.0.1',
    PORT: '0',
    SERVE_PAGES: 'false',
    DATA_DIR: 'off', // nothing kept across runs
    STUN_PORT: '0', // the signaling benchmarks measure no STUN, and several servers may run at once
    MAX_CONNECTIONS_PER_IP: '1000000',
    IP_EVENT_RATE_PER_10S: '10000000',
    ADDRESS_BUDGET_FACTOR: '1000000',
    MAX_LOBBIES_PER_ADDRESS: '1000000',
  });
