import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  nextRoute,
  retryDelay,
  usesLink,
  usesRelay,
  type PeerState,
  type RouteEvent,
  type RouteTimings,
} from '../../lib/client/mesh/route';

const t: RouteTimings = { connectDeadlineMs: 1000, graceMs: 300, retryMaxMs: 5000 };
const run = (events: RouteEvent['type'][], from: PeerState = { kind: 'connecting' }) => {
  let state = from;
  const effects = [];
  for (const type of events) {
    const next = nextRoute(state, { type } as RouteEvent, t);
    state = next.state;
    effects.push(next.effects);
  }
  return { state, effects };
};
const types = (effects: { type: string }[]) => effects.map((e) => e.type);

describe('route state machine', () => {
  it('connecting → connected when the link opens, handing it the waiting frames', () => {
    const { state, effects } = run(['link-open']);
    expect(state).toEqual({ kind: 'connected' });
    expect(types(effects[0]!)).toEqual(['clear-timer', 'use-link']);
  });

  it('no direct link by the deadline → relay, and a background attempt after a delay', () => {
    const { state, effects } = run(['timer']);
    expect(state).toEqual({ kind: 'relayed', attempt: 1, trying: false });
    expect(effects[0]).toEqual([{ type: 'use-relay' }, { type: 'arm-timer', ms: 1000 }]);
  });

  it('background attempts back off, doubling up to the cap, and switch back when one opens', () => {
    const { state, effects } = run([
      'timer',
      'timer',
      'timer',
      'timer',
      'link-failed',
      'timer',
      'timer',
      'timer',
    ]);
    expect(effects[1]).toEqual([
      { type: 'attempt', attempt: 1 },
      { type: 'arm-timer', ms: 1000 },
    ]);
    expect(effects[2]).toEqual([{ type: 'arm-timer', ms: 2000 }]);
    expect(effects[4]).toEqual([{ type: 'arm-timer', ms: 4000 }]);
    expect(effects[6]).toEqual([{ type: 'arm-timer', ms: 5000 }]);
    expect(effects[7]).toEqual([
      { type: 'attempt', attempt: 4 },
      { type: 'arm-timer', ms: 1000 },
    ]);
    expect(state).toEqual({ kind: 'relayed', attempt: 4, trying: true });
    const back = nextRoute(state, { type: 'link-open' }, t);
    expect(back.state).toEqual({ kind: 'connected' });
    expect(types(back.effects)).toEqual(['clear-timer', 'use-link']);
  });

  it('ICE disconnected gets a grace period; healing inside it changes nothing else', () => {
    const { state, effects } = run(['link-disconnected', 'link-open'], { kind: 'connected' });
    expect(effects[0]).toEqual([{ type: 'arm-timer', ms: 300 }]);
    expect(state).toEqual({ kind: 'connected' });
    // Same link: nothing to resend.
    expect(types(effects[1]!)).toEqual(['clear-timer']);
  });

  it('grace expiry or failure of a used link → relay at once, resend, and attempt right away', () => {
    for (const events of [['link-disconnected', 'timer'], ['link-failed']] as RouteEvent['type'][][]) {
      const { state, effects } = run(events, { kind: 'connected' });
      expect(state).toEqual({ kind: 'relayed', attempt: 1, trying: true });
      expect(effects.at(-1)).toEqual([
        { type: 'use-relay' },
        { type: 'attempt', attempt: 1 },
        { type: 'arm-timer', ms: 1000 },
      ]);
    }
  });

  it('the other side relaying moves a connecting pair to the relay at once; the link may still open later', () => {
    const { state, effects } = run(['remote-relayed', 'link-open']);
    expect(effects[0]).toEqual([{ type: 'use-relay' }, { type: 'arm-timer', ms: 1000 }]);
    expect(types(effects[1]!)).toEqual(['clear-timer', 'use-link']);
    expect(state).toEqual({ kind: 'connected' });
    // Once on a link (or already relayed) it changes nothing.
    for (const from of [
      { kind: 'connected' },
      { kind: 'unstable' },
      { kind: 'relayed', attempt: 1, trying: true },
    ] as PeerState[]) {
      expect(nextRoute(from, { type: 'remote-relayed' }, t)).toEqual({ state: from, effects: [] });
    }
  });

  it('a failure of a link nobody is trying is ignored while relayed', () => {
    const { effects } = run(['link-failed'], { kind: 'relayed', attempt: 2, trying: false });
    expect(effects[0]).toEqual([]);
  });

  it('closed absorbs every event', () => {
    const closing = run(['close'], { kind: 'connected' });
    expect(closing.state).toEqual({ kind: 'closed' });
    expect(types(closing.effects[0]!)).toEqual(['clear-timer', 'close']);
    for (const type of [
      'link-open',
      'link-failed',
      'timer',
      'close',
      'link-disconnected',
      'remote-relayed',
    ] as const) {
      expect(nextRoute({ kind: 'closed' }, { type }, t)).toEqual({ state: { kind: 'closed' }, effects: [] });
    }
  });

  it('retry delays start at the deadline and stop at the cap', () => {
    expect([1, 2, 3, 4, 10].map((a) => retryDelay(a, t))).toEqual([1000, 2000, 4000, 5000, 5000]);
  });

  it('invariants hold for any event sequence', () => {
    const event = fc.constantFrom<RouteEvent['type']>(
      'link-open',
      'link-disconnected',
      'link-failed',
      'timer',
      'close',
      'remote-relayed',
    );
    fc.assert(
      fc.property(fc.array(event, { maxLength: 60 }), (events) => {
        let state: PeerState = { kind: 'connecting' };
        let closed = false;
        let everRouted = false;
        for (const type of events) {
          const { state: next, effects } = nextRoute(state, { type } as RouteEvent, t);
          // At most one timer armed per step, and never both kinds of route at once.
          expect(effects.filter((e) => e.type === 'arm-timer').length).toBeLessThanOrEqual(1);
          expect(usesLink(next) && usesRelay(next)).toBe(false);
          if (closed) expect(next.kind).toBe('closed');
          // Once a pair had a route it never goes back to having none (until closed).
          if (everRouted && next.kind !== 'closed') expect(usesLink(next) || usesRelay(next)).toBe(true);
          // Switching to the relay always resends; switching to a fresh link always flushes.
          if (usesRelay(next) && !usesRelay(state)) expect(types(effects)).toContain('use-relay');
          if (next.kind === 'connected' && (state.kind === 'connecting' || state.kind === 'relayed'))
            expect(types(effects)).toContain('use-link');
          if (next.kind === 'relayed') {
            expect(next.attempt).toBeGreaterThanOrEqual(1);
          }
          everRouted ||= usesLink(next) || usesRelay(next);
          closed ||= next.kind === 'closed';
          state = next;
        }
      }),
      { numRuns: 500 },
    );
  });
});
