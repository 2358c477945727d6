/**
 * `npm run bench:compare [-- file.json ...]`: the budget ratios of several benchmark runs side by
 * side (default: every full run in bench/results/), so two commits, or several passes of one, are
 * judged by ratios and their spread rather than by one noisy pass.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchResult } from './index';
import { ratio, trueMedian } from './stats';

interface Budget {
  label: string;
  /** ours / floor from one run, or null when the run lacks the section. */
  of: (r: BenchResult) => number | null;
  limit: number;
  higherIsBetter?: boolean;
}

const at5k = (r: BenchResult, who: 'bare' | 'ours') =>
  r.signaling?.[who].relay.rates.find((x) => x.offersPerS === 5000)?.p99Ms ?? null;
const at10k = (r: BenchResult, who: 'bare' | 'ours') =>
  r.signaling?.[who].memory.find((m) => m.players === 10_000)?.rssPerPlayerKB ?? null;
const browserCase = (r: BenchResult, name: string) => r.browser?.cases.find((c) => c.name === name);

const BUDGETS: Budget[] = [
  { label: 'RSS per joined player @10k', of: (r) => ratio(at10k(r, 'ours'), at10k(r, 'bare')), limit: 1.5 },
  { label: 'p99 @5k offers/s', of: (r) => ratio(at5k(r, 'ours'), at5k(r, 'bare')), limit: 1.5 },
  {
    label: 'relay capacity',
    of: (r) =>
      ratio(
        r.signaling?.ours.relay.throughput.capacityPerS ?? null,
        r.signaling?.bare.relay.throughput.capacityPerS ?? null,
      ),
    limit: 0.8,
    higherIsBetter: true,
  },
  {
    label: 'settled-4',
    of: (r) =>
      ratio(browserCase(r, 'settled-4')?.sdkMs ?? null, browserCase(r, 'settled-4')?.floorMs ?? null),
    limit: 1.5,
  },
  {
    label: 'burst-8',
    of: (r) => ratio(browserCase(r, 'burst-8')?.sdkMs ?? null, browserCase(r, 'burst-8')?.floorMs ?? null),
    limit: 1.2,
  },
  {
    label: 'SDK ping',
    of: (r) => ratio(r.browser?.ping.sdkMs ?? null, r.browser?.ping.floorMs ?? null),
    limit: 1.2,
  },
];

function files(): string[] {
  const given = process.argv.slice(2);
  if (given.length > 0) return given;
  const dir = fileURLToPath(new URL('./results/', import.meta.url));
  return readdirSync(dir)
    .filter((f) => /^full-.*\.json$/.test(f))
    .sort()
    .map((f) => dir + f);
}

const runs = files().map((f) => ({
  name: basename(f, '.json'),
  result: JSON.parse(readFileSync(f, 'utf8')) as BenchResult,
}));
const ok = (b: Budget, v: number) => (b.higherIsBetter ? v >= b.limit : v <= b.limit);
const lines = [
  `| budget | ${runs.map((r) => `${r.name.replace(/^full-/, '')} (${r.result.machine.commit})`).join(' | ')} | median |`,
  `|---|${runs.map(() => '---|').join('')}---|`,
];
for (const b of BUDGETS) {
  const values = runs.map((r) => b.of(r.result));
  const cells = values.map((v) => (v === null ? '–' : `${v}×${ok(b, v) ? '' : ' ❌'}`));
  const present = values.filter((v): v is number => v !== null);
  const mid = present.length > 0 ? Number(trueMedian(present).toFixed(2)) : null;
  const midCell =
    mid === null ? '–' : `${mid}× ${ok(b, mid) ? '✅' : '❌'} (${b.higherIsBetter ? '≥' : '≤'} ${b.limit})`;
  lines.push(`| ${b.label} | ${cells.join(' | ')} | ${midCell} |`);
}
console.log(lines.join('\n'));
