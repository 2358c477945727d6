import { describe, expect, it } from 'vitest';
import { parseCandidateLine } from '../../lib/client/connectionCheck/iceCandidateLine';
import {
  classify,
  normalizeIceUrl,
  type CheckEvidence,
  type Gathered,
  type GatheredCandidate,
} from '../../lib/client/connectionCheck/verdict';

const MAIN = 'stun:play.example.com:3478';
const ALT = 'stun:play.example.com:3479';
const TURN_UDP = 'turn:turn.example.com:3478?transport=udp';
const TURN_TCP = 'turn:turn.example.com:3478?transport=tcp';

// Chromium 120+, as trickled: `network-id` ties every candidate of one local socket together, and
// the srflx base is redacted (`raddr 0.0.0.0 rport 0`) while host addresses are mDNS names.
const chromium = {
  host: 'candidate:2052776750 1 udp 2122260223 192.168.1.20 54400 typ host generation 0 ufrag zECK network-id 1 network-cost 10',
  mdnsHost:
    'candidate:3318434125 1 udp 2122260223 5c1a4f1e-3e5a-4d0a-9a8e-0c2f6f0c1a2b.local 54400 typ host generation 0 ufrag zECK network-id 1 network-cost 10',
  tcpHost:
    'candidate:2230335418 1 tcp 1518280447 192.168.1.20 9 typ host tcptype active generation 0 ufrag zECK network-id 1',
  srflx: (port: number, networkId = 1) =>
    `candidate:842163049 1 udp 1686052607 203.0.113.7 ${port} typ srflx raddr 0.0.0.0 rport 0 generation 0 ufrag zECK network-id ${networkId} network-cost 10`,
  prflx:
    'candidate:1460187234 1 udp 1853824767 203.0.113.7 61005 typ prflx raddr 0.0.0.0 rport 0 generation 0 ufrag zECK network-id 1',
  relay:
    'candidate:1913834569 1 udp 41885439 198.51.100.9 52001 typ relay raddr 203.0.113.7 rport 61001 generation 0 ufrag zECK network-id 1 network-cost 10',
};
// Firefox 128 ESR: capital transport, the real base in raddr/rport, no extensions.
const firefox = {
  host: 'candidate:0 1 UDP 2122252543 192.168.1.20 50021 typ host',
  mdnsHost: 'candidate:0 1 UDP 2122252543 a7c3c6b0-1b58-4c4e-9b1e-3f5ad5a0c7c1.local 50021 typ host',
  tcpHost: 'candidate:2 1 TCP 2105524479 192.168.1.20 9 typ host tcptype active',
  srflx: (port: number) =>
    `candidate:1 1 UDP 1686052863 203.0.113.7 ${port} typ srflx raddr 192.168.1.20 rport 50021`,
  relay: 'candidate:4 1 UDP 92217087 198.51.100.9 60123 typ relay raddr 198.51.100.9 rport 60123',
};

const c = (
  candidate: string,
  url: string | null = null,
  relayProtocol: string | null = null,
): GatheredCandidate => ({ candidate, url, relayProtocol });
const gathered = (candidates: readonly GatheredCandidate[], more: Partial<Gathered> = {}): Gathered => ({
  candidates,
  complete: true,
  errorUrls: [],
  ...more,
});
/** What a STUN-only probe of one port shows when that port answered with a mapping. */
const mappedProbe = (url: string) => gathered([c(chromium.mdnsHost), c(chromium.srflx(62000), url)]);
const silentProbe = (url: string) => gathered([c(chromium.mdnsHost)], { complete: false, errorUrls: [url] });

function evidence(compare: Gathered, more: Partial<CheckEvidence> = {}): CheckEvidence {
  return {
    stunUrls: [MAIN, ALT],
    compare,
    probes: [mappedProbe(MAIN), mappedProbe(ALT)],
    turn: 'none',
    ...more,
  };
}

