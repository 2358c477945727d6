import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AppProcess } from '../helpers/appProcess';
import { startCoturn, type Coturn } from '../helpers/coturn';
import { createLobby } from '../browser/pages';
import { launchChromiumIn } from './chromiumInHome';
import { startLabApp } from './labApp';
import { openLabPlayer } from './labPlayers';
import { record } from './matrix';
import { INTERNET_IP, Lab, type NatKind } from './network';

/**
 * "Check my connection" behind each kind of NAT: the verdict must match what the routes cases
 * (routes.test.ts) actually reach from that network.
 */
let lab: Lab;
let coturn: Coturn;
let plain: AppProcess & { publicUrl: string };
let turned: AppProcess & { publicUrl: string };
let browsers: Browser[] = [];

beforeAll(async () => {
  lab = new Lab();
  coturn = await startCoturn({ listenIp: INTERNET_IP, relayIp: INTERNET_IP });
  plain = await startLabApp();
  turned = await startLabApp({
    TURN_URLS: `turn:${INTERNET_IP}:${coturn.port}?transport=udp,turn:${INTERNET_IP}:${coturn.port}?transport=tcp`,
    TURN_SECRET: coturn.secret,
  });
});
afterEach(async () => {
  await Promise.all(browsers.map((b) => b.close()));
  browsers = [];
  lab.clear();
});
afterAll(async () => {
  await plain?.stop();
  await turned?.stop();
  await coturn?.stop();
});

async function check(page: Page): Promise<{ verdict: string; reason: string; rttMs: number }> {
  const card = page.getByTestId('connection-check');
  await page.getByRole('button', { name: 'Check my connection' }).click();
  await page.locator('[data-testid="connection-check"][data-state="result"]').waitFor({ timeout: 30_000 });
  return {
    verdict: (await card.getAttribute('data-verdict')) ?? '',
    reason: (await card.getAttribute('data-reason')) ?? '',
    rttMs: Number(await card.getAttribute('data-rtt-ms')),
  };
}

async function playerIn(kind: NatKind, baseURL: string) {
  const home = lab.addHome('c', kind);
  const browser = await launchChromiumIn(home.netns);
  browsers.push(browser);
  return openLabPlayer(browser, baseURL, 'Cai');
}

const CASES: { kind: NatKind; turn: boolean; where: 'home' | 'lobby'; want: string }[] = [
  { kind: 'cone', turn: false, where: 'home', want: 'direct' },
  { kind: 'symmetric', turn: false, where: 'home', want: 'relay-only' },
  { kind: 'udp-blocked', turn: false, where: 'home', want: 'relay-only' },
  { kind: 'symmetric', turn: true, where: 'lobby', want: 'turn' },
  { kind: 'udp-blocked', turn: true, where: 'lobby', want: 'turn' },
];

describe('NAT lab: "Check my connection" says what each network can do', () => {
  for (const c of CASES) {
    it(`${c.kind}${c.turn ? ', TURN configured' : ''}, from the ${c.where} page: ${c.want}`, async () => {
      const app = c.turn ? turned : plain;
      const p = await playerIn(c.kind, app.publicUrl);
      if (c.where === 'lobby') await createLobby(p.page, { name: 'Check', visibility: 'private' });
      else await p.page.goto('/');
      const got = await check(p.page);
      const dir = process.env.LAB_SCREENSHOTS;
      if (dir)
        await p.page.screenshot({
          path: `${dir}/check-${c.kind}${c.turn ? '-turn' : ''}-${c.where}.png`,
          fullPage: true,
        });
      expect(got.verdict).toBe(c.want);
      expect(got.rttMs).toBeGreaterThanOrEqual(0);
      record({
        case: `check: ${c.kind}${c.turn ? ' + TURN' : ''} (${c.where})`,
        expected: c.want,
        reached: `${got.verdict} (${got.reason})`,
        pair: '—',
        openMs: null,
        note: `round trip to the server ${got.rttMs} ms`,
      });
    });
  }
});
