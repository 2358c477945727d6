import { appendFileSync, readFileSync } from 'node:fs';

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

/**
 * Each test file runs in its own module scope, so rows also go to LAB_MATRIX_FILE (one JSON row per
 * line) when set: `npm run lab` prints every file's rows as one table at the end.
 */
export function record(row: MatrixRow) {
  rows.push(row);
  const file = process.env.LAB_MATRIX_FILE;
  if (file) appendFileSync(file, `${JSON.stringify(row)}\n`);
}

/** The table of rows read back from a LAB_MATRIX_FILE. */
export function matrixFromFile(file: string): string {
  const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
  return table(lines.map((l) => JSON.parse(l) as MatrixRow));
}

export function matrixText(): string {
  return table(rows);
}

function table(rows: MatrixRow[]): string {
  const head = '| case | expected | reached | ICE pair | open (ms) | note |\n|---|---|---|---|---|---|';
  const body = rows.map(
    (r) => `| ${r.case} | ${r.expected} | ${r.reached} | ${r.pair} | ${r.openMs ?? '—'} | ${r.note ?? ''} |`,
  );
  return [head, ...body].join('\n');
}
