/**
 * `npm run bench [-- --quick] [-- --only signaling|browser|game|web]`: signaling server and browser path,
 * each against a floor measured in the same run, the game (bandwidth, CPU, input → screen) and the web
 * app's budget (weight, time to usable, Lighthouse); the game and web parts need `npx next build` first. Writes bench/results/<mode>-<date>.json and
 * bench/results/latest.md, and prints the table.
 */
import { execSync } from 'node:child_process';
import { cpus, loadavg, networkInterfaces } from 'node:os';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { hasTaskset, killAll } from './procs';
import { runSignaling, type SignalingFigures, type SignalingPlan } from './signaling/run';
import { renderMarkdown } from './report';
import { runBrowser, type BrowserFigures, type BrowserPlan, type CaseName } from './browser/run';
import { runWeb, type WebFigures, type WebPlan } from './web';
import { runGame, type GameFigures, type GamePlan } from './game/run';

type Mode = 'quick' | 'full';
const args = process.argv.slice(2);
const mode: Mode = args.includes('--quick') ? 'quick' : 'full';
const onlyIndex = args.indexOf('--only');
const only = onlyIndex >= 0 ? args[onlyIndex + 1] : undefined;
/** `--cases burst-8,settled-4 --runs 15`: a focused browser comparison (JSON only; latest.md untouched). */
const argValue = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const focusCases = argValue('--cases')?.split(',') as CaseName[] | undefined;
const focusRuns = argValue('--runs') === undefined ? undefined : Number(argValue('--runs'));
/** `--signaling memory|relay [--repeats N]`: one phase of the signaling section (JSON only; latest.md untouched). */
const focusPhase = argValue('--signaling') as SignalingPlan['phases'];
const focusRepeats = argValue('--repeats') === undefined ? undefined : Number(argValue('--repeats'));

const PLANS: Record<Mode, SignalingPlan> = {
  quick: {
    repeats: 1,
    memorySteps: [2000],
    ratesPerS: [1000, 3000, 5000],
    throughputRounds: 1,
    rateDurationMs: 2000,
    rateWarmupMs: 300,
    latencyPlayers: 1000,
    throughputPlayers: 2000,
    throughputInFlight: 2000,
    throughputWarmupMs: 500,
    throughputMs: 2000,
  },
  full: {
    repeats: 3,
    memorySteps: [2000, 10_000],
    ratesPerS: [1000, 3000, 5000, 7500, 10_000, 12_500],
    throughputRounds: 2,
    rateDurationMs: 3000,
    rateWarmupMs: 500,
    latencyPlayers: 1000,
    throughputPlayers: 2000,
    throughputInFlight: 2000,
    throughputWarmupMs: 1000,
    throughputMs: 4000,
  },
};

const BROWSER_PLANS: Record<Mode, BrowserPlan> = {
  quick: { runs: 3, cases: ['settled-2', 'settled-4', 'burst-8'], pings: 30 },
  full: {
    runs: 9,
    cases: ['settled-2', 'settled-4', 'settled-8', 'burst-2', 'burst-4', 'burst-8'],
    pings: 50,
  },
};

const GAME_PLANS: Record<Mode, GamePlan> = { quick: { trials: 8 }, full: { trials: 15 } };

const WEB_PLANS: Record<Mode, WebPlan> = {
  quick: { usableRuns: 5, lighthouseRuns: 1 },
  full: { usableRuns: 15, lighthouseRuns: 3 },
};

export interface Machine {
  nproc: number;
  cpuModel: string;
  node: string;
  commit: string;
  /** /proc/loadavg (1-minute) before and after: other work on a shared machine skews latencies. */
  loadAvg: { before: number; after: number | null };
}

/** Inside scripts/in-netns.sh's namespace only `lo` exists. */
const loopbackOnly = () => Object.keys(networkInterfaces()).every((name) => name === 'lo');

function machine(): Machine {
  const model =
    /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpus()[0]?.model ?? 'unknown';
  let commit = 'unknown';
  try {
    commit = execSync('git rev-parse --short HEAD', { encoding: 'utf8' }).trim();
  } catch {
    // not a checkout: leave unknown
  }
  return {
    nproc: cpus().length,
    cpuModel: model,
    node: process.version,
    commit,
    loadAvg: { before: loadavg()[0]!, after: null },
  };
}

export interface BenchResult {
  mode: Mode;
  date: string;
  machine: Machine;
  signaling: SignalingFigures | null;
  browser: BrowserFigures | null;
  game: GameFigures | null;
  web: WebFigures | null;
}

async function main() {
  const started = Date.now();
  const log = (line: string) =>
    console.error(`[bench ${((Date.now() - started) / 1000).toFixed(0)}s] ${line}`);
  const result: BenchResult = {
    mode,
    date: new Date().toISOString(),
    machine: machine(),
    signaling: null,
    browser: null,
    game: null,
    web: null,
  };
  const signalingPlan = { ...PLANS[mode], phases: focusPhase, repeats: focusRepeats ?? PLANS[mode].repeats };
  if (!only || only === 'signaling') result.signaling = await runSignaling(signalingPlan, log, hasTaskset);
  const focused =
    focusCases !== undefined ||
    focusRuns !== undefined ||
    focusPhase !== undefined ||
    focusRepeats !== undefined;
  const plan = BROWSER_PLANS[mode];
  const browserPlan = { ...plan, cases: focusCases ?? plan.cases, runs: focusRuns ?? plan.runs };
  if (!only || only === 'browser') result.browser = await runBrowser(browserPlan, log, loopbackOnly());
  if ((!only && !focused) || only === 'game') result.game = await runGame(GAME_PLANS[mode], log);
  if ((!only && !focused) || only === 'web') result.web = await runWeb(WEB_PLANS[mode], log);
  result.machine.loadAvg.after = loadavg()[0]!;
  const dir = fileURLToPath(new URL('./results/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  const stamp = result.date.slice(0, 19).replace(/[:T]/g, '-');
  const jsonPath = `${dir}${focused ? 'focus' : mode}-${stamp}.json`;
  writeFileSync(jsonPath, JSON.stringify(result, null, 2) + '\n');
  const md = renderMarkdown(result);
  if (!focused) writeFileSync(`${dir}latest.md`, md);
  console.log(md);
  log(focused ? `wrote ${jsonPath}` : `wrote ${jsonPath} and bench/results/latest.md`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    killAll();
    process.exit(1);
  },
);
