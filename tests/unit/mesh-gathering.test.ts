import { describe, expect, it } from 'vitest';
import { PeerLink, type LinkState, type RTCPeerConnectionCtor } from '../../lib/client/mesh/PeerLink';

/** Just enough of an RTCPeerConnection for an answerer's PeerLink to gather (no signal has arrived). */
class GatheringPc {
  static last: GatheringPc | null = null;
  iceGatheringState: RTCIceGatheringState = 'new';
  onicecandidate: ((e: { candidate: RTCIceCandidate | null }) => void) | null = null;
  onicegatheringstatechange: (() => void) | null = null;
  oniceconnectionstatechange = null;
  onconnectionstatechange = null;
  onnegotiationneeded = null;
  ondatachannel = null;
  constructor() {
    GatheringPc.last = this;
  }
  gather(state: RTCIceGatheringState) {
    this.iceGatheringState = state;
    this.onicegatheringstatechange?.();
  }
  candidate(line: string) {
    this.onicecandidate?.({
      candidate: {
        candidate: line,
        sdpMid: '0',
        sdpMLineIndex: 0,
        usernameFragment: null,
      } as RTCIceCandidate,
    });
  }
  close() {}
}

function answerer() {
  const states: LinkState[] = [];
  new PeerLink({
    negotiationId: 1,
    role: 'answerer',
    Pc: GatheringPc as unknown as RTCPeerConnectionCtor,
    config: {},
    offererCandidateHoldMs: 0,
    candidateGatherWaitMs: 0,
    signal: () => undefined,
    onFrame: () => undefined,
    onState: (s) => states.push(s),
  });
  return { pc: GatheringPc.last!, states };
}

describe('PeerLink: a gathering that found nothing fails at once', () => {
  it('no usable local candidate when gathering completes: failed now, so the pair relays without waiting', () => {
    const { pc, states } = answerer();
    pc.gather('gathering');
    // An active TCP candidate is never signalled: it cannot help the other side either.
    pc.candidate('candidate:1 1 tcp 1518280447 0.0.0.0 9 typ host tcptype active generation 0');
    pc.gather('complete');
    expect(states).toEqual(['failed']);
  });

  it('one usable candidate: gathering completes and the link keeps connecting', () => {
    const { pc, states } = answerer();
    pc.gather('gathering');
    pc.candidate(
      'candidate:2 1 udp 2113937151 a3b1c2d4-0000-4000-8000-000000000000.local 50000 typ host generation 0',
    );
    pc.gather('complete');
    expect(states).toEqual([]);
  });
});
