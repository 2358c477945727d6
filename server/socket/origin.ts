import type { IncomingMessage } from 'node:http';

/**
 * CORS does not cover WebSocket upgrades, so the Origin header is checked here for both transports.
 * A browser always sends Origin; it must be the page's own host, PUBLIC_URL, or an allowed origin.
 * Requests without Origin come from non-browser clients (bots, tests), which CSRF cannot drive.
 */
export function originAllowed(req: IncomingMessage, allowed: ReadonlySet<string>): boolean {
  const origin = req.headers.origin;
  if (!origin) return true;
  if (allowed.has(origin)) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}