describe('ICE candidate lines', () => {
  it('reads Chromium and Firefox lines alike, in trickled and SDP form', () => {
    expect(parseCandidateLine(chromium.srflx(61001))).toEqual({
      type: 'srflx',
      protocol: 'udp',
      address: '203.0.113.7',
      port: 61001,
      relatedAddress: '0.0.0.0',
      relatedPort: 0,
      mdns: false,
      networkId: '1',
      tcpType: null,
    });
    expect(parseCandidateLine(`a=${firefox.srflx(50021)}`)).toMatchObject({
      type: 'srflx',
      protocol: 'udp',
      relatedAddress: '192.168.1.20',
      relatedPort: 50021,
      networkId: null,
    });
    expect(parseCandidateLine(firefox.tcpHost)).toMatchObject({
      type: 'host',
      protocol: 'tcp',
      port: 9,
      tcpType: 'active',
    });
    expect(parseCandidateLine(chromium.mdnsHost)).toMatchObject({ type: 'host', mdns: true });
    expect(parseCandidateLine(firefox.mdnsHost)).toMatchObject({ type: 'host', mdns: true });
    expect(parseCandidateLine(chromium.prflx)).toMatchObject({ type: 'prflx', port: 61005 });
    expect(parseCandidateLine(firefox.relay)).toMatchObject({
      type: 'relay',
      address: '198.51.100.9',
      relatedPort: 60123,
    });
  });

  it('rejects what is not a candidate', () => {
    for (const bad of [
      '',
      'a=end-of-candidates',
      'candidate:1 1 UDP 1 1.2.3.4 x typ host',
      'candidate:1 1 SCTP 1 1.2.3.4 5 typ host',
      'candidate:1 1 UDP 1 1.2.3.4 5 typ weird',
    ]) {
      expect(parseCandidateLine(bad)).toBeNull();
    }
  });

  it('compares ICE server URLs without case, default port or transport=udp', () => {
    expect(normalizeIceUrl('STUN:Play.Example.com')).toBe('stun:play.example.com:3478');
    expect(normalizeIceUrl(TURN_UDP)).toBe('turn:turn.example.com:3478');
    expect(normalizeIceUrl(TURN_TCP)).toBe('turn:turn.example.com:3478?transport=tcp');
    expect(normalizeIceUrl('turns:turn.example.com')).toBe('turns:turn.example.com:5349');
  });
});

