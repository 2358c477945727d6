import { describe, expect, it } from 'vitest';
import { candidateKey, candidatesIn, isActiveTcp, keepSdpCandidates } from '../../lib/client/mesh/candidates';

// As Chromium 120+ writes them: trickled with `ufrag`, in SDP without.
const UDP =
  'candidate:2052776750 1 udp 2122260223 127.0.0.1 33386 typ host generation 0 ufrag zECK network-id 1 network-cost 50';
const UDP_IN_SDP =
  'candidate:2052776750 1 udp 2122260223 127.0.0.1 33386 typ host generation 0 network-id 1 network-cost 50';
const TCP_ACTIVE =
  'candidate:2230335418 1 tcp 1518280447 127.0.0.1 9 typ host tcptype active generation 0 ufrag zECK network-id 1';
const TCP_PASSIVE = 'candidate:1 1 TCP 1518280447 10.0.0.2 443 typ host tcptype passive';
const RELAY = 'candidate:3 1 udp 41885439 10.0.0.9 50000 typ relay raddr 10.0.0.2 rport 6000 generation 0';
const SDP = ['v=0', 'a=ice-ufrag:zECK', `a=${UDP_IN_SDP}`, `a=${TCP_ACTIVE}`, 'a=end-of-candidates', ''].join(
  '\r\n',
);

describe('ICE candidate lines', () => {
  it('recognises active TCP candidates only', () => {
    expect(isActiveTcp(TCP_ACTIVE)).toBe(true);
    expect(isActiveTcp(TCP_PASSIVE)).toBe(false);
    expect(isActiveTcp(UDP)).toBe(false);
    // TURN over TCP still yields UDP relay candidates.
    expect(isActiveTcp(RELAY)).toBe(false);
    expect(isActiveTcp('')).toBe(false);
  });

  it('identifies a candidate the same way trickled and in SDP', () => {
    expect(candidateKey(UDP)).toBe(candidateKey(UDP_IN_SDP));
    expect(candidateKey(UDP)).not.toBe(candidateKey(TCP_ACTIVE));
    expect(candidatesIn(SDP)).toEqual(new Set([candidateKey(UDP), candidateKey(TCP_ACTIVE)]));
    expect(candidatesIn('v=0\r\n').size).toBe(0);
  });

  it('drops the embedded candidates a predicate rejects and leaves every other line as it was', () => {
    const kept = keepSdpCandidates(SDP, (line) => !isActiveTcp(line));
    expect(kept).toBe(['v=0', 'a=ice-ufrag:zECK', `a=${UDP_IN_SDP}`, 'a=end-of-candidates', ''].join('\r\n'));
    expect(keepSdpCandidates(SDP, () => true)).toBe(SDP);
    expect(keepSdpCandidates('v=0\r\n', () => false)).toBe('v=0\r\n');
  });
});
