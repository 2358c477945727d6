/**
 * `npx tsx bench/profile-top.ts FILE.cpuprofile [N]`: self time by function (and by package),
 * to read a `node --cpu-prof` profile of a benchmark run without DevTools.
 */
import { readFileSync } from 'node:fs';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
const [file, topArg] = process.argv.slice(2);
if (!file) throw new Error('usage: profile-top FILE.cpuprofile [N]');
const prof = JSON.parse(readFileSync(file, 'utf8')) as {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
};
const selfUs = new Map<number, number>();
prof.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (prof.timeDeltas[i] ?? 0)));
const byFn = new Map<string, number>();
const byPkg = new Map<string, number>();
let total = 0;
for (const n of prof.nodes) {
  const us = selfUs.get(n.id) ?? 0;
  total += us;
  const where = n.callFrame.url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*wt-[^/]+\//, '');
  const key = `${n.callFrame.functionName || '(anon)'} ${where}:${n.callFrame.lineNumber + 1}`;
  byFn.set(key, (byFn.get(key) ?? 0) + us);
  const pkg = /^node:|^$/.test(where)
    ? where || n.callFrame.functionName
    : where
        .split('/')
        .slice(0, where.startsWith('@') ? 2 : 1)
        .join('/');
  byPkg.set(pkg, (byPkg.get(pkg) ?? 0) + us);
}
const show = (m: Map<string, number>, n: number) =>
  [...m]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .forEach(([k, us]) =>
      console.log(
        `${((us / total) * 100).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(6)} ms  ${k}`,
      ),
    );
console.log(`total ${(total / 1000).toFixed(0)} ms\n-- by package/file`);
show(byPkg, 15);
console.log('-- by function');
show(byFn, Number(topArg ?? 30));
