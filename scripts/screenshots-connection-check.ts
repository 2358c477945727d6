// Screenshots of the "Check my connection" card (home and lobby, phone and desktop), after a check:
// `npx tsx scripts/screenshots-connection-check.ts URL OUTDIR`.
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { launchChromium, newPlayerContext, type Viewport } from '../tests/helpers/chromium';

const [url = 'http://127.0.0.1:3000', out = 'test-results/screens'] = process.argv.slice(2);
mkdirSync(out, { recursive: true });

async function checkAndShoot(page: Page, name: string) {
  await page.getByRole('button', { name: 'Check my connection' }).click();
  await page.waitForSelector(
    '[data-testid="connection-check"]:is([data-state="result"], [data-state="error"])',
    { timeout: 20_000 },
  );
  await page.getByText('Details', { exact: true }).click();
  await page
    .getByTestId('connection-check')
    .locator('xpath=ancestor::section')
    .screenshot({ path: `${out}/${name}-card.png` });
  await page.screenshot({ path: `${out}/${name}.png`, fullPage: true });
}

const browser = await launchChromium();
for (const vp of ['desktop', 'phone'] as Viewport[]) {
  const context = await newPlayerContext(browser, url, vp);
  await context.addInitScript(() => window.localStorage.setItem('peerlobby.nickname', 'Cora'));
  const page = await context.newPage();
  await page.goto('/');
  await page.waitForFunction(() => document.querySelector('[data-connection="connected"]'));
  await checkAndShoot(page, `check-home-${vp}`);
  await page.getByLabel('Lobby name').fill(`Check ${vp}`);
  await page.getByRole('button', { name: 'Create lobby' }).click();
  await page.getByTestId('lobby-name').waitFor();
  await checkAndShoot(page, `check-lobby-${vp}`);
  await context.close();
}
await browser.close();
console.log(`screenshots in ${out}`);
