import { isIPv6 } from 'node:net';

/** Where the built-in responder listens; null when STUN_PORT=0. */
export interface StunPorts {
  port: number;
  /** Only for the connection check (symmetric-NAT detection); null when STUN_ALT_PORT=0. */
  altPort: number | null;
}

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/**
 * A host fit for a `stun:` URL, or null. The Host header is whatever the client sent, and a browser's
 * RTCPeerConnection constructor throws on a malformed ICE URL, so only three shapes pass: a DNS name
 * (RFC 1123 labels), a dotted-quad IPv4, a bracketed IPv6 without zone. Lowercased.
 */
export function stunHost(raw: string): string | null {
  const host = raw.toLowerCase();
  if (host.startsWith('[')) {
    if (!host.endsWith(']')) return null;
    const inner = host.slice(1, -1);
    // Node's isIPv6 accepts a zone (`fe80::1%eth0`); a URL may not carry one unescaped.
    return !inner.includes('%') && isIPv6(inner) ? host : null;
  }
  if (IPV4.test(host)) return host;
  // All digits and dots but not a valid IPv4 (999.1.1.1, 1.2.3): browsers read it as a number, refuse it.
  if (/^[\d.]+$/.test(host)) return null;
  const name = host.endsWith('.') ? host.slice(0, -1) : host;
  if (name.length === 0 || name.length > 253) return null;
  return name.split('.').every((label) => LABEL.test(label)) ? name : null;
}

/** The host part of a Host header (`name:port`, `[v6]:port`, or either without a port). */
export function hostOfHostHeader(header: string): string {
  const bracketed = /^(\[[^\]]*\])(?::\d*)?$/.exec(header);
  if (bracketed) return bracketed[1]!;
  const colon = header.lastIndexOf(':');
  return colon === -1 ? header : header.slice(0, colon);
}

/**
 * The page host a member's browser should send STUN to: PUBLIC_URL's host when configured (the
 * operator said so), else the host the page itself was loaded from (the socket's Host header, which
 * a reverse proxy passes through). Null when neither gives a valid host.
 */
export function pageStunHost(publicUrl: string | null, hostHeader: string | undefined): string | null {
  if (publicUrl) {
    try {
      return stunHost(new URL(publicUrl).hostname);
    } catch {
      return null;
    }
  }
  return hostHeader ? stunHost(hostOfHostHeader(hostHeader)) : null;
}

/** `[stun:HOST:PORT, stun:HOST:ALT]` for a valid host; empty when STUN is off or the host is unusable. */
export function builtInStunUrls(ports: StunPorts | null, host: string | null): string[] {
  if (!ports || !host) return [];
  return [ports.port, ports.altPort].filter((p): p is number => p !== null).map((p) => `stun:${host}:${p}`);
}
