import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * S11/S12, statically: browser code (app/, components/, lib/) never reads the TURN secret or other
 * server-only settings, nor imports server modules, so `next build` cannot put them in the bundle.
 */
const BROWSER_DIRS = ['app', 'components', 'lib'];
const FORBIDDEN = [/TURN_SECRET/, /SESSION_SECRET/, /process\.env\.TURN/, /from ['"][./]*server\//];

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.(ts|tsx|js|mjs)$/.test(name) ? [path] : [];
  });
}

describe('client bundle sources (S11)', () => {
  it('S11: no browser source reads a server secret or imports server code', () => {
    const files = BROWSER_DIRS.flatMap(sources);
    expect(files.length).toBeGreaterThan(10);
    const offenders = files.flatMap((file) => {
      const text = readFileSync(file, 'utf8');
      return FORBIDDEN.filter((re) => re.test(text)).map((re) => `${file}: ${re}`);
    });
    expect(offenders).toEqual([]);
  });
});
