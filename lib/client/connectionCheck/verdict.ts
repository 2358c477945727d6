import { isRedacted, parseCandidateLine, type CandidateLine } from './iceCandidateLine';

/**
 * What to expect from this network, from the ICE candidates one RTCPeerConnection gathered against
 * the server's two STUN ports (and TURN when we hold credentials). Pure: the tests feed it real lines.
 *
 * The idea (RFC 4787, "NAT behavior discovery" of RFC 5780): one local UDP socket asks two STUN
 * ports of the same server for its public address. A NAT that maps that socket to the same public
 * port for both (endpoint-independent mapping) lets peers reach us directly after hole punching; one
 * that hands out a new port per destination (symmetric) makes direct connections fail, so a TURN
 * relay is needed. No answer at all means UDP to the server is blocked.
 */

export type Verdict = 'direct' | 'turn' | 'relay-only' | 'unknown';

/** Why: picks the explanation the player reads. */
export type VerdictReason =
  | 'same-mapping'
  | 'mapping-varies'
  | 'udp-blocked'
  /** STUN answered with this device's own address (dropped as a duplicate of the host candidate). */
  | 'no-nat'
  /** Only one STUN port answered, or the answers contradict each other: nothing sound to compare. */
  | 'inconclusive'
  | 'no-stun';

/**
 * TURN as far as this check knows it: `none`, the server has no relay; `untested`, it has one but we
 * hold no credentials (home page: only lobby members get them); `reached`/`unreached`, tested.
 */
export type TurnStatus = 'none' | 'untested' | 'reached' | 'unreached';

/** One gathered candidate with the ICE server that produced it (`RTCPeerConnectionIceEvent.url`). */
export interface GatheredCandidate {
  candidate: string;
  /** Chromium and Firefox set it for srflx and relay candidates; null when missing. */
  url: string | null;
  /** `RTCIceCandidate.relayProtocol`: how a relay candidate reached TURN (udp, tcp, tls). */
  relayProtocol?: string | null;
}

/** What one RTCPeerConnection gathered before gathering completed or the timeout. */
export interface Gathered {
  candidates: readonly GatheredCandidate[];
  /** Gathering finished before the timeout: every STUN/TURN request was answered or given up. */
  complete: boolean;
  /** URLs an `icecandidateerror` named (Chromium reports a STUN server that never answered). */
  errorUrls: readonly string[];
}

export interface CheckEvidence {
  /** [main, alternate] STUN URLs, as given to the RTCPeerConnection; empty when the server runs no STUN. */
  stunUrls: readonly string[];
  /** The connection that asked both STUN ports (and TURN) from the same local sockets. */
  compare: Gathered;
  /**
   * Two more connections, each asking one STUN port alone. Needed because browsers drop a
   * server-reflexive candidate equal to one they already have (or to the host address): with the same
   * mapping from both ports, `compare` shows one, and that alone cannot tell "same mapping" from "the
   * other port never answered".
   */
  probes: readonly [main: Gathered, alt: Gathered];
  /** Whether TURN servers were part of this check (lobby members), or only configured (home page). */
  turn: 'none' | 'configured' | 'tested';
}

export interface MappedAddress {
  address: string;
  port: number;
  /** Which STUN port produced it: `main`, `alt`, or null when the browser did not say. */
  from: 'main' | 'alt' | null;
}

export interface ConnectionReport {
  verdict: Verdict;
  reason: VerdictReason;
  turn: TurnStatus;
  /** How the relay candidate reached TURN (udp, tcp, tls), when one did. */
  turnProtocol: string | null;
  /** Candidate counts by type, for the details. */
  found: Record<'host' | 'srflx' | 'relay', number>;
  /** The public address:port each STUN port saw. */
  mapped: MappedAddress[];
}

/** STUN/TURN URLs compare without case, default port or `?transport=udp`. */
export function normalizeIceUrl(url: string): string {
  const [base = '', query = ''] = url.trim().toLowerCase().split('?');
  const withPort = /:\d+$/.test(base.replace(/^\w+:/, ''))
    ? base
    : `${base}:${base.startsWith('turns:') || base.startsWith('stuns:') ? 5349 : 3478}`;
  return query === 'transport=udp' || query === '' ? withPort : `${withPort}?${query}`;
}

/**
 * The local socket a server-reflexive candidate came from, so mappings are compared per socket
 * (a laptop on Wi-Fi and Ethernet has one per network). Chromium says so with `network-id`; with
 * the base redacted (mDNS) and no network id, the mapped IP stands in: NATs keep one public IP per
 * client (RFC 4787 REQ-2, "paired" pooling), so only the port differs between the two answers.
 */
