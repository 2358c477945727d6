/**
 * Ring Out input-to-screen latency on loopback, in headless Chromium: three pages (host H, guests A
 * and B, direct WebRTC links). A key goes down in page A; we time until A's puck is drawn moved
 * (≥ MOVED_U world units) in A's frame (prediction), in H's (the authority) and in B's (A → H → B,
 * interpolated). Times come from the frame callbacks (canvas data-pucks writes), in absolute
 * high-resolution time (performance.timeOrigin + now) so pages compare; the keydown time is the
 * event's own timeStamp in page A. Pixels reach the screen one composite later (≈ +1 frame).
 * Beside B's figure it prints the floor the issue set for it: 1 RTT (mean of the A–H and H–B round trips
 * the mesh measures) + 1 snapshot interval + 1 frame (B's measured frame interval) + the jitter allowance
 * (B's adaptive interpolation delay beyond one snapshot interval, read from the canvas each trial).
 * Needs a production build. Part of `npm run bench` (`npm run bench:game` alone).
 * Bounded: `trials` presses, DEADLINE_MS overall.
 */
import type { Page } from 'playwright-core';
import { launchChromium } from '../../tests/helpers/chromium';
import { startAppProcess } from '../../tests/helpers/appProcess';
import { puckSeen, selfSlot, startGame, waitStage, type Player } from '../../tests/browser/gamePages';
import { openPlayer } from '../../tests/browser/pages';
import { SNAPSHOT_EVERY_TICKS, TICK_MS } from '../../lib/game/constants';

const SNAPSHOT_INTERVAL_MS = SNAPSHOT_EVERY_TICKS * TICK_MS;
const DEADLINE_MS = 120_000;
/** A puck at rest that moved this far has started moving (positions are shown to 0.1 u). */
const MOVED_U = 0.3;
/** Quiet time before a trial: the puck has stopped everywhere. */
const REST_MS = 250;
const WAIT_MS = 5_000;

declare global {
  interface Window {
    __lat?: { moves: { t: number; x: number; y: number }[]; keyAt: number };
  }
}

/** Records every drawn position of `slot` with its absolute time. */
async function record(page: Page, slot: number) {
  await page.evaluate((s) => {
    const canvas = document.querySelector<HTMLCanvasElement>('[data-testid="game-canvas"]')!;
    const state = { moves: [] as { t: number; x: number; y: number }[], keyAt: 0 };
    window.__lat = state;
    new MutationObserver(() => {
      const row = (canvas.dataset.pucks ?? '').split(';').find((r) => r.startsWith(`${s}:`));
      if (!row) return;
      const [x, y] = row
        .slice(row.indexOf(':') + 1)
        .split(',')
        .map(Number);
      const last = state.moves.at(-1);
      if (last && last.x === x && last.y === y) return;
      state.moves.push({ t: performance.timeOrigin + performance.now(), x: x!, y: y! });
      if (state.moves.length > 2000) state.moves.splice(0, 1000);
    }).observe(canvas, { attributes: true, attributeFilter: ['data-pucks'] });
    window.addEventListener('keydown', (e) => void (state.keyAt = performance.timeOrigin + e.timeStamp), {
      capture: true,
    });
  }, slot);
}

const restedSince = (page: Page, ms: number) =>
  page.waitForFunction(
    (q) => {
      const last = window.__lat!.moves.at(-1);
      return !last || performance.timeOrigin + performance.now() - last.t > q;
    },
    ms,
    { timeout: WAIT_MS },
  );

const lastPos = (page: Page) => page.evaluate(() => window.__lat!.moves.at(-1) ?? null);

/** Absolute time of the first drawn position ≥ MOVED_U from `from`, after `after`. */
async function movedAt(page: Page, from: { x: number; y: number }, after: number): Promise<number> {
  const h = await page.waitForFunction(
    ({ fx, fy, a, d }) =>
      window.__lat!.moves.find((m) => m.t >= a && Math.hypot(m.x - fx, m.y - fy) >= d)?.t ?? null,
    { fx: from.x, fy: from.y, a: after, d: MOVED_U },
    { timeout: WAIT_MS },
  );
  return (await h.jsonValue()) as number;
}

/** The round trip `page` measures to `member` (the member row's badge), or null when it shows none. */
async function rttTo(page: Page, member: string): Promise<number | null> {
  const raw = await page
    .locator('[data-testid="member"]', { hasText: member })
    .locator('[data-rtt-ms]')
    .getAttribute('data-rtt-ms', { timeout: 2_000 })
    .catch(() => null);
  return raw === null ? null : Number(raw);
}

/** How far behind its authority `page` draws the others now (null on a build without the hook). */
async function interpDelay(page: Page): Promise<number | null> {
  const raw = await page.getByTestId('game-canvas').getAttribute('data-interp-delay');
  return raw ? Number(raw) : null;
}

