import type { Browser as ChromiumBrowser } from 'playwright-core';
import type { Browser as FirefoxBrowser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DIRECT_CONNECT_DEADLINE_MS } from '../../lib/client/mesh/constants';
import { launchChromium } from '../helpers/chromium';
import { launchFirefox, newFirefoxPlayer, type FirefoxPlayer } from '../helpers/firefox';
import { puckSeen, tickOf, waitPuckMoved, waitStage, waitTickPast } from './gamePages';
import { createLobby, expectMembers, inviteLink, openPlayer } from './pages';
import { heard, say, unique, type MeshPlayer } from './meshPages';
import {
  ffButton,
  ffExpectMembers,
  ffGotoHome,
  ffHeard,
  ffRouteOf,
  ffSay,
  ffWaitStage,
} from './firefoxPages';

/**
 * Firefox players (puppeteer over WebDriver BiDi) with Chromium players, on the suite's loopback-only
 * network. There Firefox gathers no usable ICE candidate, so a Chromium ↔ Firefox pair ends on the
 * server relay: these tests check that the app says so and works over it.
 */
let chromium: ChromiumBrowser;
let firefox: FirefoxBrowser;
const baseURL = inject('baseURL');
const opened: Array<{ context: { close(): Promise<unknown> } }> = [];

beforeAll(async () => {
  const t0 = performance.now();
  firefox = await launchFirefox();
  console.info(`firefox launched in ${Math.round(performance.now() - t0)} ms`);
  chromium = await launchChromium();
});
afterAll(async () => {
  await firefox?.close();
  await chromium?.close();
});

async function chromiumPlayer(name: string) {
  const p = await openPlayer(chromium, baseURL, name);
  opened.push(p);
  return p;
}

async function firefoxPlayer(name: string): Promise<FirefoxPlayer> {
  const p = await newFirefoxPlayer(firefox, name);
  opened.push(p);
  return p;
}

async function closeAll() {
  for (const p of opened.splice(0)) await p.context.close();
}

/** A Chromium host's private lobby with a Firefox guest who came through the invite link. */
async function mixedLobby(label: string) {
  const host = await chromiumPlayer('Chris');
  const fox = await firefoxPlayer('Fox');
  await createLobby(host.page, { name: unique(label), visibility: 'private' });
  const link = await inviteLink(host.page);
  const joinedAt = performance.now();
  await fox.page.goto(link);
  await ffExpectMembers(fox.page, ['Chris', 'Fox']);
  const joinMs = performance.now() - joinedAt;
  await expectMembers(host.page, ['Chris', 'Fox']);
  return { host, fox, joinMs, joinedAt };
}

