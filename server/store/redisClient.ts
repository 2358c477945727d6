import { createClient, ErrorReply } from 'redis';
import { StoreUnavailableError } from './errors';
import { COMMIT_LOBBY, INSERT_LOBBY } from './redisScripts';

/** A connection attempt that has not completed by then counts as failed (then backoff, retry). */
export const STORE_CONNECT_TIMEOUT_MS = 1_000;
/** Reconnect backoff: doubles from the base up to the cap, plus jitter so instances don't stampede. */
const RECONNECT_BASE_MS = 50;
const RECONNECT_MAX_MS = 1_000;
const RECONNECT_JITTER_MS = 100;

/**
 * The lobby store's own client, tuned to fail fast (docs/RELIABILITY.md R10): with the offline queue
 * disabled, a command issued while the connection is down rejects at once instead of waiting for a
 * reconnect, and the client keeps reconnecting in the background with capped backoff.
 *
 * Not for socket.io's streams adapter: its blocking XREAD loop wants a queueing client (see report).
 */
export function createStoreClient(url: string) {
  return createClient({
    url,
    disableOfflineQueue: true,
    socket: {
      connectTimeout: STORE_CONNECT_TIMEOUT_MS,
      reconnectStrategy: (retries) =>
        Math.min(RECONNECT_BASE_MS * 2 ** retries, RECONNECT_MAX_MS) +
        Math.floor(Math.random() * RECONNECT_JITTER_MS),
    },
    scripts: { insertLobby: INSERT_LOBBY, commitLobby: COMMIT_LOBBY },
  });
}

export type StoreClient = ReturnType<typeof createStoreClient>;

/** Replies that mean "not now" rather than "your command is wrong". */
const TRANSIENT_REPLY = /^(LOADING|BUSY|READONLY|MASTERDOWN|TRYAGAIN|CLUSTERDOWN|OOM|NOREPLICAS)\b/;

/**
 * Turns what the client throws into the store's vocabulary. Error replies about our own commands
 * (a bad script, a wrong type) stay as they are: they are bugs, and the socket layer reports
 * INTERNAL for them. Everything else node-redis throws is about the connection.
 */
export function toStoreError(err: unknown): unknown {
  if (err instanceof StoreUnavailableError) return err;
  if (err instanceof ErrorReply)
    return TRANSIENT_REPLY.test(err.message) ? new StoreUnavailableError('busy', { cause: err }) : err;
  if (err instanceof TypeError || err instanceof RangeError) return err;
  return new StoreUnavailableError('unreachable', { cause: err });
}
