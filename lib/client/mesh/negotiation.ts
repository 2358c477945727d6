import type { SignalPayload } from '../../protocol';

export type Role = 'offerer' | 'answerer';

/**
 * The newcomer offers: of a pair, the member later in the lobby's join-ordered member list. Both
 * sides see the same relative order (the list only appends and removes), so they agree and the
 * first connection of a pair never has glare. It also means existing members never offer to a
 * newcomer whose Mesh may not exist yet: the newcomer's offer reaches members already meshed.
 * (The lexicographic rule loses exactly that race.) Unknown ids fall back to comparing ids.
 */
export function roleFor(memberOrder: readonly string[], selfId: string, peerId: string): Role {
  const self = memberOrder.indexOf(selfId);
  const peer = memberOrder.indexOf(peerId);
  if (self < 0 || peer < 0) return selfId < peerId ? 'offerer' : 'answerer';
  return self > peer ? 'offerer' : 'answerer';
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
export function decideSignal(
  current: number | null,
  role: Role,
  negotiationId: number,
  signal: SignalPayload,
): SignalDecision {
  if (current !== null && negotiationId < current) return 'drop-stale';
  if (current !== null && negotiationId === current) return 'deliver';
  if (signal.type === 'candidate') return 'stash';
  if (signal.description.type === 'offer') return role === 'answerer' ? 'new-link' : 'drop-unexpected';
  return 'drop-unexpected';
}