describe('the connection verdict', () => {
  it('same mapped port from both STUN ports: direct (Firefox, which keeps both candidates)', () => {
    const r = classify(
      evidence(gathered([c(firefox.mdnsHost), c(firefox.srflx(50021), MAIN), c(firefox.srflx(50021), ALT)])),
    );
    expect(r).toMatchObject({
      verdict: 'direct',
      reason: 'same-mapping',
      found: { host: 1, srflx: 2, relay: 0 },
    });
    expect(r.mapped).toEqual([
      { address: '203.0.113.7', port: 50021, from: 'main' },
      { address: '203.0.113.7', port: 50021, from: 'alt' },
    ]);
  });

  it('one srflx (Chromium drops the duplicate) is direct only if the other port answered on its own', () => {
    const compare = gathered([c(chromium.mdnsHost), c(chromium.tcpHost), c(chromium.srflx(61001), MAIN)]);
    expect(classify(evidence(compare))).toMatchObject({ verdict: 'direct', reason: 'same-mapping' });
    // The alternate port never answered: a single mapping proves nothing.
    expect(classify(evidence(compare, { probes: [mappedProbe(MAIN), silentProbe(ALT)] }))).toMatchObject({
      verdict: 'unknown',
      reason: 'inconclusive',
    });
  });

  it('different mapped ports: symmetric NAT, TURN if a relay candidate came, else the server relay', () => {
    const symmetric = [c(chromium.mdnsHost), c(chromium.srflx(61001), MAIN), c(chromium.srflx(61002), ALT)];
    expect(classify(evidence(gathered(symmetric)))).toMatchObject({
      verdict: 'relay-only',
      reason: 'mapping-varies',
      turn: 'none',
    });
    expect(
      classify(evidence(gathered([...symmetric, c(chromium.relay, TURN_UDP, 'udp')]), { turn: 'tested' })),
    ).toMatchObject({
      verdict: 'turn',
      reason: 'mapping-varies',
      turn: 'reached',
      turnProtocol: 'udp',
    });
    expect(classify(evidence(gathered(symmetric), { turn: 'tested' }))).toMatchObject({
      verdict: 'relay-only',
      turn: 'unreached',
    });
    // Home page: TURN exists but is not tested without member credentials.
    expect(classify(evidence(gathered(symmetric), { turn: 'configured' }))).toMatchObject({
      verdict: 'turn',
      turn: 'untested',
    });
  });

  it('different ports on two networks are two sockets, not a symmetric NAT', () => {
    const twoNetworks = [c(chromium.srflx(61001, 1), MAIN), c(chromium.srflx(61777, 2), ALT)];
    expect(classify(evidence(gathered(twoNetworks)))).toMatchObject({ verdict: 'direct' });
  });

  it('tells the two answers apart without event.url, by their socket', () => {
    expect(classify(evidence(gathered([c(firefox.srflx(50021)), c(firefox.srflx(50999))])))).toMatchObject({
      verdict: 'relay-only',
      reason: 'mapping-varies',
    });
    expect(classify(evidence(gathered([c(chromium.srflx(61001))])))).toMatchObject({
      verdict: 'direct',
      reason: 'same-mapping',
    });
  });

  it('no srflx anywhere: UDP is blocked; TURN over TCP if a relay candidate came', () => {
    const blocked = { probes: [silentProbe(MAIN), silentProbe(ALT)] as const };
    const relayTcp = c(chromium.relay, TURN_TCP, 'tcp');
    expect(
      classify(
        evidence(gathered([c(chromium.mdnsHost), relayTcp], { complete: false }), {
          ...blocked,
          turn: 'tested',
        }),
      ),
    ).toMatchObject({
      verdict: 'turn',
      reason: 'udp-blocked',
      turnProtocol: 'tcp',
      found: { relay: 1 },
    });
    // Without relayProtocol (older browsers) the TURN URL tells the transport.
    expect(
      classify(evidence(gathered([c(chromium.relay, TURN_TCP)]), { ...blocked, turn: 'tested' }))
        .turnProtocol,
    ).toBe('tcp');
    expect(
      classify(
        evidence(gathered([c(chromium.mdnsHost)], { complete: false }), { ...blocked, turn: 'tested' }),
      ),
    ).toMatchObject({ verdict: 'relay-only', reason: 'udp-blocked' });
    expect(classify(evidence(gathered([c(firefox.mdnsHost)]), blocked))).toMatchObject({
      verdict: 'relay-only',
      reason: 'udp-blocked',
    });
  });

  it('a public host without NAT: no srflx, yet both ports answered, so direct; with a silent port, unknown', () => {
    const ownAddress = gathered([c('candidate:1 1 UDP 2122252543 198.51.100.40 50021 typ host')]);
    const compare = gathered([c('candidate:1 1 UDP 2122252543 198.51.100.40 50021 typ host')]);
    expect(classify(evidence(compare, { probes: [ownAddress, ownAddress] }))).toMatchObject({
      verdict: 'direct',
      reason: 'no-nat',
    });
    expect(classify(evidence(compare, { probes: [ownAddress, silentProbe(ALT)] }))).toMatchObject({
      verdict: 'unknown',
      reason: 'inconclusive',
    });
    // Gathering that timed out, or a STUN error, is not an answer.
    const timedOut = gathered(ownAddress.candidates, { complete: false });
    const errored = gathered(ownAddress.candidates, { errorUrls: [ALT] });
    expect(classify(evidence(compare, { probes: [timedOut, errored] }))).toMatchObject({
      verdict: 'relay-only',
      reason: 'udp-blocked',
    });
    // Hidden host addresses would have let the srflx through: silence there is no answer.
    const hidden = gathered([c(chromium.mdnsHost)]);
    expect(classify(evidence(compare, { probes: [hidden, hidden] }))).toMatchObject({
      reason: 'udp-blocked',
    });
  });

  it('ignores srflx from TURN servers, TCP and prflx candidates', () => {
    const compare = gathered([
      c(chromium.srflx(61001), MAIN),
      c(chromium.srflx(61050), TURN_UDP),
      c(chromium.prflx),
    ]);
    expect(classify(evidence(compare))).toMatchObject({
      verdict: 'direct',
      found: { host: 0, srflx: 2, relay: 0 },
    });
  });

  it('without STUN on the server there is nothing to check', () => {
    expect(classify(evidence(gathered([c(chromium.host)]), { stunUrls: [] }))).toMatchObject({
      verdict: 'unknown',
      reason: 'no-stun',
    });
  });
});
