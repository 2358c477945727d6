/**
 * `npx tsx bench/heap-diff.ts BASE.heapsnapshot AFTER.heapsnapshot [N] [players]`: what grew between two
 * heap snapshots (BENCH_HEAP_SNAPSHOT=dir of a signaling run writes them), by node type and constructor
 * name, in self bytes (per player if `players` is given), to see what a joined player keeps alive.
 */
import { readFileSync } from 'node:fs';

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
}

function tally(file: string): Map<string, { count: number; bytes: number }> {
  const s = JSON.parse(readFileSync(file, 'utf8')) as Snapshot;
  const fields = s.snapshot.meta.node_fields;
  const width = fields.length;
  const [typeAt, nameAt, sizeAt] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f)) as [
    number,
    number,
    number,
  ];
  const types = s.snapshot.meta.node_types[0];
  const out = new Map<string, { count: number; bytes: number }>();
  for (let i = 0; i < s.nodes.length; i += width) {
    const type = types[s.nodes[i + typeAt]!]!;
    const rawName = s.strings[s.nodes[i + nameAt]!]!;
    // Strings and code are grouped by type only (their "names" are their contents).
    const name =
      type === 'string' || type === 'concatenated string' || type === 'sliced string' || type === 'number'
        ? ''
        : rawName.slice(0, 60);
    const key = `${type} ${name}`;
    const t = out.get(key) ?? { count: 0, bytes: 0 };
    t.count++;
    t.bytes += s.nodes[i + sizeAt]!;
    out.set(key, t);
  }
  return out;
}

const [baseFile, afterFile, topArg, playersArg] = process.argv.slice(2);
if (!baseFile || !afterFile) throw new Error('usage: heap-diff BASE AFTER [N] [players]');
const base = tally(baseFile);
const after = tally(afterFile);
const per = Number(playersArg ?? 1);
const rows = [...after].map(([k, a]) => {
  const b = base.get(k) ?? { count: 0, bytes: 0 };
  return { k, count: (a.count - b.count) / per, bytes: (a.bytes - b.bytes) / per };
});
const total = rows.reduce((s, r) => s + r.bytes, 0);
console.log(`grown: ${(total / 1024).toFixed(2)} KB${per > 1 ? ' per player' : ''}`);
for (const r of rows.sort((x, y) => y.bytes - x.bytes).slice(0, Number(topArg ?? 30))) {
  console.log(`${r.bytes.toFixed(0).padStart(8)} B  ${r.count.toFixed(2).padStart(7)}×  ${r.k}`);
}
