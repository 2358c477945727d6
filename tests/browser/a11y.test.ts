import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchChromium, newPlayerContext } from '../helpers/chromium';
import { driveOut, waitStage } from './gamePages';
import { gotoHome, openPlayer } from './pages';
import { renderedContrastFailures } from './contrast';
import { joinFromBrowser, LONGEST, longestChat, longestLobby, resize, startRound } from './uiPages';

const AXE_PATH = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

let browser: Browser;
const baseURL = inject('baseURL');
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(() => browser?.close());

/**
 * axe-core's violations on the page as it is now, one line each: `rule (impact): selector`. Every rule
 * runs (none disabled, nothing excluded). Text whose contrast axe could not work out from styles (over
 * the page's gradient, the game's canvas, overlapping boxes) would otherwise pass unseen: it is measured
 * on the rendered pixels (contrast.ts). A page where the color-contrast rule saw no text at all fails.
 */
async function axeViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE_PATH });
  const { lines, unverified } = await page.evaluate(async () => {
    type Rule = { id: string; impact: string; nodes: { target: string[] }[] };
    const axe = (
      window as unknown as {
        axe: {
          run: (
            ctx: Document,
            opts: object,
          ) => Promise<{ violations: Rule[]; incomplete: Rule[]; passes: Rule[] }>;
        };
      }
    ).axe;
    const { violations, incomplete, passes } = await axe.run(document, {});
    const contrast = (rules: Rule[]) =>
      rules.filter((r) => r.id === 'color-contrast').flatMap((r) => r.nodes.map((n) => n.target.join(' ')));
    return {
      lines: [
        ...violations.flatMap((v) => v.nodes.map((n) => `${v.id} (${v.impact}): ${n.target.join(' ')}`)),
        ...(contrast([...violations, ...passes, ...incomplete]).length === 0
          ? ['color-contrast: no text checked']
          : []),
      ],
      unverified: contrast(incomplete),
    };
  });
  return [
    ...lines,
    ...(await renderedContrastFailures(page, unverified)).map((f) => `color-contrast (rendered): ${f}`),
  ];
}

describe('axe-core finds no violations, and every text meets WCAG AA contrast (desktop and phone)', () => {
  it('home, nickname prompt, lobby with chat, a round in play and the results', async () => {
    const { host, guest, code } = await longestLobby(browser, baseURL);
    const found: Record<string, string[]> = {};
    const both = async (state: string) => {
      found[`${state} desktop`] = await axeViolations(host.page);
      found[`${state} phone`] = await axeViolations(guest.page);
    };

    // Home: the guest on a phone with the lobby listed; a desktop visitor with the same.
    const visitor = await openPlayer(browser, baseURL, LONGEST.guest, 'desktop');
    await gotoHome(visitor.page);
    await gotoHome(guest.page);
    for (const p of [visitor.page, guest.page]) await p.locator(`[data-lobby-code="${code}"]`).waitFor();
    found['home desktop'] = await axeViolations(visitor.page);
    found['home phone'] = await axeViolations(guest.page);
    // A home-page error: joining without a nickname.
    await visitor.page.getByLabel('Your nickname').fill('');
    await visitor.page.getByRole('button', { name: 'Create lobby' }).click();
    await visitor.page.getByText('Choose a nickname first.').waitFor();
    // The error is the field's: it is focused, marked invalid, and described by the error text.
    const nicknameField = visitor.page.getByRole('textbox', { name: 'Your nickname' });
    expect(await nicknameField.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await nicknameField.getAttribute('aria-invalid')).toBe('true');
    expect(
      await nicknameField.evaluate((el) =>
        el
          .getAttribute('aria-describedby')!
          .split(' ')
          .map((id) => document.getElementById(id)?.textContent)
          .join(' '),
      ),
    ).toContain('Choose a nickname');
    await nicknameField.fill('Vic');
    await visitor.page.getByRole('textbox', { name: 'Lobby code' }).fill('0000');
    await visitor.page.getByRole('button', { name: 'Join', exact: true }).click();
    const codeField = visitor.page.getByRole('textbox', { name: 'Lobby code' });
    await visitor.page.locator('[aria-invalid="true"]#lobbyCode').waitFor();
    expect(
      await codeField.evaluate(
        (el) => document.getElementById(el.getAttribute('aria-describedby') ?? '')?.textContent,
      ),
    ).toMatch(/^A code is 6/);
    found['home error desktop'] = await axeViolations(visitor.page);

    // Someone without a nickname opens the lobby's address: the nickname prompt.
    const stranger = await (await newPlayerContext(browser, baseURL, 'phone')).newPage();
    await stranger.goto(`/lobby/${code}`);
    await stranger.getByRole('button', { name: 'Join lobby' }).waitFor();
    found['nickname prompt phone'] = await axeViolations(stranger);
    await stranger.context().close();

    await joinFromBrowser(guest.page, code, [LONGEST.host, LONGEST.guest]);
    await longestChat([host.page, guest.page]);
    await both('lobby');

    await startRound(host.page, guest.page);
    await both('game');
    await driveOut(guest.page);
    for (const p of [host.page, guest.page]) await waitStage(p, '[data-phase="matchOver"]');
    await both('results');
    // A narrow phone too: the layout changes, the rules must still hold.
    await resize(guest.page, 320);
    found['results 320'] = await axeViolations(guest.page);

    expect(found).toEqual(Object.fromEntries(Object.keys(found).map((k) => [k, []])));
    for (const c of [host, guest, visitor]) await c.context.close();
  }, 180_000); // eleven states, each captured twice per half screen for contrast, on a busy 2-core machine
});
