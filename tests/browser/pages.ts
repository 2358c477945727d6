import type { Browser, Page } from 'playwright-core';
import { newPlayerContext, type Viewport } from '../helpers/chromium';

/** A player: own browser context (own storage), with a chosen nickname. */
export async function openPlayer(
  browser: Browser,
  baseURL: string,
  nickname: string,
  viewport: Viewport = 'desktop',
) {
  const context = await newPlayerContext(browser, baseURL, viewport);
  await context.addInitScript((name) => window.localStorage.setItem('peerlobby.nickname', name), nickname);
  const page = await context.newPage();
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  return { context, page, dialogs };
}

export async function gotoHome(page: Page) {
  await page.goto('/');
  await page.locator('[data-connection="connected"]').waitFor();
}

export async function createLobby(page: Page, opts: { name: string; visibility: 'public' | 'private' }) {
  await gotoHome(page);
  await page.getByLabel('Lobby name', { exact: true }).fill(opts.name);
  await page.getByRole('radio', { name: opts.visibility === 'public' ? /Public/ : /Private/ }).check();
  await page.getByRole('button', { name: 'Create lobby' }).click();
  await page.getByTestId('lobby-name').filter({ hasText: opts.name }).waitFor();
}

export const inviteLink = (page: Page) => page.getByLabel('Invite link').inputValue();

export const memberNames = (page: Page) => page.getByTestId('member-name').allTextContents();

/** Waits until the page's member list shows exactly these nicknames (in join order). */
export async function expectMembers(page: Page, names: string[]) {
  await page.waitForFunction(
    (want) =>
      JSON.stringify(
        [...document.querySelectorAll('[data-testid="member-name"]')].map((e) => e.textContent),
      ) === want,
    JSON.stringify(names),
  );
}
