import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchChromium, newPlayerContext } from '../helpers/chromium';
import { createLobby, expectMembers, gotoHome, inviteLink, openPlayer } from './pages';

let browser: Browser;
const baseURL = inject('baseURL');
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(() => browser?.close());

describe('true words in every state', () => {
  it('an invite link opened without a nickname asks for one and never claims to be joining first', async () => {
    const host = await openPlayer(browser, baseURL, 'Ann');
    await createLobby(host.page, { name: 'Words', visibility: 'private' });
    const link = await inviteLink(host.page);

    const context = await newPlayerContext(browser, baseURL, 'phone');
    // Records every text the page ever shows, from the first parsed node on (server HTML included).
    await context.addInitScript(() => {
      const w = window as unknown as { seenTexts: string[] };
      w.seenTexts = [];
      new MutationObserver(() => {
        const text = document.body?.innerText;
        if (text) w.seenTexts.push(text);
      }).observe(document, { childList: true, subtree: true, characterData: true });
    });
    const page = await context.newPage();
    await page.goto(link);
    await page.getByRole('button', { name: 'Join lobby' }).waitFor();
    const seen = await page.evaluate(() => (window as unknown as { seenTexts: string[] }).seenTexts);
    expect(seen.length).toBeGreaterThan(0);
    // (The header's own "Connecting…" badge is about the server connection, and true.)
    expect(seen.filter((t) => /Joining lobby|Connecting to/.test(t))).toEqual([]);

    await page.getByRole('textbox', { name: 'Your nickname' }).fill('Zed');
    await page.getByRole('button', { name: 'Join lobby' }).click();
    await expectMembers(page, ['Ann', 'Zed']);
    await context.close();
    await host.context.close();
  });

  it('Create lobby is usable before the server connection is up: it says Connecting…, then opens the lobby', async () => {
    const context = await newPlayerContext(browser, baseURL);
    await context.addInitScript(() => window.localStorage.setItem('peerlobby.nickname', 'Early'));
    // The socket's handshake is held back until the click has been made.
    let release!: () => void;
    const handshake = new Promise<void>((resolve) => (release = resolve));
    await context.routeWebSocket(/\/socket\.io\//, async (ws) => {
      await handshake;
      ws.connectToServer();
    });
    const page = await context.newPage();
    await page.goto('/');
    await page.getByRole('button', { name: 'Create lobby' }).click();
    await page.getByRole('button', { name: 'Connecting…' }).waitFor();
    expect(await page.locator('[data-connection]').getAttribute('data-connection')).toBe('connecting');
    release();
    await page.getByTestId('lobby-name').filter({ hasText: 'Early’s lobby' }).waitFor();
    await context.close();
  });

  it('the lobby browser updates by itself and says Full / In game on buttons that cannot join', async () => {
    const visitor = await openPlayer(browser, baseURL, 'Vic');
    await gotoHome(visitor.page);
    await visitor.page.getByText('Updates by itself').waitFor();
    await visitor.page
      .locator('[aria-label="Public lobbies"] ul:not([aria-busy]), [aria-label="Public lobbies"] p')
      .first()
      .waitFor();

    const host = await openPlayer(browser, baseURL, 'Ann');
    await gotoHome(host.page);
    await host.page.getByLabel('Lobby name', { exact: true }).fill('Two seats');
    await host.page.getByLabel('Max players').selectOption({ label: '2 players' });
    const created = Date.now();
    await host.page.getByRole('button', { name: 'Create lobby' }).click();
    await host.page.getByTestId('lobby-name').filter({ hasText: 'Two seats' }).waitFor();
    const code = (await host.page.getByLabel(/^Lobby code/).textContent())!.trim();
    const row = visitor.page.locator(`[data-lobby-code="${code}"]`);
    // No reload: the server pushes the new row.
    await row.waitFor();
    console.log(
      `new public lobby listed on another home page ${Date.now() - created} ms after Create was clicked`,
    );
    await row.getByRole('button', { name: 'Join Two seats' }).waitFor();

    const guest = await openPlayer(browser, baseURL, 'Ben');
    await guest.page.goto(`/lobby/${code}`);
    await expectMembers(guest.page, ['Ann', 'Ben']);
    const full = row.getByRole('button', { name: 'Full: Two seats' });
    await full.waitFor();
    expect(await full.textContent()).toBe('Full');
    expect(await full.isDisabled()).toBe(true);
    expect(await row.getByRole('button', { name: /^Join/ }).count()).toBe(0);

    await guest.page.getByRole('button', { name: 'I’m ready' }).click();
    await host.page.getByRole('button', { name: 'Start game' }).click();
    const inGame = row.getByRole('button', { name: 'In game: Two seats' });
    await inGame.waitFor();
    expect(await inGame.textContent()).toBe('In game');
    expect(await inGame.isDisabled()).toBe(true);
    for (const c of [visitor, host, guest]) await c.context.close();
  });
});
