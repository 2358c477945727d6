import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { METRICS_CONTENT_TYPE, type Metrics } from './metrics';
import type { LobbyStore } from './lobby/LobbyStore';

/** /healthz waits this long for the store's answer before calling it unreachable. */
export const HEALTH_STORE_TIMEOUT_MS = 1_000;

async function storeReachable(store: LobbyStore): Promise<boolean> {
  if (!store.ping) return true; // in-process store: reachable whenever we are
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<false>(
    (resolve) => (timer = setTimeout(() => resolve(false), HEALTH_STORE_TIMEOUT_MS)),
  );
  try {
    return await Promise.race([store.ping().then(() => true), deadline]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Operations endpoints on the app's own port. Returns false for any other path.
 * /healthz: 200 when the store answers, 503 otherwise (a balancer should stop sending players here).
 * /metrics: Prometheus text; with METRICS_TOKEN set, only for `Authorization: Bearer <token>` (else 401).
 */
/** Compares digests, so neither the token's length nor its content leaks through timing. */
function tokenMatches(header: string | undefined, token: string): boolean {
  const given = /^Bearer (.+)$/.exec(header ?? '')?.[1] ?? '';
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(given), digest(token));
}

export function opsRoutes(deps: { metrics: Metrics; store: LobbyStore; metricsToken?: string | null }) {
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    const path = (req.url ?? '').split('?')[0];
    if (path === '/healthz') {
      void storeReachable(deps.store).then((up) => {
        res
          .writeHead(up ? 200 : 503, { 'content-type': 'application/json', 'cache-control': 'no-store' })
          .end(JSON.stringify({ status: up ? 'ok' : 'degraded', store: up ? 'ok' : 'unreachable' }));
      });
      return true;
    }
    if (path === '/metrics') {
      // Live counts are feedback for a flood: with METRICS_TOKEN set, only the scraper gets them.
      if (deps.metricsToken && !tokenMatches(req.headers.authorization, deps.metricsToken)) {
        res.writeHead(401, { 'www-authenticate': 'Bearer', 'cache-control': 'no-store' }).end();
        return true;
      }
      void deps.metrics.render().then(
        (text) =>
          res.writeHead(200, { 'content-type': METRICS_CONTENT_TYPE, 'cache-control': 'no-store' }).end(text),
        () => res.writeHead(500).end(),
      );
      return true;
    }
    return false;
  };
}
