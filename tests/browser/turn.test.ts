import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startAppProcess, type AppProcess } from '../helpers/appProcess';
import { launchChromium } from '../helpers/chromium';
import { startCoturn, type Coturn } from '../helpers/coturn';
import {
  expectRoutes,
  gatherLobby,
  heard,
  openMeshPlayer,
  say,
  showConnectionDetails,
  unique,
  type MeshPlayer,
} from './meshPages';

/**
 * Short enough to watch a credential expire within one test (refreshed at 3/4: ~15 s), long enough
 * that a busy machine still makes its first allocations with the first one.
 */
const TTL_S = 20;

let browser: Browser;
let coturn: Coturn;
let app: AppProcess;

beforeAll(async () => {
  coturn = await startCoturn();
  // Its own server: the shared one has no TURN configured.
  app = await startAppProcess({
    TURN_URLS: coturn.url,
    TURN_SECRET: coturn.secret,
    TURN_TTL_S: String(TTL_S),
  });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await coturn?.stop();
});

/** A "Hide my IP" player: relay-only ICE, so every pair of candidates runs through coturn. */
async function hiddenPlayer(name: string, opts: { restartHook?: boolean } = {}) {
  const p = await openMeshPlayer(browser, app.url, name);
  await p.context.addInitScript((hook) => {
    window.localStorage.setItem('peerlobby.hideIp', '1');
    if (hook) window.localStorage.setItem('peerlobby.debug.restartIce', '1');
  }, Boolean(opts.restartHook));
  return p;
}

/** Every TURN REST username this player received from the server (acks and refreshes), in order. */
function usernames(p: MeshPlayer): { expiryS: number; playerId: string; username: string }[] {
  const seen: { expiryS: number; playerId: string; username: string }[] = [];
  for (const frame of p.frames) {
    for (const m of frame.matchAll(/"username":"(\d{10}):([A-Za-z0-9_-]+)"/g)) {
      seen.push({ expiryS: Number(m[1]), playerId: m[2]!, username: `${m[1]}:${m[2]}` });
    }
  }
  return seen;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('TURN in Chromium (real coturn, use-auth-secret)', () => {
  it('"Hide my IP" players connect through coturn with REST credentials; the panel says TURN', async () => {
    const players = await Promise.all(['Tia', 'Udo'].map((name) => hiddenPlayer(name)));
    await gatherLobby(players, 'Private route');
    const [tia, udo] = players as [MeshPlayer, MeshPlayer];
    await showConnectionDetails(tia.page);
    await showConnectionDetails(udo.page);
    await expectRoutes(tia.page, { Udo: 'turn' });
    await expectRoutes(udo.page, { Tia: 'turn' });
    expect(await tia.page.getByRole('switch', { name: 'Hide my IP address' }).isChecked()).toBe(true);
    // coturn saw allocations made with our short-lived `<expiry>:<player>` usernames.
    await coturn.waitForLog(/allocation.*success|ALLOCATE processed, success/i);
    expect(coturn.log()).toMatch(/\d{10}:[A-Za-z0-9_-]{16}/);
    for (const p of players) await p.context.close();
  });

  it('credentials are refreshed before they expire: an ICE restart after the first ones expired allocates with the fresh ones', async () => {
    const players = await Promise.all(
      ['Vic', 'Wes'].map((name) => hiddenPlayer(name, { restartHook: true })),
    );
    await gatherLobby(players, 'Refresh route');
    const [vic, wes] = players as [MeshPlayer, MeshPlayer];
    for (const p of players) await showConnectionDetails(p.page);
    await expectRoutes(vic.page, { Wes: 'turn' });
    await expectRoutes(wes.page, { Vic: 'turn' });

    const first = players.map((p) => usernames(p)[0]!);
    // Each page refreshes by itself (ice:refresh at 3/4 of the lifetime): wait for a later credential.
    await vi.waitUntil(
      () => players.every((p, i) => usernames(p).some((u) => u.expiryS > first[i]!.expiryS)),
      {
        timeout: TTL_S * 1000,
        interval: 100,
      },
    );
    for (const [i, p] of players.entries())
      expect(new Set(usernames(p).map((u) => u.playerId))).toEqual(new Set([first[i]!.playerId]));
    // coturn refuses a username once its expiry second is past: wait for both first ones to be dead.
    const deadAtMs = (Math.max(...first.map((u) => u.expiryS)) + 1) * 1000;
    await vi.waitUntil(() => Date.now() > deadAtMs, { timeout: TTL_S * 1000, interval: 100 });

    // Restart ICE on the pair (only the offering side can), with the first credentials expired.
    const logFrom = coturn.log().length;
    const restarted = await Promise.all([
      vic.page.evaluate(() => window.peerlobbyRestartIce?.('Wes') ?? null),
      wes.page.evaluate(() => window.peerlobbyRestartIce?.('Vic') ?? null),
    ]);
    expect(restarted.sort()).toEqual([false, true]);

    // Both sides gathered anew (the answerer follows the restarted offer) and coturn allocated for each
    // with a refreshed username, which could only have come from setConfiguration on the live link.
    const fresh = players.map((p, i) =>
      usernames(p)
        .filter((u) => u.expiryS > first[i]!.expiryS)
        .map((u) => u.username),
    );
    for (const names of fresh) {
      const anyFresh = names.map(escape).join('|');
      await coturn.waitForLog(
        new RegExp(`user <(${anyFresh})>: incoming packet ALLOCATE processed, success`),
        15_000,
        logFrom,
      );
      // And used it towards the other side: a permission for the peer's new relayed address.
      await coturn.waitForLog(
        new RegExp(`user <(${anyFresh})>: incoming packet CREATE_PERMISSION processed, success`),
        15_000,
        logFrom,
      );
    }
    const after = coturn.log().slice(logFrom);
    for (const u of first)
      expect(after).not.toMatch(
        new RegExp(`user <${escape(u.username)}>: incoming packet ALLOCATE processed, success`),
      );

    // The pair is still (again) on TURN, and chat crosses it both ways.
    await expectRoutes(vic.page, { Wes: 'turn' });
    await expectRoutes(wes.page, { Vic: 'turn' });
    const there = unique('after-restart');
    await say(vic, there);
    expect(await heard(wes.page, there)).toBe('Vic');
    const back = unique('and-back');
    await say(wes, back);
    expect(await heard(vic.page, back)).toBe('Wes');
    for (const p of players) await p.context.close();
  }, 90_000);
});
