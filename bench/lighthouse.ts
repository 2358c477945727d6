// Lighthouse on phone emulation: `npx tsx bench/lighthouse.ts` (after `npx next build`).
// Starts the production server and runs Lighthouse's default (mobile: Moto G class screen, 4× CPU
// slowdown, simulated slow 4G) performance, accessibility and best-practices audits on `/` and on a
// lobby page as an invite link's visitor sees it (a public lobby held open by a host in Playwright's
// Chromium; the visitor has no nickname yet: the nickname prompt). Debian's Chromium, nothing downloaded.
import { launch } from 'chrome-launcher';
import lighthouse from 'lighthouse';
import { CHROMIUM_ARGS, chromiumPath, launchChromium, newPlayerContext } from '../tests/helpers/chromium';
import { startAppProcess } from '../tests/helpers/appProcess';

export interface PageScores {
  performance: number;
  accessibility: number;
  bestPractices: number;
  /** Lab metrics behind the performance score, ms (CLS unitless). */
  fcpMs: number;
  lcpMs: number;
  tbtMs: number;
  cls: number;
  /** Audits scoring below 1 in the three categories (any run): `id (score)`, or `id` for a median. */
  failing: string[];
}
export type LighthouseFigures = Record<'home' | 'lobby', PageScores>;

const CATEGORIES = ['performance', 'accessibility', 'best-practices'];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;

/** `runs` audits per page (a fresh profile each), each figure's median: one run on a busy machine says little. */
export async function measureLighthouse(runs = 1): Promise<LighthouseFigures> {
  const app = await startAppProcess();
  const browser = await launchChromium();
  // Lighthouse drives its own Chromium through chrome-launcher (a fresh profile per run).
  const chrome = await launch({
    chromePath: chromiumPath(),
    chromeFlags: ['--headless=new', ...CHROMIUM_ARGS],
  });
  try {
    const host = await (await newPlayerContext(browser, app.url)).newPage();
    await host.addInitScript(() => window.localStorage.setItem('peerlobby.nickname', 'Host'));
    await host.goto('/');
    await host.getByRole('radio', { name: /Public/ }).check();
    await host.getByRole('button', { name: 'Create lobby' }).click();
    await host.getByTestId('lobby-name').waitFor();
    const code = (await host.getByLabel(/^Lobby code/).textContent())!.trim();

    const audit = async (path: string): Promise<PageScores> => {
      const result = await lighthouse(`${app.url}${path}`, {
        port: chrome.port,
        output: 'json',
        logLevel: 'error',
        onlyCategories: CATEGORIES,
      });
      if (!result) throw new Error(`Lighthouse returned nothing for ${path}`);
      const { categories, audits, runtimeError } = result.lhr;
      if (runtimeError)
        throw new Error(`Lighthouse on ${path}: ${runtimeError.code} ${runtimeError.message}`);
      const score = (id: string) => Math.round((categories[id]?.score ?? 0) * 100);
      const numeric = (id: string) =>
        Math.round((audits[id]?.numericValue ?? NaN) * (id === 'cumulative-layout-shift' ? 1000 : 1)) /
        (id === 'cumulative-layout-shift' ? 1000 : 1);
      const failing = CATEGORIES.flatMap((c) =>
        categories[c]!.auditRefs.filter((r) => r.weight > 0).map((r) => audits[r.id]!),
      )
        .filter(
          (a) =>
            a.score !== null &&
            a.score < 1 &&
            a.scoreDisplayMode !== 'informative' &&
            a.scoreDisplayMode !== 'notApplicable',
        )
        .map((a) => `${a.id} (${a.score})`);
      return {
        performance: score('performance'),
        accessibility: score('accessibility'),
        bestPractices: score('best-practices'),
        fcpMs: numeric('first-contentful-paint'),
        lcpMs: numeric('largest-contentful-paint'),
        tbtMs: numeric('total-blocking-time'),
        cls: numeric('cumulative-layout-shift'),
        failing,
      };
    };
    const medianOf = async (path: string): Promise<PageScores> => {
      const all: PageScores[] = [];
      for (let i = 0; i < runs; i++) all.push(await audit(path));
      const pick = (k: Exclude<keyof PageScores, 'failing'>) => median(all.map((s) => s[k]));
      return {
        performance: pick('performance'),
        accessibility: pick('accessibility'),
        bestPractices: pick('bestPractices'),
        fcpMs: pick('fcpMs'),
        lcpMs: pick('lcpMs'),
        tbtMs: pick('tbtMs'),
        cls: pick('cls'),
        failing: [...new Set(all.flatMap((s) => s.failing.map((f) => f.replace(/ \(.*\)$/, ''))))],
      };
    };
    return { home: await medianOf('/'), lobby: await medianOf(`/lobby/${code}`) };
  } finally {
    chrome.kill();
    await browser.close();
    await app.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await measureLighthouse(Number(process.argv[2] ?? 1)), null, 1));
}
