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

/**
 * The key per-address budgets count under. An IPv6 host usually holds a whole /64 and can pick any
 * address in it, so IPv6 is keyed by its /64; an IPv4-mapped IPv6 address is keyed as the IPv4 one.
 */
export function addressKey(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1]!;
  if (!ip.includes(':')) return ip;
  const [head = '', tail = ''] = ip.split('%')[0]!.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = ip.includes('::') && tail ? tail.split(':') : [];
  const groups = ip.includes('::')
    ? [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}
