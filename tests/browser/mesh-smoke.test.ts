import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, inject, it } from 'vitest';
import { launchChromium } from '../helpers/chromium';
import { createLobby, expectMembers, inviteLink, openPlayer } from './pages';

let browser: Browser;
const baseURL = inject('baseURL');
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(() => browser?.close());

describe('mesh in Chromium', () => {
  it('two players connect directly', async () => {
    const a = await openPlayer(browser, baseURL, 'Ann');
    const b = await openPlayer(browser, baseURL, 'Ben');
    await createLobby(a.page, { name: 'Mesh', visibility: 'private' });
    await b.page.goto(await inviteLink(a.page));
    await expectMembers(b.page, ['Ann', 'Ben']);
    await a.page.locator('[data-testid="member"][data-route="direct"]').waitFor();
    await b.page.locator('[data-testid="member"][data-route="direct"]').waitFor();
    await a.page.screenshot({ path: 'test-results/mesh-a.png' });
    await a.context.close();
    await b.context.close();
  });
});