function socketKey(c: CandidateLine): string {
  if (c.networkId !== null) return `net:${c.networkId}`;
  if (!isRedacted(c.relatedAddress) && c.relatedPort) return `base:${c.relatedAddress}:${c.relatedPort}`;
  return `ip:${c.address}`;
}

type ProbeOutcome = 'mapped' | 'own-address' | 'silent';

/**
 * What asking one STUN port alone showed: a srflx (`mapped`); nothing, though gathering finished
 * without an error while the host address was visible (`own-address`: the answer equalled the
 * host candidate and the browser dropped it, so there is no NAT); or no answer (`silent`).
 */
function probeOutcome(probe: Gathered, url: string): ProbeOutcome {
  const lines = probe.candidates.flatMap((g) => parseCandidateLine(g.candidate) ?? []);
  if (lines.some((l) => l.type === 'srflx' && l.protocol === 'udp')) return 'mapped';
  const failed = probe.errorUrls.some((u) => normalizeIceUrl(u) === url);
  const exposedHost = lines.some((l) => l.type === 'host' && l.protocol === 'udp' && !l.mdns);
  return probe.complete && !failed && exposedHost ? 'own-address' : 'silent';
}

export function classify(evidence: CheckEvidence): ConnectionReport {
  const [mainUrl, altUrl] = evidence.stunUrls.map(normalizeIceUrl);
  const parsed = evidence.compare.candidates.flatMap((g) => {
    const line = parseCandidateLine(g.candidate);
    return line
      ? [{ line, url: g.url ? normalizeIceUrl(g.url) : null, relayProtocol: g.relayProtocol ?? null }]
      : [];
  });
  const found = { host: 0, srflx: 0, relay: 0 };
  for (const { line } of parsed) if (line.type !== 'prflx') found[line.type]++;

  // UDP only: a srflx over TCP says nothing about UDP hole punching. A srflx that a TURN server
  // produced (Firefox reports those) is set aside: it is another destination, not one of our two.
  const mapped: (MappedAddress & { socket: string })[] = [];
  for (const { line, url } of parsed) {
    if (line.type !== 'srflx' || line.protocol !== 'udp') continue;
    const from = url === null ? null : url === mainUrl ? 'main' : url === altUrl ? 'alt' : undefined;
    if (from === undefined) continue;
    mapped.push({ address: line.address, port: line.port, from, socket: socketKey(line) });
  }

  const relay = parsed.find((p) => p.line.type === 'relay');
  const turnProtocol = relay ? (relay.relayProtocol ?? protocolOfTurnUrl(relay.url)) : null;
  const turn: TurnStatus =
    evidence.turn === 'none'
      ? 'none'
      : evidence.turn === 'configured'
        ? 'untested'
        : relay
          ? 'reached'
          : 'unreached';
  const report = (verdict: Verdict, reason: VerdictReason): ConnectionReport => ({
    verdict,
    reason,
    turn,
    turnProtocol,
    found,
    mapped: mapped.map(({ address, port, from }) => ({ address, port, from })),
  });
  // Direct will not work: TURN if it is there (reached, or configured and untested), else the server relay.
  const needsRelay = (reason: VerdictReason) =>
    report(turn === 'reached' || turn === 'untested' ? 'turn' : 'relay-only', reason);

  if (!mainUrl || !altUrl) return report('unknown', 'no-stun');

  // Two different public endpoints for one local socket: the NAT maps per destination.
  const bySocket = new Map<string, Set<string>>();
  for (const m of mapped)
    bySocket.set(m.socket, (bySocket.get(m.socket) ?? new Set()).add(`${m.address}:${m.port}`));
  if ([...bySocket.values()].some((endpoints) => endpoints.size > 1)) return needsRelay('mapping-varies');

  const probe = {
    main: probeOutcome(evidence.probes[0], mainUrl),
    alt: probeOutcome(evidence.probes[1], altUrl),
  };
  if (mapped.length > 0) {
    // One endpoint per socket: the same mapping for both ports, if both ports did answer. Had the
    // unseen port's answer differed, the browser would have kept it as a second candidate.
    const answered = (port: 'main' | 'alt') =>
      mapped.some((m) => m.from === port) || probe[port] === 'mapped';
    return answered('main') && answered('alt')
      ? report('direct', 'same-mapping')
      : report('unknown', 'inconclusive');
  }
  if (probe.main === 'silent' && probe.alt === 'silent') return needsRelay('udp-blocked');
  // Both answered with our own address: a public address (or the server's own network), no NAT.
  if (probe.main === 'own-address' && probe.alt === 'own-address') return report('direct', 'no-nat');
  return report('unknown', 'inconclusive');
}

function protocolOfTurnUrl(url: string | null): string | null {
  if (!url) return null;
  if (url.startsWith('turns:')) return 'tls';
  return /[?&]transport=tcp/.test(url) ? 'tcp' : 'udp';
}
