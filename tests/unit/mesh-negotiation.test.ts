import { describe, expect, it } from 'vitest';
import { decideSignal, nextNegotiationId, roleFor } from '../../lib/client/mesh/negotiation';
import type { SignalPayload } from '../../lib/protocol';

const offer: SignalPayload = { type: 'description', description: { type: 'offer', sdp: 'v=0' } };
const answer: SignalPayload = { type: 'description', description: { type: 'answer', sdp: 'v=0' } };
const candidate: SignalPayload = {
  type: 'candidate',
  candidate: { candidate: 'candidate:1', sdpMid: '0', sdpMLineIndex: 0 },
};

describe('negotiation ids', () => {
  it('drops every signal of an older connection', () => {
    for (const s of [offer, answer, candidate]) {
      expect(decideSignal(10, 'answerer', 9, s)).toBe('drop-stale');
      expect(decideSignal(10, 'offerer', 3, s)).toBe('drop-stale');
    }
  });

  it('delivers signals of the current connection (answers, candidates, ICE-restart offers)', () => {
    for (const s of [offer, answer, candidate]) expect(decideSignal(10, 'answerer', 10, s)).toBe('deliver');
  });

  it('an offer with a newer id replaces the answerer’s connection; the offerer never takes one', () => {
    expect(decideSignal(10, 'answerer', 11, offer)).toBe('new-link');
    expect(decideSignal(null, 'answerer', 1, offer)).toBe('new-link');
    expect(decideSignal(10, 'offerer', 11, offer)).toBe('drop-unexpected');
    expect(decideSignal(null, 'offerer', 11, answer)).toBe('drop-unexpected');
  });

  it('stashes candidates that are ahead of their offer', () => {
    expect(decideSignal(10, 'answerer', 12, candidate)).toBe('stash');
    expect(decideSignal(null, 'answerer', 1, candidate)).toBe('stash');
  });

  it('new ids only grow', () => {
    const ids = Array.from({ length: 50 }, () => nextNegotiationId());
    for (let i = 1; i < ids.length; i++) expect(ids[i]!).toBeGreaterThan(ids[i - 1]!);
    expect(Math.max(...ids)).toBeLessThan(2 ** 31);
  });
});

describe('offerer rule', () => {
  it('the newcomer offers; both sides agree', () => {
    const order = ['host', 'second', 'third'];
    expect(roleFor(order, 'third', 'host')).toBe('offerer');
    expect(roleFor(order, 'host', 'third')).toBe('answerer');
    expect(roleFor(order, 'second', 'host')).toBe('offerer');
    expect(roleFor(order, 'second', 'third')).toBe('answerer');
  });

  it('falls back to a symmetric id comparison when an id is not in the list', () => {
    expect(roleFor([], 'a', 'b')).toBe('offerer');
    expect(roleFor([], 'b', 'a')).toBe('answerer');
  });
});
