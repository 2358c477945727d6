// "Create lobby" time to usable: `npx tsx bench/time-to-usable.ts [runs] [--compare DIR]` (after
// `npx next build`). Starts the production server and loads / cold (fresh context, empty cache) in
// Chromium, `runs` times. `--compare DIR`: another checkout with its own build (e.g. a worktree of the
// previous commit) is served too and the runs alternate between the two, so a busy machine slows both.
// Per load: ms from navigation start until the button is enabled AND React has hydrated it (a click then
// does something), until the socket is connected, and until a click made at that first usable moment
// has opened the lobby page (the click must work, or the run fails).
import { launchChromium, newPlayerContext } from '../tests/helpers/chromium';
import { startAppProcess } from '../tests/helpers/appProcess';

export interface UsableFigures {
  runs: number;
  /** Navigation start → button enabled and hydrated, median and max, ms. */
  usableMs: { median: number; max: number };
  /** Navigation start → socket connected (the header badge), median, ms. */
  connectedMs: { median: number };
  /** Navigation start → lobby page shown after a click at the usable moment, median, ms. */
  lobbyOpenMs: { median: number };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.floor((s.length - 1) / 2)]!);
};

interface Samples {
  usable: number[];
  connected: number[];
  opened: number[];
}

export async function measureTimeToUsable(
  runs: number,
  compareDir?: string,
): Promise<{ current: UsableFigures; compared?: UsableFigures }> {
  // Every load creates a lobby from 127.0.0.1, held for the seat grace after the page closes: lift the
  // per-address lobby cap (10) or a quick run is refused from its 11th load on.
  const env = { MAX_LOBBIES_PER_ADDRESS: '1000' };
  const apps = [await startAppProcess(env)];
  if (compareDir) apps.push(await startAppProcess(env, 'server/index.ts', compareDir));
  const browser = await launchChromium();
  const samples: Samples[] = apps.map(() => ({ usable: [], connected: [], opened: [] }));
  try {
    for (let i = 0; i < runs * apps.length; i++) {
      const app = apps[i % apps.length]!;
      const { usable, connected, opened } = samples[i % apps.length]!;
      const context = await newPlayerContext(browser, app.url);
      await context.addInitScript((nickname) => {
        window.localStorage.setItem('peerlobby.nickname', nickname);
        // Polls every 5 ms from the first script on: performance.now() counts from navigation start.
        // React marks a node it has hydrated with `__reactProps$…`; before that a click is lost.
        const w = window as unknown as { __usableAt?: number; __connectedAt?: number; __openedAt?: number };
        const timer = setInterval(() => {
          const button = [...document.querySelectorAll('button')].find(
            (b) => b.textContent === 'Create lobby',
          );
          if (
            w.__usableAt === undefined &&
            button &&
            !button.disabled &&
            Object.keys(button).some((k) => k.startsWith('__reactProps'))
          ) {
            w.__usableAt = performance.now();
            button.click();
          }
          if (w.__connectedAt === undefined && document.querySelector('[data-connection="connected"]'))
            w.__connectedAt = performance.now();
          if (w.__openedAt === undefined && document.querySelector('[data-testid="lobby-name"]'))
            w.__openedAt = performance.now();
          if (w.__openedAt !== undefined && w.__connectedAt !== undefined) clearInterval(timer);
        }, 5);
      }, `Bench${i}`);
      const page = await context.newPage();
      await page.goto('/');
      // The click made at the usable moment must open the lobby page.
      await page.getByTestId('lobby-name').waitFor({ timeout: 15_000 });
      const openedAt = await page.evaluate(() => performance.now());
      const t = await page.evaluate(
        () => window as unknown as { __usableAt: number; __connectedAt?: number },
      );
      const times = await page.evaluate(() => {
        const w = window as unknown as { __usableAt?: number; __connectedAt?: number; __openedAt?: number };
        return { usableAt: w.__usableAt, connectedAt: w.__connectedAt };
      });
      void t;
      if (times.usableAt === undefined) throw new Error('the button never became usable');
      usable.push(times.usableAt);
      connected.push(times.connectedAt ?? openedAt);
      opened.push(openedAt);
      await context.close();
    }
  } finally {
    await browser.close();
    for (const app of apps) await app.stop();
  }
  const figures = ({ usable, connected, opened }: Samples): UsableFigures => ({
    runs,
    usableMs: { median: median(usable), max: Math.round(Math.max(...usable)) },
    connectedMs: { median: median(connected) },
    lobbyOpenMs: { median: median(opened) },
  });
  return { current: figures(samples[0]!), ...(compareDir ? { compared: figures(samples[1]!) } : {}) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const at = args.indexOf('--compare');
  const compareDir = at >= 0 ? args[at + 1] : undefined;
  const runs = Number(args.find((a, i) => /^\d+$/.test(a) && args[i - 1] !== '--compare') ?? 9);
  console.log(JSON.stringify(await measureTimeToUsable(runs, compareDir)));
}
