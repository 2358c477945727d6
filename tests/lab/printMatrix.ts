import { existsSync } from 'node:fs';
import { matrixFromFile } from './matrix';

// `npm run lab`'s last step: every case's route and time to open, as one Markdown table.
const file = process.argv[2];
if (!file || !existsSync(file)) {
  console.error('no lab results to print');
  process.exit(1);
}
console.log(`\nNAT lab matrix\n\n${matrixFromFile(file)}\n`);
