import type { Server as HttpServer } from 'node:http';

/** The whole shutdown — tell clients, close sockets, close the store — fits in this, or is cut short. */
export const SHUTDOWN_TIMEOUT_MS = 5_000;

/**
 * Runs `work` with a bound; past it, drops every remaining HTTP connection so the process can exit.
 * Resolves true when `work` finished in time.
 */
export async function boundedClose(http: HttpServer, work: Promise<void>, timeoutMs = SHUTDOWN_TIMEOUT_MS): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
  const inTime = await Promise.race([work.then(() => true as const), late]).finally(() => clearTimeout(timer));
  if (!inTime) http.closeAllConnections();
  return inTime;
}
