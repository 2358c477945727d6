/**
 * One ICE candidate line, as browsers trickle it (`candidate:…`) or embed it in SDP (`a=candidate:…`):
 * `candidate:<foundation> <component> <transport> <priority> <address> <port> typ <type> [key value]…`.
 * Chromium appends `generation`, `ufrag`, `network-id`, `network-cost`; Firefox writes the transport
 * in capitals and stops after `raddr`/`rport`. Both hide the host address behind a random
 * `<uuid>.local` mDNS name unless the page has camera or microphone access.
 */

export type CandidateType = 'host' | 'srflx' | 'prflx' | 'relay';

export interface CandidateLine {
  type: CandidateType;
  protocol: 'udp' | 'tcp';
  address: string;
  port: number;
  /** The base (srflx) or the mapped address (relay); `0.0.0.0`/`0` when the browser redacts it. */
  relatedAddress: string | null;
  relatedPort: number | null;
  /** The address is an mDNS name: the real one is hidden, nothing can be read from it. */
  mdns: boolean;
  /** Chromium's id of the network interface: every candidate of one local socket shares it. */
  networkId: string | null;
  tcpType: string | null;
}

const TYPES = new Set<string>(['host', 'srflx', 'prflx', 'relay']);

/** The parsed line, or null for anything that is not a well-formed candidate (end-of-candidates, ''). */
export function parseCandidateLine(raw: string): CandidateLine | null {
  const line = raw.startsWith('a=') ? raw.slice(2) : raw;
  const parts = line.trim().split(/\s+/);
  if (parts.length < 8 || !parts[0]!.startsWith('candidate:') || parts[6] !== 'typ') return null;
  const protocol = parts[2]!.toLowerCase();
  const port = Number(parts[5]);
  const type = parts[7]!;
  if ((protocol !== 'udp' && protocol !== 'tcp') || !Number.isInteger(port) || !TYPES.has(type)) return null;
  const ext = new Map<string, string>();
  for (let i = 8; i + 1 < parts.length; i += 2) ext.set(parts[i]!, parts[i + 1]!);
  const rport = ext.has('rport') ? Number(ext.get('rport')) : null;
  const address = parts[4]!;
  return {
    type: type as CandidateType,
    protocol,
    address,
    port,
    relatedAddress: ext.get('raddr') ?? null,
    relatedPort: rport !== null && Number.isInteger(rport) ? rport : null,
    mdns: address.toLowerCase().endsWith('.local'),
    networkId: ext.get('network-id') ?? null,
    tcpType: ext.get('tcptype') ?? null,
  };
}

/** Unspecified (the browser redacted it), so it cannot tell two local sockets apart. */
export const isRedacted = (address: string | null) =>
  address === null || address === '0.0.0.0' || address === '::';
