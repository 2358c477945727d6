import { describe, expect, it } from 'vitest';
import { PeerLink, type RTCPeerConnectionCtor } from '../../lib/client/mesh/PeerLink';

const fresh: RTCIceServer[] = [{ urls: 'turn:t.example:3478', username: '1700000600:p', credential: 'c' }];

/** The parts of RTCPeerConnection an answerer's PeerLink touches before any signal, plus configuration. */
function fakePc(kind: 'browser' | 'no-setConfiguration' | 'throws') {
  const made: { config: RTCConfiguration; set: RTCConfiguration[] }[] = [];
  class Fake {
    onicecandidate = null;
    onicegatheringstatechange = null;
    oniceconnectionstatechange = null;
    onconnectionstatechange = null;
    onnegotiationneeded = null;
    ondatachannel = null;
    private readonly record: { config: RTCConfiguration; set: RTCConfiguration[] };
    constructor(config: RTCConfiguration) {
      this.record = { config, set: [] };
      made.push(this.record);
      if (kind === 'no-setConfiguration') return;
      Object.assign(this, {
        getConfiguration: () => this.record.config,
        setConfiguration: (c: RTCConfiguration) => {
          if (kind === 'throws') throw new Error('InvalidModificationError');
          this.record.set.push(c);
          this.record.config = c;
        },
      });
    }
    close() {}
  }
  return { Pc: Fake as unknown as RTCPeerConnectionCtor, made };
}

const link = (Pc: RTCPeerConnectionCtor) =>
  new PeerLink({
    negotiationId: 1,
    role: 'answerer',
    Pc,
    config: {
      iceServers: [{ urls: 'turn:t.example:3478', username: '1700000000:p', credential: 'old' }],
      iceTransportPolicy: 'relay',
    },
    offererCandidateHoldMs: 0,
    candidateGatherWaitMs: 0,
    signal: () => undefined,
    onFrame: () => undefined,
    onState: () => undefined,
  });

describe('PeerLink.setIceServers: fresh TURN credentials for a live connection', () => {
  it('swaps only the ICE servers, keeping the rest of the configuration (relay-only stays relay-only)', () => {
    const { Pc, made } = fakePc('browser');
    expect(link(Pc).setIceServers(fresh)).toBe(true);
    expect(made[0]!.set).toEqual([{ iceServers: fresh, iceTransportPolicy: 'relay' }]);
  });

  it('is a no-op returning false where setConfiguration is missing or refuses, and after close', () => {
    expect(link(fakePc('no-setConfiguration').Pc).setIceServers(fresh)).toBe(false);
    expect(link(fakePc('throws').Pc).setIceServers(fresh)).toBe(false);
    const { Pc, made } = fakePc('browser');
    const closed = link(Pc);
    closed.close();
    expect(closed.setIceServers(fresh)).toBe(false);
    expect(made[0]!.set).toEqual([]);
  });
});
