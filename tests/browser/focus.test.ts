import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchChromium } from '../helpers/chromium';
import { driveOut, shortMatches, waitStage } from './gamePages';
import { createLobby, expectMembers, inviteLink, openPlayer } from './pages';

let browser: Browser;
const baseURL = inject('baseURL');
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(() => browser?.close());

/** The focused element, described: `tag|accessible text|data-testid`. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    return el ? `${el.tagName.toLowerCase()}|${el.innerText.trim()}|${el.dataset.testid ?? ''}` : 'none';
  });

/** Starts collecting every text the game's live region says. */
const recordAnnouncements = (page: Page) =>
  page.evaluate(() => {
    const w = window as unknown as { said: string[] };
    w.said = [];
    new MutationObserver(() => {
      const text = document.querySelector('[data-testid="game-announcer"]')?.textContent;
      if (text && text !== w.said.at(-1)) w.said.push(text);
    }).observe(document.body, { childList: true, subtree: true, characterData: true });
  });
const announcements = (page: Page) =>
  page.evaluate(() => (window as unknown as { said: string[] }).said.join(' | '));

describe('focus follows the player, and the game speaks', () => {
  it('lobby heading after create and join, the first Tab reaches the main action; results and the kick notice take focus; events announced', async () => {
    const ann = await openPlayer(browser, baseURL, 'Ann');
    const ben = await openPlayer(browser, baseURL, 'Ben', 'phone');
    await shortMatches(ann.context);
    await shortMatches(ben.context);

    await createLobby(ann.page, { name: 'Focus', visibility: 'private' });
    expect(await focused(ann.page)).toBe('h1|Focus|lobby-name');
    await ann.page.keyboard.press('Tab');
    expect(await focused(ann.page)).toBe('button|Start game|');
    // Focusable but not yet usable: a press does nothing while nobody else is here.
    await ann.page.keyboard.press('Enter');
    expect(await ann.page.locator('[data-testid="lobby-phase"]').getAttribute('data-phase')).toBe('waiting');

    await ben.page.goto(await inviteLink(ann.page));
    await expectMembers(ben.page, ['Ann', 'Ben']);
    await ben.page.locator('[data-testid="lobby-name"]:focus').waitFor();
    await ben.page.keyboard.press('Tab');
    expect(await focused(ben.page)).toBe('button|I’m ready|');

    await ben.page.keyboard.press('Enter');
    await ann.page.getByText('Everyone is ready!').waitFor();
    for (const p of [ann.page, ben.page]) await recordAnnouncements(p);
    await ann.page.getByRole('button', { name: 'Start game' }).click();
    for (const p of [ann.page, ben.page]) await waitStage(p, '[data-phase="play"]');
    await driveOut(ben.page);
    for (const p of [ann.page, ben.page]) await waitStage(p, '[data-phase="matchOver"]');
    for (const p of [ann.page, ben.page]) await p.locator('[data-testid="game-results"] h2:focus').waitFor();
    expect(await focused(ann.page)).toBe('h2|Ann wins!|');

    const annSaid = await announcements(ann.page);
    const benSaid = await announcements(ben.page);
    expect(annSaid).toMatch(/Round 1 of 1 starts in \d seconds\./);
    expect(annSaid).toContain('Go!');
    expect(annSaid).toContain('Ben is out.');
    expect(annSaid).toContain('You win the match!');
    expect(benSaid).toContain('You are out!');
    expect(benSaid).toContain('Ann wins the match!');

    // Back in the lobby, the host removes Ben: Ben's notice takes focus.
    await ann.page.getByRole('button', { name: 'Back to lobby' }).click();
    await ann.page.locator('[data-testid="lobby-phase"][data-phase="waiting"]').waitFor();
    await ann.page.getByRole('button', { name: 'Manage Ben' }).click();
    await ann.page.getByRole('button', { name: 'Kick', exact: true }).click();
    await ben.page.locator('h1:focus', { hasText: 'You left the lobby' }).waitFor();
    for (const c of [ann, ben]) await c.context.close();
  });
});
