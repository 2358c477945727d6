/**
 * Section 2: the browser path. Headless Chromium (flags of tests/helpers/chromium.ts), one context
 * per run (its pages share a BroadcastChannel for bursts). SDK pages (LobbyClient + Mesh, bundled
 * with esbuild) against createApp without Next; floor pages against the bare relay; same run,
 * interleaved.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createApp } from '../../server/app';
import { benchServerConfig } from '../serverConfig';
import { createLogger } from '../../server/logger';
import { launchChromium, newPlayerContext } from '../../tests/helpers/chromium';
import { createBareRelay } from '../bare-relay';
import { median, round } from '../stats';
import type { BenchPage, PageState } from './page-api';

export interface BrowserPlan {
  runs: number;
  cases: CaseName[];
  pings: number;
}
export type CaseName = `${'settled' | 'burst'}-${2 | 4 | 8}`;
type System = 'floor' | 'sdk';

export interface BrowserFigures {
  runs: number;
  netns: boolean;
  cases: {
    name: CaseName;
    floorMs: number | null;
    sdkMs: number | null;
    floorRunsMs: number[];
    sdkRunsMs: number[];
    /** Median ms from the start to the last join ack (the lobby part of the figure above). */
    floorJoinMs: number | null;
    sdkJoinMs: number | null;
  }[];
  ping: { floorMs: number | null; sdkMs: number | null };
}

const WAIT_MS = 20_000;
const PING_WARMUP = 5;

async function bundle(entry: string): Promise<string> {
  const out = await build({
    entryPoints: [fileURLToPath(new URL(entry, import.meta.url))],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
    minify: true,
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'warning',
  });
  return out.outputFiles[0]!.text;
}

/** The bench's own static handler: one HTML page, one script. */
function staticPages(js: string) {
  const html = '<!doctype html><meta charset="utf-8"><title>bench</title><script src="/page.js"></script>';
  // Cross-origin isolated: performance.now() at 5 µs instead of 100 µs (sub-ms pings need it).
  const isolated = {
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-embedder-policy': 'require-corp',
  };
  return (req: IncomingMessage, res: ServerResponse) => {
    if (req.url === '/')
      return void res.writeHead(200, { 'content-type': 'text/html', ...isolated }).end(html);
    if (req.url === '/page.js')
      return void res.writeHead(200, { 'content-type': 'text/javascript', ...isolated }).end(js);
    res.writeHead(404).end();
  };
}

interface Servers {
  url: Record<System, string>;
  close(): Promise<void>;
}

async function startServers(): Promise<Servers> {
  const [sdkJs, floorJs] = await Promise.all([bundle('./sdk-page.ts'), bundle('./floor-page.ts')]);
  const config = benchServerConfig();
  const app = createApp({ config, logger: createLogger('silent'), pages: staticPages(sdkJs) });
  const sdkUrl = await app.listen(0, '127.0.0.1');
  const bare = createBareRelay(staticPages(floorJs));
  await new Promise<void>((resolve) => bare.http.listen(0, '127.0.0.1', resolve));
  const floorUrl = `http://127.0.0.1:${(bare.http.address() as AddressInfo).port}`;
  return {
    url: { sdk: sdkUrl, floor: floorUrl },
    async close() {
      await app.close();
      await bare.close();
    },
  };
}

type Bench = { bench: BenchPage };
const stateOf = (page: Page) =>
  page.evaluate(() => (globalThis as unknown as Bench).bench.state) as Promise<PageState>;

/** Waits until every page has all `others` of its peers open (or a page reports an error). */
async function fullMesh(pages: Page[]): Promise<PageState[]> {
  const expected = pages.length - 1;
  // The pages resolve when their mesh is complete: no polling (which would load the busy pages).
  await Promise.all(
    pages.map((p) =>
      p.evaluate(
        ([n, ms]) =>
          Promise.race([
            (globalThis as unknown as Bench).bench.whenOpened(n),
            new Promise<void>((_, reject) =>
              setTimeout(() => reject(new Error(`mesh not complete after ${ms} ms`)), ms),
            ),
          ]),
        [expected, WAIT_MS] as const,
      ),
    ),
  );
  const states = await Promise.all(pages.map(stateOf));
  const failed = states.find((s) => s.error);
  if (failed) throw new Error(`page error: ${failed.error}`);
  return states;
}

async function burstJoin(pages: Page[], room: string | null): Promise<{ room: string; states: PageState[] }> {
  await Promise.all(
    pages.slice(1).map((p) => p.evaluate(() => (globalThis as unknown as Bench).bench.armBurst())),
  );
  const joined = await pages[0]!.evaluate((r) => (globalThis as unknown as Bench).bench.leadBurst(r), room);
  return { room: joined, states: await fullMesh(pages) };
}

