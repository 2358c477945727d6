import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchChromium } from '../helpers/chromium';
import { createLobby, gotoHome, openPlayer } from './pages';

let browser: Browser;
const baseURL = inject('baseURL');

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(() => browser?.close());

const VERDICTS = ['direct', 'turn', 'relay-only', 'unknown'];

interface Seen {
  state: string | null;
  busy: string | null;
  buttonDisabled: string | null;
  height: number;
}

/**
 * Clicks "Check my connection" and waits for the next result or error. Every state the card goes
 * through is recorded by a MutationObserver installed first: on loopback the checking state may
 * last only a few frames, too short to poll for.
 */
async function runCheck(page: Page): Promise<Seen[]> {
  const card = page.getByTestId('connection-check');
  expect(await card.getAttribute('aria-live')).toBe('polite');
  await card.evaluate((el) => {
    const w = window as unknown as { seen: unknown[] };
    w.seen = [];
    const button = [...document.querySelectorAll('button')].find(
      (b) => b.textContent === 'Check my connection',
    )!;
    new MutationObserver(() =>
      w.seen.push({
        state: el.getAttribute('data-state'),
        busy: el.getAttribute('aria-busy'),
        buttonDisabled: button.getAttribute('aria-disabled'),
        height: el.getBoundingClientRect().height,
      }),
    ).observe(el, { attributes: true, childList: true, subtree: true });
  });
  const heightBefore = (await card.boundingBox())!.height;
  await page.getByRole('button', { name: 'Check my connection' }).focus();
  await page.keyboard.press('Enter');
  await page.waitForFunction(
    () =>
      (window as unknown as { seen: Seen[] }).seen.some((s) => s.state === 'result' || s.state === 'error'),
    null,
    {
      timeout: 20_000,
    },
  );
  const seen = await page.evaluate(() => (window as unknown as { seen: Seen[] }).seen);
  // Busy while checking, the button refusing a second run, and the card keeping its height.
  const checking = seen.filter((s) => s.state === 'checking');
  expect(checking.length).toBeGreaterThan(0);
  for (const s of checking)
    expect(s).toMatchObject({ busy: 'true', buttonDisabled: 'true', height: heightBefore });
  return seen;
}

async function expectResult(page: Page) {
  const card = page.getByTestId('connection-check');
  expect(await card.getAttribute('data-state')).toBe('result');
  // Announced: the live region holds the headline and the round trip.
  expect(await card.textContent()).toMatch(/Round trip to the server: \d/);
  expect(VERDICTS).toContain(await card.getAttribute('data-verdict'));
  expect(await card.getAttribute('aria-busy')).toBe('false');
  const rtt = Number(await card.getAttribute('data-rtt-ms'));
  expect(rtt).toBeGreaterThanOrEqual(0);
  expect(rtt).toBeLessThan(5000);
  expect(await page.getByTestId('connection-check-rtt').textContent()).toMatch(/^\d+(\.\d)? ms$/);
  expect((await page.getByTestId('connection-check-headline').textContent())?.length).toBeGreaterThan(10);
  // Focus stayed on the button (aria-disabled, not disabled), ready to check again.
  expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Check my connection');
  expect(await page.getByRole('button', { name: 'Check my connection' }).getAttribute('aria-disabled')).toBe(
    'false',
  );
  // The details open with the candidate counts.
  await page.getByText('Details', { exact: true }).click();
  await expect
    .poll(() => page.getByText(/\d+ host · \d+ server-reflexive · \d+ relay/).isVisible())
    .toBe(true);
}

const noHorizontalOverflow = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

describe('Check my connection', () => {
  for (const viewport of ['desktop', 'phone'] as const) {
    it(`on the home page reaches a verdict with a round trip (${viewport})`, async () => {
      const player = await openPlayer(browser, baseURL, 'Cora', viewport);
      await gotoHome(player.page);
      expect(await player.page.getByTestId('connection-check').getAttribute('data-state')).toBe('idle');
      await runCheck(player.page);
      await expectResult(player.page);
      expect(await noHorizontalOverflow(player.page)).toBe(true);
      await player.context.close();
    });
  }

  it('in a lobby, next to the connections, with the member TURN credentials', async () => {
    const host = await openPlayer(browser, baseURL, 'Hana', 'phone');
    await createLobby(host.page, { name: 'Check here', visibility: 'private' });
    await runCheck(host.page);
    await expectResult(host.page);
    expect(await noHorizontalOverflow(host.page)).toBe(true);
    // A second run goes through checking again and ends in a result again.
    await runCheck(host.page);
    expect(await host.page.getByTestId('connection-check').getAttribute('data-state')).toBe('result');
    await host.context.close();
  });
});
