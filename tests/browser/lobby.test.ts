import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchChromium } from '../helpers/chromium';
import { createLobby, expectMembers, gotoHome, inviteLink, memberNames, openPlayer } from './pages';

let browser: Browser;
const baseURL = inject('baseURL');

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(() => browser?.close());

describe('lobbies in Chromium', () => {
  for (const viewport of ['desktop', 'phone'] as const) {
    it(`a private lobby is joined through its invite link, not its code (${viewport})`, async () => {
      const host = await openPlayer(browser, baseURL, 'Hana', viewport);
      const guest = await openPlayer(browser, baseURL, 'Gus', viewport);
      await createLobby(host.page, { name: `Secret ${viewport}`, visibility: 'private' });
      const link = await inviteLink(host.page);
      expect(link).toMatch(/\/lobby\/[A-Z2-9]{6}#invite=[A-Za-z0-9_-]{22}$/);

      // The code alone is refused with the uniform message.
      const code = /\/lobby\/([A-Z2-9]{6})/.exec(link)?.[1];
      await guest.page.goto(`/lobby/${code}`);
      await expect
        .poll(() => guest.page.getByTestId('join-error').getAttribute('data-error'))
        .toBe('NOT_FOUND');

      await guest.page.goto(link);
      await expectMembers(guest.page, ['Hana', 'Gus']);
      await expectMembers(host.page, ['Hana', 'Gus']);
      await host.context.close();
      await guest.context.close();
    });
  }

  it('opening an invite without a nickname asks for one, then joins', async () => {
    const host = await openPlayer(browser, baseURL, 'Hana');
    await createLobby(host.page, { name: 'Ask first', visibility: 'private' });
    const link = await inviteLink(host.page);
    const context = await browser.newContext({ baseURL });
    const page = await context.newPage();
    await page.goto(link);
    const field = page.getByLabel('Your nickname');
    await field.fill('Newcomer');
    await page.getByRole('button', { name: 'Join lobby' }).click();
    await expectMembers(page, ['Hana', 'Newcomer']);
    await expectMembers(host.page, ['Hana', 'Newcomer']);
    await context.close();
    await host.context.close();
  });

  it('the host kicks a player, who is told and cannot come back when banned', async () => {
    const host = await openPlayer(browser, baseURL, 'Hana');
    const guest = await openPlayer(browser, baseURL, 'Kim');
    await createLobby(host.page, { name: 'Kick test', visibility: 'private' });
    const link = await inviteLink(host.page);
    await guest.page.goto(link);
    await expectMembers(host.page, ['Hana', 'Kim']);

    await host.page.getByRole('button', { name: 'Manage Kim' }).click();
    await host.page.getByRole('button', { name: 'Kick & ban' }).click();
    await expectMembers(host.page, ['Hana']);
    await guest.page.getByText('you cannot rejoin it').waitFor();

    // A ban rotates the invite link: the old one answers like a wrong one, and the new one (which the
    // banned player might still get from a friend) says BANNED.
    await expect.poll(() => inviteLink(host.page)).not.toBe(link);
    const newLink = await inviteLink(host.page);
    await guest.page.goto('/');
    await guest.page.goto(link);
    await expect
      .poll(() => guest.page.getByTestId('join-error').getAttribute('data-error'))
      .toBe('NOT_FOUND');
    await guest.page.goto('/');
    await guest.page.goto(newLink);
    await expect.poll(() => guest.page.getByTestId('join-error').getAttribute('data-error')).toBe('BANNED');
    await host.context.close();
    await guest.context.close();
  });

  it('the public lobby browser updates live in a third context', async () => {
    const watcher = await openPlayer(browser, baseURL, 'Wes');
    await gotoHome(watcher.page);
    const host = await openPlayer(browser, baseURL, 'Hana');
    const name = `Live ${Date.now().toString(36)}`;
    await createLobby(host.page, { name, visibility: 'public' });
    const row = watcher.page.getByRole('listitem').filter({ hasText: name });
    await row.getByText('1/8').waitFor();

    const guest = await openPlayer(browser, baseURL, 'Gus');
    await gotoHome(guest.page);
    await guest.page.getByRole('button', { name: `Join ${name}` }).click();
    await expectMembers(guest.page, ['Hana', 'Gus']);
    await row.getByText('2/8').waitFor();

    await host.page.getByRole('button', { name: 'Lock' }).click();
    await row.getByText('Locked').first().waitFor();
    // The button says what stops a join, not "Join".
    const locked = row.getByRole('button', { name: `Locked: ${name}` });
    await locked.waitFor();
    expect(await locked.isDisabled()).toBe(true);
    expect(await locked.textContent()).toBe('Locked');

    await guest.page.getByRole('button', { name: 'Leave lobby' }).click();
    await host.page.getByRole('button', { name: 'Leave lobby' }).click();
    await row.waitFor({ state: 'detached' });
    for (const p of [watcher, host, guest]) await p.context.close();
  });

  it('joins by a typed code, case-insensitive; a wrong code gets the uniform error', async () => {
    const host = await openPlayer(browser, baseURL, 'Hana');
    await createLobby(host.page, { name: 'By code', visibility: 'public' });
    const code = (await host.page.getByLabel(/^Lobby code/).textContent())!.trim();
    const guest = await openPlayer(browser, baseURL, 'Gus');
    await gotoHome(guest.page);
    await guest.page.getByLabel('Lobby code').fill('ZZZZZZ');
    await guest.page.getByRole('button', { name: 'Join', exact: true }).click();
    await guest.page.getByText('Lobby not found, or you need an invite link to join it.').waitFor();
    await guest.page.getByLabel('Lobby code').fill(code.toLowerCase());
    await guest.page.getByRole('button', { name: 'Join', exact: true }).click();
    await expectMembers(guest.page, ['Hana', 'Gus']);
    await host.context.close();
    await guest.context.close();
  });

  it('a script-like nickname renders as text', async () => {
    const evil = '<img src=x onerror=alert(1)>';
    const host = await openPlayer(browser, baseURL, 'Hana');
    const guest = await openPlayer(browser, baseURL, evil);
    await createLobby(host.page, { name: 'XSS check', visibility: 'private' });
    await guest.page.goto(await inviteLink(host.page));
    await expectMembers(host.page, ['Hana', evil]);
    expect(await memberNames(host.page)).toContain(evil);
    expect(await host.page.locator('[data-testid="member"] img').count()).toBe(0);
    expect(host.dialogs).toEqual([]);
    expect(guest.dialogs).toEqual([]);
    await host.context.close();
    await guest.context.close();
  });

  it('closing the tab removes the member; the longest-present member becomes host', async () => {
    const host = await openPlayer(browser, baseURL, 'Hana');
    const a = await openPlayer(browser, baseURL, 'Ann');
    const b = await openPlayer(browser, baseURL, 'Ben');
    await createLobby(host.page, { name: 'Host leaves', visibility: 'private' });
    const link = await inviteLink(host.page);
    await a.page.goto(link);
    await expectMembers(host.page, ['Hana', 'Ann']);
    await b.page.goto(link);
    await expectMembers(b.page, ['Hana', 'Ann', 'Ben']);
    await host.context.close();
    // First the seat is held ("Reconnecting…"), then freed when the grace window ends.
    await b.page.getByText('Reconnecting…').waitFor();
    await expectMembers(b.page, ['Ann', 'Ben']);
    await a.page.getByRole('heading', { name: 'Host controls' }).waitFor();
    await a.context.close();
    await b.context.close();
  });

  it('R2: a refresh mid-lobby keeps the same seat, host role and ready state, and the mesh comes back', async () => {
    const host = await openPlayer(browser, baseURL, 'Hana');
    const guest = await openPlayer(browser, baseURL, 'Gus');
    await createLobby(host.page, { name: 'Refresh', visibility: 'private' });
    await guest.page.goto(await inviteLink(host.page));
    await expectMembers(host.page, ['Hana', 'Gus']);
    await guest.page.getByRole('button', { name: 'I’m ready' }).click();
    await host.page.getByText('Everyone is ready!').waitFor();
    const idBefore = await guest.page
      .locator('[data-testid="member"]', { hasText: 'you' })
      .getAttribute('data-member-id');

    await guest.page.reload();
    await expectMembers(guest.page, ['Hana', 'Gus']);
    const idAfter = await guest.page
      .locator('[data-testid="member"]', { hasText: 'you' })
      .getAttribute('data-member-id');
    expect(idAfter).toBe(idBefore);
    await guest.page.getByRole('button', { name: 'Not ready' }).waitFor();
    await expectMembers(host.page, ['Hana', 'Gus']);
    expect(await host.page.getByText('Reconnecting…').count()).toBe(0);
    // The mesh is rebuilt: both ends reach each other directly again.
    await guest.page.locator('[data-testid="member"][data-route="direct"]').waitFor();
    await host.page.locator('[data-testid="member"][data-route="direct"]').waitFor();

    await host.page.reload();
    await host.page.getByRole('heading', { name: 'Host controls' }).waitFor();
    await expectMembers(host.page, ['Hana', 'Gus']);
    await host.context.close();
    await guest.context.close();
  });
});
