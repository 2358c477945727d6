// JS a cold load fetches, per page: `npx tsx bench/js-weight.ts` (after `npx next build`; also in `npm run bench`).
// Starts the production server, loads / and a lobby page in Chromium with an empty cache, and sums the
// scripts' encoded (on the wire) and decoded sizes from the Resource Timing entries.
import { launchChromium, newPlayerContext } from '../tests/helpers/chromium';
import { startAppProcess } from '../tests/helpers/appProcess';

export type Weight = { scripts: number; encodedKB: number; decodedKB: number };
export type WeightFigures = { home: Weight; lobby: Weight };

export async function measureJsWeight(): Promise<WeightFigures> {
  const app = await startAppProcess();
  const browser = await launchChromium();
  try {
    const measure = async (path: string, ready: string): Promise<Weight> => {
      const context = await newPlayerContext(browser, app.url);
      await context.addInitScript(() => window.localStorage.setItem('peerlobby.nickname', 'Bench'));
      const page = await context.newPage();
      await page.goto(path);
      await page
        .locator(ready)
        .first()
        .waitFor({ timeout: 10_000 })
        .catch(async (e) => {
          console.error(await page.locator('main').innerText());
          throw e;
        });
      const w = await page.evaluate(() => {
        const scripts = (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).filter(
          (e) => e.initiatorType === 'script' || e.name.endsWith('.js'),
        );
        // No helper functions in here: tsx would wrap them in a __name() the page does not have.
        return {
          scripts: scripts.length,
          encodedKB: Math.round(scripts.reduce((s, e) => s + e.encodedBodySize, 0) / 102.4) / 10,
          decodedKB: Math.round(scripts.reduce((s, e) => s + e.decodedBodySize, 0) / 102.4) / 10,
        };
      });
      await context.close();
      return w;
    };
    const home = await measure('/', '[data-connection="connected"]');
    // A lobby page: create one through the UI, then load its address cold in a fresh context.
    const hostContext = await newPlayerContext(browser, app.url);
    await hostContext.addInitScript(() => window.localStorage.setItem('peerlobby.nickname', 'Host'));
    const host = await hostContext.newPage();
    await host.goto('/');
    await host.getByRole('radio', { name: /Public/ }).check();
    await host.getByRole('button', { name: 'Create lobby' }).click();
    await host.getByTestId('lobby-name').waitFor();
    const code = (await host.getByLabel(/^Lobby code/).textContent())!.trim();
    const lobby = await measure(`/lobby/${code}`, '[data-testid="lobby-name"]');
    return { home, lobby };
  } finally {
    await browser.close();
    await app.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(await measureJsWeight()));
