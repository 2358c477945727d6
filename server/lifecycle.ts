import type { Server as HttpServer } from 'node:http';

/** The whole shutdown — tell clients, close sockets, close the store — fits in this, or is cut short. */
export const SHUTDOWN_TIMEOUT_MS = 5_000;

/**
 * Runs `work` with a bound; past it, drops every remaining HTTP connection so the process can exit.
 * Resolves true when `work` finished in time.
 */
export async function boundedClose(
  http: HttpServer,
  work: Promise<void>,
  timeoutMs = SHUTDOWN_TIMEOUT_MS,
): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
  const inTime = await Promise.race([work.then(() => true as const), late]).finally(() =>
    clearTimeout(timer),
  );
  if (!inTime) http.closeAllConnections();
  return inTime;
}

export interface TerminationDeps {
  log: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };
  /** The app's graceful stop; resolves false when it had to cut connections. */
  shutdown: () => Promise<boolean>;
  /** Anything else to close after the app (Next.js). */
  after?: () => Promise<void>;
  exit?: (code: number) => void;
}

/**
 * SIGTERM/SIGINT → graceful shutdown → exit 0. A second signal during shutdown exits at once (1), and a
 * watchdog exits (1) if closing hangs past the bound, so a deploy never waits on a stuck process.
 */
export function exitOnTermination(deps: TerminationDeps) {
  const exit = deps.exit ?? ((code: number) => process.exit(code));
  let closing = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (closing) {
      deps.log.warn({ signal }, 'second signal: exiting now');
      return exit(1);
    }
    closing = true;
    deps.log.info({ signal }, 'shutting down');
    setTimeout(() => {
      deps.log.warn({}, 'shutdown overran its bound: exiting');
      exit(1);
    }, SHUTDOWN_TIMEOUT_MS * 2).unref();
    void (async () => {
      const clean = await deps.shutdown();
      await deps.after?.();
      deps.log.info({ clean }, 'stopped');
      exit(0);
    })();
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
