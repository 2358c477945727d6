import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchChromium } from '../helpers/chromium';
import { driveOut, waitStage } from './gamePages';
import { gotoHome, openPlayer } from './pages';
import {
  joinFromBrowser,
  LONGEST,
  longestChat,
  longestLobby,
  pageWidth,
  resize,
  startRound,
} from './uiPages';

let browser: Browser;
const baseURL = inject('baseURL');
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(() => browser?.close());

const PHONE_WIDTHS = [320, 360, 390];
const WIDE_WIDTHS = [768, 1280];

/** Every width at which the page is wider than the window, as `width→scrollWidth`. */
async function overflowing(page: Page, widths: number[]): Promise<string[]> {
  const out: string[] = [];
  for (const w of widths) {
    await resize(page, w);
    const { scrollWidth, innerWidth } = await pageWidth(page);
    if (scrollWidth > innerWidth) out.push(`${innerWidth}→${scrollWidth}`);
  }
  return out;
}

describe('no horizontal overflow at 320–1280 px with the longest names, nicknames, chat lines and codes', () => {
  it('home (a public lobby with the longest name listed), lobby and game pages fit every width', async () => {
    const { host, guest, code } = await longestLobby(browser, baseURL);
    const visitor = await openPlayer(browser, baseURL, LONGEST.guest, 'desktop');
    const found: Record<string, string[]> = {};

    // Home, on a phone and on a desktop, with the longest lobby name listed.
    await gotoHome(guest.page);
    await gotoHome(visitor.page);
    for (const p of [guest.page, visitor.page])
      await p.locator(`[data-lobby-code="${code}"]`).getByText(LONGEST.lobbyName).waitFor();
    found['home phone'] = await overflowing(guest.page, PHONE_WIDTHS);
    found['home wide'] = await overflowing(visitor.page, WIDE_WIDTHS);
    // The Join button of that row is on screen at the narrowest width.
    await resize(guest.page, 320);
    const box = await guest.page.locator(`[data-lobby-code="${code}"]`).getByRole('button').boundingBox();
    found['home 320 Join button'] =
      box && box.x >= 0 && box.x + box.width <= 320 ? [] : [`right edge at ${box ? box.x + box.width : '?'}`];

    // Lobby: longest nicknames, name, code and chat lines.
    await joinFromBrowser(guest.page, code, [LONGEST.host, LONGEST.guest]);
    await longestChat([host.page, guest.page]);
    found['lobby phone'] = await overflowing(guest.page, PHONE_WIDTHS);
    found['lobby wide'] = await overflowing(host.page, [...WIDE_WIDTHS, ...PHONE_WIDTHS]);

    // The game: a round being played, then the results.
    await resize(guest.page, 390, 844);
    await resize(host.page, 1280);
    await startRound(host.page, guest.page);
    found['game phone'] = await overflowing(guest.page, PHONE_WIDTHS);
    found['game wide'] = await overflowing(host.page, WIDE_WIDTHS);
    await resize(guest.page, 390, 844);
    await driveOut(guest.page);
    for (const p of [host.page, guest.page]) await waitStage(p, '[data-phase="matchOver"]');
    found['results phone'] = await overflowing(guest.page, PHONE_WIDTHS);
    found['results wide'] = await overflowing(host.page, WIDE_WIDTHS);

    expect(found).toEqual(Object.fromEntries(Object.keys(found).map((k) => [k, []])));
    for (const c of [host, guest, visitor]) await c.context.close();
  });
});
