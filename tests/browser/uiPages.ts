import type { Browser, Page } from 'playwright-core';
import { MAX_CHAT_CHARS, MAX_LOBBY_NAME_CHARS, MAX_NICKNAME_CHARS } from '../../lib/protocol';
import { expectMembers, gotoHome, openPlayer } from './pages';
import { shortMatches, waitStage } from './gamePages';

/** The widest strings the protocol allows: W is the widest Latin letter, and none of them has a space to wrap at. */
export const LONGEST = {
  lobbyName: 'W'.repeat(MAX_LOBBY_NAME_CHARS),
  host: 'M'.repeat(MAX_NICKNAME_CHARS),
  guest: 'W'.repeat(MAX_NICKNAME_CHARS),
  chatUnbroken: 'W'.repeat(MAX_CHAT_CHARS),
  chatWords: Array.from({ length: 60 }, (_, i) => `word${i}`)
    .join(' ')
    .slice(0, MAX_CHAT_CHARS),
};

/** Resizes the page and resolves after the next two frames, when layout has settled. */
export async function resize(page: Page, width: number, height = 800) {
  await page.setViewportSize({ width, height });
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

/** How wide the document is compared with the window. */
export function pageWidth(page: Page): Promise<{ scrollWidth: number; innerWidth: number }> {
  return page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  }));
}

/**
 * A host on a desktop creates a public lobby with the longest name; a guest on a phone finds it in the
 * lobby browser and joins with the Join button; both have the longest nicknames.
 */
export async function longestLobby(browser: Browser, baseURL: string) {
  const host = await openPlayer(browser, baseURL, LONGEST.host, 'desktop');
  const guest = await openPlayer(browser, baseURL, LONGEST.guest, 'phone');
  await shortMatches(host.context);
  await shortMatches(guest.context);
  await gotoHome(host.page);
  await host.page.getByLabel('Lobby name', { exact: true }).fill(LONGEST.lobbyName);
  await host.page.getByRole('radio', { name: /Public/ }).check();
  await host.page.getByRole('button', { name: 'Create lobby' }).click();
  await host.page.getByTestId('lobby-name').filter({ hasText: LONGEST.lobbyName }).waitFor();
  const code = (await host.page.getByLabel(/^Lobby code/).textContent())!.trim();
  return { host, guest, code };
}

/** The guest (on the home page) joins `code` from the lobby browser. */
export async function joinFromBrowser(page: Page, code: string, names: string[]) {
  await page.locator(`[data-lobby-code="${code}"]`).getByRole('button').click();
  await expectMembers(page, names);
}

/** Both write the longest chat lines and wait to see all of them. */
export async function longestChat(pages: Page[]) {
  for (const [i, p] of pages.entries()) {
    for (const text of [LONGEST.chatUnbroken, LONGEST.chatWords]) {
      await p.getByRole('textbox', { name: 'Chat message' }).fill(text);
      await p.getByRole('button', { name: 'Send' }).click();
    }
    for (const q of pages)
      await q
        .locator('[data-testid="chat-message"]')
        .nth(2 * i + 1)
        .waitFor();
  }
}

/** The guest gets ready, the host starts; resolves when both see a round being played. */
export async function startRound(host: Page, guest: Page) {
  await guest.getByRole('button', { name: 'I’m ready' }).click();
  await host.getByText('Everyone is ready!').waitFor();
  await host.getByRole('button', { name: 'Start game' }).click();
  for (const p of [host, guest]) await waitStage(p, '[data-phase="play"]');
}
