import { existsSync } from 'node:fs';
import type { TestProject } from 'vitest/node';
import { chromiumPath } from '../helpers/chromium';
import { startAppProcess, type AppProcess } from '../helpers/appProcess';

declare module 'vitest' {
  export interface ProvidedContext {
    baseURL: string;
  }
}

let app: AppProcess | undefined;

/** One production server for the browser suite; Chromium must exist (a clear failure otherwise). */
export async function setup(project: TestProject) {
  chromiumPath();
  if (!existsSync('.next/BUILD_ID')) throw new Error('No production build: run `npx next build` first (npm test does).');
  // A short seat grace so tests that close a tab see the seat freed within seconds.
  app = await startAppProcess({ SEAT_GRACE_MS: '4000' });
  project.provide('baseURL', app.url);
}

export async function teardown() {
  await app?.stop();
}
