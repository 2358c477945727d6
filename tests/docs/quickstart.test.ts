import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import * as esbuild from 'esbuild';
import type { Browser, BrowserContext, ConsoleMessage, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, newPlayerContext } from '../helpers/chromium';
import { SDK_DIST } from '../helpers/sdkPackage';
import { startTestServer, type TestServer } from '../helpers/server';

/**
 * docs/SDK.md's quick start, as a developer pastes it: the first ```ts block under "## Quick start",
 * type-checked (strict) against the built package's declarations, resolved by package name, then bundled
 * and run in two Chromium pages on a real server. The one change made to it: the server's URL.
 */
const run = promisify(execFile);
const DOC_URL = 'http://localhost:3000';
const WORK = 'node_modules/.cache/sdk-quickstart';

async function quickStart(): Promise<string> {
  const doc = await readFile('docs/SDK.md', 'utf8');
  const section = doc.slice(doc.indexOf('## Quick start'));
  const block = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
  if (!block) throw new Error('docs/SDK.md has no ```ts block under "## Quick start"');
  return block;
}

let browser: Browser;
let server: TestServer;
let pages: Server;
let origin: string;
let script = '';
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  if (!existsSync(`${SDK_DIST}index.d.ts`))
    throw new Error('packages/sdk/dist is missing: run `npm run build:sdk` first (npm test does)');
  pages = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/quickstart.js')
      return void res.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
    res
      .writeHead(200, { 'content-type': 'text/html' })
      .end('<!doctype html><title>quick start</title><script type="module" src="/quickstart.js"></script>');
  });
  await new Promise<void>((resolve) => pages.listen(0, '127.0.0.1', resolve));
  origin = `http://localhost:${(pages.address() as AddressInfo).port}`;
  server = await startTestServer({ env: { ALLOWED_ORIGINS: origin } });
  browser = await launchChromium();
});
afterAll(async () => {
  for (const c of contexts) await c.close();
  await browser?.close();
  await server?.close();
  await new Promise((resolve) => pages?.close(resolve));
});

/** Resolves with the first console line of `page` that matches. */
const consoleLine = (page: Page, pattern: RegExp) =>
  new Promise<string>((resolve) => {
    const listener = (msg: ConsoleMessage) => {
      if (!pattern.test(msg.text())) return;
      page.off('console', listener);
      resolve(msg.text());
    };
    page.on('console', listener);
  });

async function open(url: string) {
  const context = await newPlayerContext(browser, origin);
  contexts.push(context);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  // Listening before the page runs: nothing it logs is missed.
  const lobby = consoleLine(page, /^(opened|joined) lobby /);
  const said = consoleLine(page, / says: hello from /);
  await page.goto(url);
  return { page, lobby, said, errors };
}

describe('docs/SDK.md quick start', () => {
  it('type-checks as pasted against the built package (strict, resolved by package name)', async () => {
    await mkdir(WORK, { recursive: true });
    await writeFile(`${WORK}/quickstart.ts`, await quickStart());
    const tsconfig = {
      compilerOptions: {
        target: 'ES2022',
        module: 'ESNext',
        moduleResolution: 'Bundler',
        lib: ['ES2023', 'DOM'],
        strict: true,
        noEmit: true,
        skipLibCheck: false,
        types: [],
      },
      files: ['quickstart.ts'],
    };
    await writeFile(`${WORK}/tsconfig.json`, JSON.stringify(tsconfig));
    const result = await run(process.execPath, [
      'node_modules/typescript/bin/tsc',
      '-p',
      `${WORK}/tsconfig.json`,
    ]).catch((err: { stdout: string; stderr: string }) => ({
      stdout: err.stdout,
      stderr: err.stderr,
      failed: true,
    }));
    expect(result).not.toHaveProperty('failed');
  }, 60_000);

  it('runs: two pages meet in a lobby and say hello over the data channels', async () => {
    const code = await quickStart();
    expect(code).toContain(`'${DOC_URL}'`);
    const built = await esbuild.build({
      stdin: {
        contents: code.replace(`'${DOC_URL}'`, JSON.stringify(server.url)),
        loader: 'ts',
        resolveDir: process.cwd(),
      },
      bundle: true,
      format: 'esm',
      target: 'es2022',
      write: false,
      logLevel: 'silent',
    });
    script = built.outputFiles[0]!.text;

    // Two players open the same page; quick play seats both in one lobby.
    const first = await open(`${origin}/`);
    const firstLobby = await first.lobby;
    const second = await open(`${origin}/`);
    const secondLobby = await second.lobby;
    expect(firstLobby).toMatch(/^opened lobby [A-Z0-9]{4,}$/);
    expect(secondLobby).toBe(firstLobby.replace('opened', 'joined'));

    // Each hears the other's hello over the mesh.
    const [atFirst, atSecond] = await Promise.all([first.said, second.said]);
    const [from1, by1] = /^(\S+) says: hello from (\S+)$/.exec(atFirst)!.slice(1);
    const [from2, by2] = /^(\S+) says: hello from (\S+)$/.exec(atSecond)!.slice(1);
    expect(from1).toBe(by1);
    expect(from2).toBe(by2);
    expect(from1).not.toBe(from2);
    expect([...first.errors, ...second.errors]).toEqual([]);
  });
});