/** Mean frame interval of `page` over 60 frames. A string, not a function: tsx would wrap named closures in a helper the page lacks. */
async function frameInterval(page: Page): Promise<number> {
  return (await page.evaluate(`new Promise((resolve) => {
    const ts = [];
    const f = (t) => (ts.push(t) < 61 ? requestAnimationFrame(f) : resolve((ts[60] - ts[0]) / 60));
    requestAnimationFrame(f);
  })`)) as number;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const round1 = (x: number) => Math.round(x * 10) / 10;

export interface Spread {
  median: number;
  p90: number;
  min: number;
  max: number;
  n: number;
}

function spread(xs: number[]): Spread {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => round1(s[Math.min(s.length - 1, Math.floor((s.length - 1) * p))]!);
  return { median: q(0.5), p90: q(0.9), min: round1(s[0]!), max: round1(s.at(-1)!), n: s.length };
}

export interface GameLatencyFigures {
  /** Key down in page A → A's puck drawn moved by MOVED_U in A's own frame (prediction). */
  own: Spread;
  /** … in the authority H's frame. */
  authority: Spread;
  /** … in the other player B's frame (A → H → B, interpolated). */
  remote: Spread;
  /** Trials thrown away: a round ended, or no move within WAIT_MS. */
  discarded: number;
  frameMs: { a: number; b: number };
  /** How far behind its simulation the authority draws (0: none). */
  authorityDelayMs: number | null;
  /** The floor for B: 1 RTT + 1 snapshot interval + 1 frame + the jitter allowance (null without the hooks). */
  floor: { rttMs: number; snapshotMs: number; frameMs: number; jitterMs: number; totalMs: number } | null;
}

export async function measureGameLatency(
  trials: number,
  log: (line: string) => void,
): Promise<GameLatencyFigures> {
  const started = Date.now();
  const app = await startAppProcess();
  const browser = await launchChromium();
  try {
    const players: Player[] = [];
    for (const name of ['Hal', 'Ann', 'Bob']) {
      const p = await openPlayer(browser, app.url, name);
      players.push({ context: p.context, page: p.page, name });
    }
    const [host, a, b] = players as [Player, Player, Player];
    await startGame(players, 'Latency');
    for (const p of players) await waitStage(p.page, '[data-phase="play"]');
    const slot = await selfSlot(a.page);
    for (const p of players) await record(p.page, slot);
    const own: number[] = [];
    const authority: number[] = [];
    const remote: number[] = [];
    const pages = [a.page, host.page, b.page];
    const roundOf = (p: Page) => p.getByTestId('game-stage').getAttribute('data-round');
    let discarded = 0;
    const rtts: number[] = [];
    const delays: number[] = [];
    for (
      let trial = 0;
      own.length < trials && trial < trials * 2 && Date.now() - started < DEADLINE_MS;
      trial++
    ) {
      await waitStage(a.page, '[data-phase="play"]', WAIT_MS * 10);
      const round = await roundOf(a.page);
      for (const p of pages) await restedSince(p, REST_MS);
      const from = await Promise.all(pages.map(async (p) => (await lastPos(p)) ?? (await puckSeen(p, slot))));
      // Towards the centre along x: the puck never leaves the ring.
      const key = from[0]!.x >= 0 ? 'ArrowLeft' : 'ArrowRight';
      await a.page.keyboard.down(key);
      const keyAt = await a.page.evaluate(() => window.__lat!.keyAt);
      const times = await Promise.all(pages.map((p, i) => movedAt(p, from[i]!, keyAt - 1).catch(() => null)));
      await a.page.keyboard.up(key);
      // A round that ended (or a countdown) during the trial moves pucks by itself: not a measurement.
      const stillPlaying =
        (await roundOf(a.page)) === round &&
        (await a.page.getByTestId('game-stage').getAttribute('data-phase')) === 'play';
      if (!stillPlaying || times.some((t) => t === null)) {
        discarded++;
        continue;
      }
      own.push(times[0]! - keyAt);
      authority.push(times[1]! - keyAt);
      remote.push(times[2]! - keyAt);
      const pair = await Promise.all([rttTo(a.page, host.name), rttTo(host.page, b.name)]);
      if (pair[0] !== null && pair[1] !== null) rtts.push((pair[0] + pair[1]) / 2);
      const delay = await interpDelay(b.page);
      if (delay !== null) delays.push(delay);
      log(
        `game latency trial ${own.length}: A ${own.at(-1)!.toFixed(0)} / H ${authority.at(-1)!.toFixed(0)} / B ${remote.at(-1)!.toFixed(0)} ms`,
      );
    }
    if (own.length === 0) throw new Error(`no game latency trial succeeded (${discarded} discarded)`);
    // Context: how often the pages actually draw (headless, 2 shared cores).
    const frameA = await frameInterval(a.page);
    const frameB = await frameInterval(b.page);
    const authorityDelayMs = await interpDelay(host.page);
    let floor: GameLatencyFigures['floor'] = null;
    if (rtts.length && delays.length) {
      const rttMs = mean(rtts);
      const jitterMs = mean(delays) - SNAPSHOT_INTERVAL_MS;
      floor = {
        rttMs: round1(rttMs),
        snapshotMs: round1(SNAPSHOT_INTERVAL_MS),
        frameMs: round1(frameB),
        jitterMs: round1(jitterMs),
        totalMs: round1(rttMs + SNAPSHOT_INTERVAL_MS + frameB + jitterMs),
      };
    }
    for (const p of players) await p.context.close();
    return {
      own: spread(own),
      authority: spread(authority),
      remote: spread(remote),
      discarded,
      frameMs: { a: round1(frameA), b: round1(frameB) },
      authorityDelayMs,
      floor,
    };
  } finally {
    await browser.close();
    await app.stop();
  }
}
