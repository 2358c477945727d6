/**
 * The lab's results table: each case records the route it reached and how long the pair took to open
 * (from the joiner's navigation to a route on both pages); `npm run lab` prints it after the cases run.
 */
export interface MatrixRow {
  case: string;
  expected: string;
  reached: string;
  pair: string;
  openMs: number | null;
  note?: string;
}

const rows: MatrixRow[] = [];

export function record(row: MatrixRow) {
  rows.push(row);
}

export function matrixText(): string {
  const head = '| case | expected | reached | ICE pair | open (ms) | note |\n|---|---|---|---|---|---|';
  const body = rows.map((r) => `| ${r.case} | ${r.expected} | ${r.reached} | ${r.pair} | ${r.openMs ?? '—'} | ${r.note ?? ''} |`);
  return [head, ...body].join('\n');
}
