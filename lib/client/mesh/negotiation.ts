import type { SignalPayload } from '../../protocol';

export type Role = 'offerer' | 'answerer';

/**
 * The lexicographically smaller player id offers. Pure and symmetric: both sides agree without
 * knowing who joined first, so the first connection of a pair never has glare.
 */
export function roleFor(selfId: string, peerId: string): Role {
  return selfId < peerId ? 'offerer' : 'answerer';
}

let lastNegotiationId = 0;

/**
 * A fresh negotiation id for a new RTCPeerConnection. Increasing across every Mesh of this page, so
 * a recreated Mesh's offers supersede an older one's at the other end.
 */
export function nextNegotiationId(): number {
  lastNegotiationId = Math.max(lastNegotiationId + 1, Date.now() % 2 ** 30);
  return lastNegotiationId;
}

export type SignalDecision =
  /** For the current connection. */
  | 'deliver'
  /** An offer for a newer connection: replace ours and answer it. */
  | 'new-link'
  /** A candidate for a newer connection whose offer has not arrived: keep it for that connection. */
  | 'stash'
  /** For an older connection. */
  | 'drop-stale'
  /** Not possible under the offerer rule (e.g. an answer for a connection we never offered). */
  | 'drop-unexpected';

/** What to do with a signal, given the negotiation id of our current connection for that pair. */
export function decideSignal(current: number | null, role: Role, negotiationId: number, signal: SignalPayload): SignalDecision {
  if (current !== null && negotiationId < current) return 'drop-stale';
  if (current !== null && negotiationId === current) return 'deliver';
  if (signal.type === 'candidate') return 'stash';
  if (signal.description.type === 'offer') return role === 'answerer' ? 'new-link' : 'drop-unexpected';
  return 'drop-unexpected';
}
