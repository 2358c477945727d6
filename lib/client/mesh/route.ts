import { assertNever } from '../../protocol';

/** How a pair's messages travel right now. 'turn' is a direct link whose selected pair uses a TURN relay candidate. */
export type Route = 'direct' | 'turn' | 'relay';

/**
 * A pair's lifecycle. Each state has at most one timer:
 * - connecting: the connect deadline of the first direct attempt;
 * - unstable (ICE disconnected, still sending on the link): the grace period;
 * - relayed, waiting: the delay before the next direct attempt; relayed, trying: that attempt's deadline.
 */
export type PeerState =
  | { kind: 'connecting' }
  | { kind: 'connected' }
  | { kind: 'unstable' }
  | { kind: 'relayed'; attempt: number; trying: boolean }
  | { kind: 'closed' };

export type PeerStateKind = PeerState['kind'];

export type RouteEvent =
  /** All channels of the current link are open (again). */
  | { type: 'link-open' }
  /** ICE reports `disconnected` on an open link. */
  | { type: 'link-disconnected' }
  /** The link is gone: ICE failed, a channel closed, or the connection could not be set up. */
  | { type: 'link-failed' }
  /** The state's timer fired. */
  | { type: 'timer' }
  /**
   * A frame came from the other side through the server relay: it has given up on the link for now
   * (its ICE failed, or its deadline passed). A browser without usable candidates (Firefox on a
   * loopback-only host) fails in milliseconds; without this its partner waited out the whole connect
   * deadline before answering on the relay.
   */
  | { type: 'remote-relayed' }
  | { type: 'close' };

export type RouteEffect =
  /** (Re)arm the pair's single timer. */
  | { type: 'arm-timer'; ms: number }
  | { type: 'clear-timer' }
  /** Send over the link from now on; hand it the reliable frames no route has carried yet. */
  | { type: 'use-link' }
  /** Send over the server relay from now on; resend the unacknowledged frames the link may have lost. */
  | { type: 'use-relay' }
  /** Try direct again (the offerer does it: an ICE restart first, then a fresh connection). */
  | { type: 'attempt'; attempt: number }
  | { type: 'close' };

export interface RouteTimings {
  connectDeadlineMs: number;
  graceMs: number;
  retryMaxMs: number;
}

export interface Transition {
  state: PeerState;
  effects: RouteEffect[];
}

/** Delay before background attempt `attempt` (1-based): doubling from the connect deadline, capped. */
export function retryDelay(attempt: number, t: RouteTimings): number {
  return Math.min(t.connectDeadlineMs * 2 ** Math.max(0, attempt - 1), t.retryMaxMs);
}

export const usesLink = (s: PeerState) => s.kind === 'connected' || s.kind === 'unstable';
export const usesRelay = (s: PeerState) => s.kind === 'relayed';

const stay = (state: PeerState): Transition => ({ state, effects: [] });

/** The route state machine of one pair. Pure: the Peer runs the effects. */
export function nextRoute(state: PeerState, event: RouteEvent, t: RouteTimings): Transition {
  if (state.kind === 'closed') return stay(state);
  if (event.type === 'close')
    return { state: { kind: 'closed' }, effects: [{ type: 'clear-timer' }, { type: 'close' }] };

  const toConnected = (fromLink: boolean): Transition => ({
    state: { kind: 'connected' },
    effects: fromLink ? [{ type: 'clear-timer' }] : [{ type: 'clear-timer' }, { type: 'use-link' }],
  });
  // Lost a link we were sending on: relay at once, and try direct again right away.
  const linkLost = (): Transition => ({
    state: { kind: 'relayed', attempt: 1, trying: true },
    effects: [
      { type: 'use-relay' },
      { type: 'attempt', attempt: 1 },
      { type: 'arm-timer', ms: t.connectDeadlineMs },
    ],
  });

  switch (state.kind) {
    case 'connecting':
      switch (event.type) {
        case 'link-open':
          return toConnected(false);
        case 'link-failed':
        case 'timer':
        // The link attempt goes on: if it opens after all, link-open moves the pair onto it.
        case 'remote-relayed':
          return {
            state: { kind: 'relayed', attempt: 1, trying: false },
            effects: [{ type: 'use-relay' }, { type: 'arm-timer', ms: retryDelay(1, t) }],
          };
        case 'link-disconnected':
          return stay(state);
        default:
          return assertNever(event);
      }
    case 'connected':
      switch (event.type) {
        case 'link-open':
        case 'timer':
        // A remote that relays while our link is open decides on its own evidence; ours still works.
        case 'remote-relayed':
          return stay(state);
        case 'link-disconnected':
          return { state: { kind: 'unstable' }, effects: [{ type: 'arm-timer', ms: t.graceMs }] };
        case 'link-failed':
          return linkLost();
        default:
          return assertNever(event);
      }
    case 'unstable':
      switch (event.type) {
        case 'link-open':
          return toConnected(true);
        case 'link-disconnected':
        case 'remote-relayed':
          return stay(state);
        case 'link-failed':
        case 'timer':
          return linkLost();
        default:
          return assertNever(event);
      }
    case 'relayed':
      switch (event.type) {
        case 'link-open':
          return toConnected(false);
        case 'link-disconnected':
        case 'remote-relayed':
          return stay(state);
        case 'link-failed':
          if (!state.trying) return stay(state);
          return nextAttemptLater(state.attempt, t);
        case 'timer':
          if (state.trying) return nextAttemptLater(state.attempt, t);
          return {
            state: { kind: 'relayed', attempt: state.attempt, trying: true },
            effects: [
              { type: 'attempt', attempt: state.attempt },
              { type: 'arm-timer', ms: t.connectDeadlineMs },
            ],
          };
        default:
          return assertNever(event);
      }
    default:
      return assertNever(state);
  }
}

function nextAttemptLater(attempt: number, t: RouteTimings): Transition {
  const next = attempt + 1;
  return {
    state: { kind: 'relayed', attempt: next, trying: false },
    effects: [{ type: 'arm-timer', ms: retryDelay(next, t) }],
  };
}
