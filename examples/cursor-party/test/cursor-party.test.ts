import { existsSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, newPlayerContext } from '../../../tests/helpers/chromium';
import { SDK_DIST } from '../../../tests/helpers/sdkPackage';
import { startTestServer, type TestServer } from '../../../tests/helpers/server';
import { startExample, type ExampleServer } from '../serve';

/**
 * The example game as its players get it: the page bundled from src/ with @peerlobby/sdk resolved by
 * package name (packages/sdk/dist), served from its own origin, playing on a real PeerLobby server that
 * allows that origin, in real Chromium: two players meet by quick play, cursors and boops cross the data
 * channels.
 */
let browser: Browser;
let example: ExampleServer;
let server: TestServer | undefined;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  if (!existsSync(`${SDK_DIST}index.js`))
    throw new Error('packages/sdk/dist is missing: run `npm run build:sdk` first (npm test does)');
  example = await startExample({ port: 0, peerlobbyUrl: () => server?.url ?? 'http://127.0.0.1:1' });
  server = await startTestServer({ env: { ALLOWED_ORIGINS: example.url } });
  browser = await launchChromium();
});
afterAll(async () => {
  for (const c of contexts) await c.close();
  await browser?.close();
  await server?.close();
  await example?.close();
});

async function player(nickname: string): Promise<Page> {
  const context = await newPlayerContext(browser, example.url);
  contexts.push(context);
  const page = await context.newPage();
  await page.goto('/');
  await page.getByLabel('Nickname').fill(nickname);
  await page.getByRole('button', { name: 'Play' }).click();
  await page.getByRole('status').filter({ hasText: 'In party' }).waitFor();
  return page;
}

const partyCode = async (page: Page) =>
  /In party (\w+)/.exec((await page.getByRole('status').textContent()) ?? '')?.[1];
const row = (page: Page, nickname: string) => page.locator(`#players li[data-player="${nickname}"]`);

/** Moves the mouse to a board position given in fractions of its size. */
async function pointAt(page: Page, x: number, y: number) {
  const box = (await page.locator('#board').boundingBox())!;
  await page.mouse.move(box.x + box.width * x, box.y + box.height * y, { steps: 4 });
  return { x: box.x + box.width * x, y: box.y + box.height * y };
}

describe('cursor party (examples/cursor-party) in Chromium', () => {
  it('two players meet by quick play; cursors and boops travel peer to peer', async () => {
    const ann = await player('Ann');
    const ben = await player('Ben');
    // Ben's quick play found Ann's open party rather than opening a second one.
    expect(await partyCode(ben)).toBe(await partyCode(ann));

    // Each sees the other on a direct data channel.
    await row(ann, 'Ben').and(ann.locator('[data-route="direct"]')).waitFor();
    await row(ben, 'Ann').and(ben.locator('[data-route="direct"]')).waitFor();

    // Ann's cursor shows on Ben's board where Ann points (unreliable-ordered channel).
    await pointAt(ann, 0.25, 0.75);
    const annCursor = ben.locator('.cursor[data-player="Ann"]');
    await expect
      .poll(() => annCursor.evaluate((el: HTMLElement) => [el.style.left, el.style.top]), { timeout: 10_000 })
      .toEqual(['25%', '75%']);
    await pointAt(ann, 0.6, 0.4);
    await expect
      .poll(() => annCursor.evaluate((el: HTMLElement) => [el.style.left, el.style.top]), { timeout: 10_000 })
      .toEqual(['60%', '40%']);

    // Boops (reliable): every one counts, on both screens.
    const at = await pointAt(ben, 0.5, 0.5);
    await ben.mouse.click(at.x, at.y);
    await ben.mouse.click(at.x, at.y);
    await row(ann, 'Ben').and(ann.locator('[data-boops="2"]')).waitFor();
    await row(ben, 'Ben').and(ben.locator('[data-boops="2"]')).waitFor();
    expect(await row(ann, 'Ann').getAttribute('data-boops')).toBe('0');
  });
});
