import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  ICE_REFRESH_MIN_DELAY_MS,
  ICE_REFRESH_RETRY_MAX_MS,
  ICE_REFRESH_RETRY_MS,
  IceRefresher,
} from '../../lib/client/iceRefresh';
import { ErrorCode, fail, ok, type IceGrant, type Result } from '../../lib/protocol';

const TTL_MS = 60_000;
const grant = (username: string, ttlMs: number | null = TTL_MS): IceGrant => ({
  iceServers: [{ urls: 'turn:t.example:3478', username, credential: 'c' }],
  iceServersExpireAt: ttlMs === null ? null : Date.now() + ttlMs,
  iceServersTtlMs: ttlMs,
});

/** A refresher whose server answers from a script; records when each request was made. */
function setup(answers: (() => Result<IceGrant>)[]) {
  const asked: number[] = [];
  const granted: string[] = [];
  const start = Date.now();
  const refresher = new IceRefresher({
    fetch: () => {
      asked.push(Date.now() - start);
      const next = answers.shift();
      return Promise.resolve(next ? next() : fail(ErrorCode.UNAVAILABLE));
    },
    onGrant: (g) => granted.push(g.iceServers[0]!.username!),
  });
  return { refresher, asked, granted };
}

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(1_700_000_000_000);
});
afterEach(() => vi.useRealTimers());

describe('IceRefresher: TURN credentials renewed before they expire', () => {
  it('refreshes at 3/4 of the lifetime, then again at 3/4 of the new one', async () => {
    const { refresher, asked, granted } = setup([
      () => ok(grant('second')),
      () => ok(grant('third', 20_000)),
    ]);
    refresher.schedule(grant('first'));
    await vi.advanceTimersByTimeAsync(44_999);
    expect(asked).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(asked).toEqual([45_000]);
    expect(granted).toEqual(['second']);
    await vi.advanceTimersByTimeAsync(45_000);
    expect(asked).toEqual([45_000, 90_000]);
    expect(granted).toEqual(['second', 'third']);
    // The third grant lives 20 s: its refresh is due 15 s later.
    await vi.advanceTimersByTimeAsync(15_000);
    expect(asked).toEqual([45_000, 90_000, 105_000]);
    refresher.stop();
  });

  it('retries a failed refresh with doubling backoff up to the cap, and resumes the schedule on success', async () => {
    const failures = Array.from({ length: 7 }, () => () => fail<IceGrant>(ErrorCode.UNAVAILABLE));
    const { refresher, asked, granted } = setup([...failures, () => ok(grant('late'))]);
    refresher.schedule(grant('first'));
    await vi.advanceTimersByTimeAsync(45_000 + 1_000 + 2_000 + 4_000 + 8_000 + 16_000 + 30_000 + 30_000);
    const gaps = asked.slice(1).map((t, i) => t - asked[i]!);
    expect(asked[0]).toBe(45_000);
    expect(gaps).toEqual([
      ICE_REFRESH_RETRY_MS,
      2_000,
      4_000,
      8_000,
      16_000,
      ICE_REFRESH_RETRY_MAX_MS,
      ICE_REFRESH_RETRY_MAX_MS,
    ]);
    expect(granted).toEqual(['late']);
    // Backoff is reset: the next refresh is a regular one, 3/4 of the new lifetime later.
    const before = asked.length;
    await vi.advanceTimersByTimeAsync(44_999);
    expect(asked.length).toBe(before);
    await vi.advanceTimersByTimeAsync(1);
    expect(asked.length).toBe(before + 1);
    refresher.stop();
  });

  it('gives up when the server says the seat is gone (NOT_IN_LOBBY)', async () => {
    const { refresher, asked } = setup([() => fail(ErrorCode.NOT_IN_LOBBY)]);
    refresher.schedule(grant('first'));
    await vi.advanceTimersByTimeAsync(45_000);
    expect(asked).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(asked).toHaveLength(1);
  });

  it('stop() cancels the pending refresh, and an answer that arrives after stop() is dropped', async () => {
    const { refresher, asked } = setup([]);
    refresher.schedule(grant('first'));
    refresher.stop();
    await vi.advanceTimersByTimeAsync(10 * TTL_MS);
    expect(asked).toEqual([]);

    let answer!: (r: Result<IceGrant>) => void;
    const granted: IceGrant[] = [];
    const slow = new IceRefresher({
      fetch: () => new Promise((r) => (answer = r)),
      onGrant: (g) => granted.push(g),
    });
    slow.schedule(grant('first'));
    await vi.advanceTimersByTimeAsync(45_000);
    slow.stop();
    answer(ok(grant('too-late')));
    await vi.advanceTimersByTimeAsync(10 * TTL_MS);
    expect(granted).toEqual([]);
  });

  it('a new grant (resume) replaces the schedule instead of adding one', async () => {
    const { refresher, asked } = setup([() => ok(grant('next'))]);
    refresher.schedule(grant('first'));
    await vi.advanceTimersByTimeAsync(30_000);
    refresher.schedule(grant('resumed'));
    await vi.advanceTimersByTimeAsync(44_999);
    expect(asked).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(asked).toEqual([75_000]);
    refresher.stop();
  });

  it('without TURN (no lifetime) never asks; a tiny claimed lifetime is floored', async () => {
    const { refresher, asked } = setup([() => ok(grant('x', 100))]);
    refresher.schedule(grant('stun-only', null));
    await vi.advanceTimersByTimeAsync(24 * 3600_000);
    expect(asked).toEqual([]);
    refresher.schedule(grant('tiny', 100));
    await vi.advanceTimersByTimeAsync(ICE_REFRESH_MIN_DELAY_MS - 1);
    expect(asked).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(asked).toHaveLength(1);
    refresher.stop();
  });
});
