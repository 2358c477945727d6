import { existsSync } from 'node:fs';
import type { TestProject } from 'vitest/node';
import { chromiumPath } from '../helpers/chromium';
import { startAppProcess, type AppProcess } from '../helpers/appProcess';
import { freeUdpPorts } from '../helpers/stun';

declare module 'vitest' {
  export interface ProvidedContext {
    baseURL: string;
  }
}

let app: AppProcess | undefined;

/** One production server for the browser suite; Chromium must exist (a clear failure otherwise). */
export async function setup(project: TestProject) {
  chromiumPath();
  if (!existsSync('.next/BUILD_ID'))
    throw new Error('No production build: run `npx next build` first (npm test does).');
  // A short seat grace so tests that close a tab see the seat freed within seconds.
  // The built-in STUN responder on, as `npm start` has it, on free ports ("Check my connection" uses both).
  const [stun, stunAlt] = await freeUdpPorts(2);
  // Every page of the suite comes from 127.0.0.1: lobbies of earlier tests, held for the grace, must not
  // use up one address's lobby cap.
  app = await startAppProcess({
    SEAT_GRACE_MS: '4000',
    STUN_PORT: String(stun),
    STUN_ALT_PORT: String(stunAlt),
    MAX_LOBBIES_PER_ADDRESS: '1000',
  });
  project.provide('baseURL', app.url);
}

export async function teardown() {
  await app?.stop();
}