/** One run of one case: ms from join start to every link open on both ends. */
async function runCase(
  browser: Browser,
  url: string,
  name: CaseName,
): Promise<{ ms: number; joinMs: number }> {
  const [kind, nText] = name.split('-') as ['settled' | 'burst', string];
  const n = Number(nText);
  const context = await newPlayerContext(browser, url);
  try {
    const pages = await Promise.all(Array.from({ length: n }, () => context.newPage()));
    await Promise.all(pages.map((p) => p.goto('/')));
    if (kind === 'burst') {
      const { states } = await burstJoin(pages, null);
      const t0 = states[0]!.t0;
      const joinMs = Math.max(...states.map((s) => s.joinedAt)) - t0;
      return { ms: Math.max(...states.flatMap((s) => Object.values(s.opened))) - t0, joinMs };
    }
    const old = pages.slice(0, n - 1);
    const newcomer = pages[n - 1]!;
    const room =
      n > 2
        ? (await burstJoin(old, null)).room
        : await old[0]!.evaluate(() => (globalThis as unknown as Bench).bench.start(null));
    await newcomer.evaluate((r) => (globalThis as unknown as Bench).bench.start(r), room);
    const states = await fullMesh(pages);
    const me = states[n - 1]!;
    const ends = [...Object.values(me.opened), ...states.slice(0, -1).map((s) => s.opened[me.selfId]!)];
    return { ms: Math.max(...ends) - me.t0, joinMs: me.joinedAt - me.t0 };
  } finally {
    await context.close();
  }
}

const pingFrom = (page: Page, peer: string, count: number) =>
  page.evaluate(([p, c]) => (globalThis as unknown as Bench).bench.ping(p, c), [peer, count] as const);

/**
 * Ping RTT: one connected pair per system, both open at once, blocks of `plan.pings` sequential
 * pings alternating between them, so a change in the machine's state hits both alike.
 */
async function measurePings(
  browser: Browser,
  urls: Record<System, string>,
  plan: BrowserPlan,
): Promise<Record<System, number[]>> {
  const rtts: Record<System, number[]> = { floor: [], sdk: [] };
  const contexts: BrowserContext[] = [];
  try {
    const pairs = {} as Record<System, { page: Page; peer: string }>;
    for (const system of ['floor', 'sdk'] as const) {
      const context = await newPlayerContext(browser, urls[system]);
      contexts.push(context);
      const pages = await Promise.all([context.newPage(), context.newPage()]);
      await Promise.all(pages.map((p) => p.goto('/')));
      const room = await pages[0]!.evaluate(() => (globalThis as unknown as Bench).bench.start(null));
      await pages[1]!.evaluate((r) => (globalThis as unknown as Bench).bench.start(r), room);
      const states = await fullMesh(pages);
      pairs[system] = { page: pages[1]!, peer: states[0]!.selfId };
      await pingFrom(pages[1]!, states[0]!.selfId, PING_WARMUP);
    }
    for (let i = 0; i < plan.runs; i++) {
      for (const system of i % 2 === 0 ? (['floor', 'sdk'] as const) : (['sdk', 'floor'] as const)) {
        rtts[system].push(...(await pingFrom(pairs[system].page, pairs[system].peer, plan.pings)));
      }
    }
    return rtts;
  } finally {
    await Promise.all(contexts.map((c) => c.close()));
  }
}

export async function runBrowser(
  plan: BrowserPlan,
  log: (line: string) => void,
  netns: boolean,
): Promise<BrowserFigures> {
  const servers = await startServers();
  const browser = await launchChromium();
  try {
    const times: Record<string, Record<System, number[]>> = {};
    const joins: Record<string, Record<System, number[]>> = {};
    for (let i = 0; i < plan.runs; i++) {
      log(`browser run ${i + 1}/${plan.runs}: ${plan.cases.join(', ')}`);
      for (const name of plan.cases) {
        const order: System[] = i % 2 === 0 ? ['floor', 'sdk'] : ['sdk', 'floor'];
        for (const system of order) {
          const r = await runCase(browser, servers.url[system], name);
          (times[name] ??= { floor: [], sdk: [] })[system].push(r.ms);
          (joins[name] ??= { floor: [], sdk: [] })[system].push(r.joinMs);
        }
      }
    }
    log(`browser ping: ${plan.runs} × ${plan.pings} per system, alternating`);
    const rtts = plan.pings > 0 ? await measurePings(browser, servers.url, plan) : { floor: [], sdk: [] };
    return {
      runs: plan.runs,
      netns,
      cases: plan.cases.map((name) => ({
        name,
        floorMs: round(median(times[name]!.floor), 1),
        sdkMs: round(median(times[name]!.sdk), 1),
        floorRunsMs: times[name]!.floor.map((v) => round(v, 1)!),
        sdkRunsMs: times[name]!.sdk.map((v) => round(v, 1)!),
        floorJoinMs: round(median(joins[name]!.floor), 1),
        sdkJoinMs: round(median(joins[name]!.sdk), 1),
      })),
      ping: { floorMs: round(median(rtts.floor), 3), sdkMs: round(median(rtts.sdk), 3) },
    };
  } finally {
    await browser.close();
    await servers.close();
  }
}
