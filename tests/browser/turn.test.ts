import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAppProcess, type AppProcess } from '../helpers/appProcess';
import { launchChromium } from '../helpers/chromium';
import { startCoturn, type Coturn } from '../helpers/coturn';
import { expectRoutes, gatherLobby, openMeshPlayer, showConnectionDetails } from './meshPages';

let browser: Browser;
let coturn: Coturn;
let app: AppProcess;

beforeAll(async () => {
  coturn = await startCoturn();
  // Its own server: the shared one has no TURN configured.
  app = await startAppProcess({ TURN_URLS: coturn.url, TURN_SECRET: coturn.secret, TURN_TTL_S: '600' });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await coturn?.stop();
});

describe('TURN in Chromium (real coturn, use-auth-secret)', () => {
  it('"Hide my IP" players connect through coturn with REST credentials; the panel says TURN', async () => {
    const players = await Promise.all(
      ['Tia', 'Udo'].map(async (name) => {
        const p = await openMeshPlayer(browser, app.url, name);
        await p.context.addInitScript(() => window.localStorage.setItem('peerlobby.hideIp', '1'));
        return p;
      }),
    );
    await gatherLobby(players, 'Private route');
    const [tia, udo] = players as [(typeof players)[0], (typeof players)[0]];
    await showConnectionDetails(tia.page);
    await showConnectionDetails(udo.page);
    await expectRoutes(tia.page, { Udo: 'turn' });
    await expectRoutes(udo.page, { Tia: 'turn' });
    expect(await tia.page.getByRole('switch', { name: 'Hide my IP address' }).isChecked()).toBe(true);
    // coturn saw allocations made with our short-lived `<expiry>:<player>` usernames.
    await coturn.waitForLog(/allocation.*success|ALLOCATE processed, success/i);
    expect(coturn.log()).toMatch(/\d{10}:[A-Za-z0-9_-]{16}/);
    for (const p of players) await p.context.close();
  });
});
