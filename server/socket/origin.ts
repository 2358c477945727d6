import type { IncomingMessage } from 'node:http';

/**
 * CORS does not cover WebSocket upgrades, so the Origin header is checked here for both transports.
 * A browser always sends Origin; it must be PUBLIC_URL, an allowed origin, or — only when PUBLIC_URL is
 * not set — the page's own host. With PUBLIC_URL set the request's Host header is not trusted: a
 * DNS-rebinding page (attacker's name, our address) sends an Origin equal to the Host it asked for.
 * Requests without Origin come from non-browser clients (bots, tests), which CSRF cannot drive.
 */
export function originAllowed(
  req: IncomingMessage,
  allowed: ReadonlySet<string>,
  trustHostHeader = true,
): boolean {
  const origin = req.headers.origin;
  if (!origin) return true;
  if (allowed.has(origin)) return true;
  if (!trustHostHeader) return false;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}
