// Takes screenshots of the main screens at phone and desktop sizes: `npx tsx scripts/screenshots.ts URL OUTDIR`.
import { mkdirSync } from 'node:fs';
import { launchChromium, newPlayerContext, type Viewport } from '../tests/helpers/chromium';

const [url = 'http://127.0.0.1:3000', out = 'test-results/screens'] = process.argv.slice(2);
mkdirSync(out, { recursive: true });
const browser = await launchChromium();
for (const vp of ['desktop', 'phone'] as Viewport[]) {
  const host = await newPlayerContext(browser, url, vp);
  const page = await host.newPage();
  await page.goto('/');
  await page.getByRole('button', { name: 'Join' }).first().waitFor();
  await page.waitForFunction(() => document.querySelector('[data-connection="connected"]'));
  await page.screenshot({ path: `${out}/home-${vp}.png`, fullPage: true });
  await page.getByLabel('Lobby name').fill(`Friday ${vp} night`);
  await page.getByRole('button', { name: 'Create lobby' }).click();
  await page.getByTestId('lobby-name').waitFor();
  const guest = await newPlayerContext(browser, url, vp);
  const gp = await guest.newPage();
  const code = (await page.getByLabel(/Lobby code/).textContent())?.trim();
  await gp.goto(`/lobby/${code}`);
  await gp.screenshot({ path: `${out}/nickname-prompt-${vp}.png` });
  await gp.getByRole('button', { name: 'Join lobby' }).click();
  await gp.getByTestId('lobby-name').waitFor();
  await page.getByTestId('member').nth(1).waitFor();
  await page.getByAltText('QR code of the invite link').waitFor();
  await page.screenshot({ path: `${out}/lobby-host-${vp}.png`, fullPage: true });
  await gp.screenshot({ path: `${out}/lobby-guest-${vp}.png`, fullPage: true });
  await host.close();
  await guest.close();
}
await browser.close();
console.log(`screenshots in ${out}`);