describe('Firefox with Chromium players', () => {
  it('the lobby browser lists a public lobby a Chromium player created, and one click joins it', async () => {
    const host = await chromiumPlayer('Chris');
    const name = unique('Open');
    await createLobby(host.page, { name, visibility: 'public' });
    const fox = await firefoxPlayer('Fox');
    const t0 = performance.now();
    await ffGotoHome(fox.page, baseURL);
    console.info(`firefox home page connected in ${Math.round(performance.now() - t0)} ms`);
    await ffButton(fox.page, `Join ${name}`).click();
    await ffExpectMembers(fox.page, ['Chris', 'Fox']);
    await expectMembers(host.page, ['Chris', 'Fox']);
    expect(fox.page.url()).toMatch(/\/lobby\/[A-Z2-9]{6}$/);
    expect(fox.dialogs).toEqual([]);
    await closeAll();
  });

  it('an invite link opens a private lobby in Firefox; its code alone does not', async () => {
    const host = await chromiumPlayer('Chris');
    await createLobby(host.page, { name: unique('Secret'), visibility: 'private' });
    const link = await inviteLink(host.page);
    const fox = await firefoxPlayer('Fox');
    await fox.page.goto(link.slice(0, link.indexOf('#')));
    await fox.page.waitForSelector('[data-testid="join-error"][data-error="NOT_FOUND"]');
    await fox.page.goto(link);
    await ffExpectMembers(fox.page, ['Chris', 'Fox']);
    await expectMembers(host.page, ['Chris', 'Fox']);
    await closeAll();
  });

  it('Chromium and Firefox chat both ways; on loopback the pair is shown relayed, never direct', async () => {
    const { host, fox, joinMs, joinedAt } = await mixedLobby('Chat');
    console.info(`firefox joined by invite link in ${Math.round(joinMs)} ms`);
    // Both sides agree on the route, and the badge says it in words.
    const badge = await ffRouteOf(fox.page, 'Chris', 'relay', 'Relayed');
    expect(badge).not.toContain('Direct');
    const hostRow = host.page.locator('[data-testid="member"]', { hasText: 'Fox' });
    // Firefox's ICE fails at once and it relays; Chromium follows on its first relayed frame instead of
    // waiting out its own connect deadline.
    await host.page.locator('[data-testid="member"][data-route="relay"]', { hasText: 'Fox' }).waitFor();
    const relayedMs = performance.now() - joinedAt;
    console.info(
      `chromium shows the pair relayed ${Math.round(relayedMs)} ms after firefox opened the invite`,
    );
    expect(relayedMs).toBeLessThan(DIRECT_CONNECT_DEADLINE_MS);
    expect(await hostRow.textContent()).toContain('Relayed');
    expect(await hostRow.textContent()).not.toContain('Direct');

    const fromChromium = unique('from-chromium');
    const fromFirefox = unique('from-firefox');
    const chris: MeshPlayer = { ...host, name: 'Chris', frames: [] };
    await say(chris, fromChromium);
    expect(await ffHeard(fox.page, fromChromium)).toBe('Chris');
    await ffSay(fox.page, fromFirefox);
    expect(await heard(host.page, fromFirefox)).toBe('Fox');
    await closeAll();
  });

  it('Firefox gets ready, the Chromium host starts, the game runs on both and Firefox keys move its puck', async () => {
    const { host, fox } = await mixedLobby('Game');
    const step = performance.now();
    const lap = (what: string) => console.info(`${what}: ${Math.round(performance.now() - step)} ms`);
    await ffButton(fox.page, 'I’m ready').click();
    await host.page.getByText('Everyone is ready!').waitFor();
    lap('ready seen by host');
    await host.page.getByRole('button', { name: 'Start game' }).click();
    await waitStage(host.page, '[data-status="live"]');
    await ffWaitStage(fox.page, '[data-status="live"]');
    lap('game live on both');
    await waitStage(host.page, '[data-status="live"][data-phase="play"]');
    await ffWaitStage(fox.page, '[data-status="live"][data-phase="play"]');
    lap('play phase on both');

    await ffWaitStage(fox.page, ':not([data-self-slot=""])');
    const foxSlot = Number(
      await fox.page.$eval('[data-testid="game-stage"]', (el) => el.getAttribute('data-self-slot')),
    );
    const before = await puckSeen(host.page, foxSlot);
    const dir = before.x >= 0 ? 'ArrowLeft' : 'ArrowRight'; // towards the centre: stays in the ring
    await fox.page.keyboard.down(dir);
    await waitPuckMoved(host.page, foxSlot, before, 40);
    await fox.page.keyboard.up(dir);
    lap('firefox puck moved on chromium');
    await closeAll();
  });

  it("the Firefox host's tab goes to the background: its own timers crawl, the match keeps 60 ticks/s", async () => {
    // Firefox hosts (the host's page runs the simulation); Chromium joins and watches the clock.
    const fox = await firefoxPlayer('Fox');
    await ffGotoHome(fox.page, baseURL);
    await fox.page.locator('input[name="lobbyName"]').fill(unique('Background'));
    await ffButton(fox.page, 'Create lobby').click();
    const linkField = await fox.page.locator('#inviteLink').waitHandle();
    const link = await linkField.evaluate((el) => (el as HTMLInputElement).value);
    const chris = await chromiumPlayer('Chris');
    await chris.page.goto(link);
    await expectMembers(chris.page, ['Fox', 'Chris']);
    await chris.page.getByRole('button', { name: 'I’m ready' }).click();
    await fox.page.waitForFunction(() => document.body.textContent?.includes('Everyone is ready!'));
    await ffButton(fox.page, 'Start game').click();
    await ffWaitStage(fox.page, '[data-status="live"][data-phase="play"]');
    await waitStage(chris.page, '[data-status="live"][data-phase="play"]');

    // Another tab in front of Fox's game page, as when a host waits in another tab.
    const tab = await fox.context.newPage();
    await tab.bringToFront();
    await fox.page.waitForFunction(() => document.visibilityState === 'hidden');
    // The control: the hidden page's own timers really are throttled (a 10 ms interval runs ~1/s)...
    const pageTimerRuns = await fox.page.evaluate(
      () =>
        new Promise<number>((resolve) => {
          let n = 0;
          const id = setInterval(() => n++, 10);
          setTimeout(() => (clearInterval(id), resolve(n)), 2000);
        }),
    );
    expect(pageTimerRuns).toBeLessThan(50);
    // ...yet the simulation it runs (ticked from a Worker) keeps its pace, as Chris's page sees it.
    const tick0 = await tickOf(chris.page);
    const t0 = Date.now();
    await waitTickPast(chris.page, tick0 + 180);
    const ticksPerS = ((await tickOf(chris.page)) - tick0) / ((Date.now() - t0) / 1000);
    expect(ticksPerS).toBeGreaterThanOrEqual(55);
    await tab.close();
    await closeAll();
  });
});
