import type { IncomingMessage } from 'node:http';

/**
 * The address per-IP limits count. With `trustProxyHops` = 0 it is the TCP peer; behind N reverse
 * proxies it is the Nth entry from the right of X-Forwarded-For (entries further left are written by
 * the client and can be forged). Missing or short headers fall back to the TCP peer.
 */
export function clientIp(req: Pick<IncomingMessage, 'headers' | 'socket'>, trustProxyHops: number): string {
  const peer = req.socket.remoteAddress ?? 'unknown';
  if (trustProxyHops === 0) return peer;
  const header = req.headers['x-forwarded-for'];
  const hops = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return hops[hops.length - trustProxyHops] ?? peer;
}
