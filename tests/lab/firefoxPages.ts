import { basename } from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { launchFirefox } from '../helpers/firefox';
import type { RouteName } from '../browser/meshPages';
import type { PuckSeen } from '../browser/gamePages';
import { ffButton, ffExpectMembers } from '../browser/firefoxPages';

/**
 * The lab's Firefox side, in puppeteer's API: the steps pages.ts, meshPages.ts, gamePages.ts and
 * labPlayers.ts take for Chromium. Predicates run in the page, so they use no named helpers.
 */

/** Firefox on a home's device: `netns` is a namespace path (`home.netns`, `home.addDevice()`). */
export function launchFirefoxIn(netns: string): Promise<Browser> {
  // launchFirefox takes the name under /run/netns, where the lab makes every namespace.
  if (!netns.startsWith('/run/netns/')) throw new Error(`not a lab namespace path: ${netns}`);
  return launchFirefox({ netns: basename(netns) });
}

export async function ffCreateLobby(
  page: Page,
  baseURL: string,
  opts: { name: string; visibility: 'public' | 'private' },
) {
  await page.goto(new URL('/', baseURL).href);
  await page.waitForSelector('[data-connection="connected"]');
  await page.locator('input[name="lobbyName"]').fill(opts.name);
  await page.locator(`input[name="visibility"][value="${opts.visibility}"]`).click();
  await ffButton(page, 'Create lobby').click();
  await page.waitForFunction(
    (n) => document.querySelector('[data-testid="lobby-name"]')?.textContent?.includes(n),
    {},
    opts.name,
  );
}

export async function ffInviteLink(page: Page): Promise<string> {
  const handle = await page.waitForFunction(
    () => document.querySelector<HTMLInputElement>('#inviteLink')?.value || false,
  );
  return (await handle.jsonValue()) as string;
}

export async function ffShowConnectionDetails(page: Page) {
  await ffButton(page, 'Show details').click();
  await page.waitForSelector('ul[aria-label="Connection details"]');
}

/** As meshPages' expectRoutes: these routes on the member rows and in the open Connections panel. */
export async function ffExpectRoutes(page: Page, want: Record<string, RouteName>) {
  await page.waitForFunction(
    (want) => {
      const seen: Record<string, string> = {};
      for (const el of document.querySelectorAll('[data-testid="member"]')) {
        seen[`member:${el.querySelector('[data-testid="member-name"]')?.textContent}`] =
          el.getAttribute('data-route') ?? '';
      }
      for (const el of document.querySelectorAll('[data-testid="connection-row"]')) {
        seen[`panel:${el.querySelector('span')?.textContent}`] = el.getAttribute('data-route') ?? '';
      }
      return Object.entries(want).every(
        ([name, route]) => seen[`member:${name}`] === route && seen[`panel:${name}`] === route,
      );
    },
    {},
    want,
  );
}

/** As labPlayers' shownRoute: the route and ICE pair the open panel shows for `peer`, once it shows a pair. */
export async function ffShownRoute(page: Page, peer: string): Promise<{ route: RouteName; pair: string }> {
  const handle = await page.waitForFunction(
    (peer) => {
      for (const row of document.querySelectorAll('[data-testid="connection-row"]')) {
        if (row.querySelector('span')?.textContent !== peer) continue;
        const pair = row.querySelector('[data-testid="ice-pair"]')?.textContent?.trim() ?? '';
        return /↔|none/.test(pair) ? { route: row.getAttribute('data-route') ?? '', pair } : false;
      }
      return false;
    },
    {},
    peer,
  );
  return (await handle.jsonValue()) as { route: RouteName; pair: string };
}

/** As labPlayers' waitAnyRoute: resolves once the page shows any route for `peer`; ms since `since`. */
export async function ffWaitAnyRoute(page: Page, peer: string, since: number): Promise<number> {
  await page.waitForFunction(
    (name) => {
      for (const el of document.querySelectorAll('[data-testid="member"]')) {
        if (
          el.querySelector('[data-testid="member-name"]')?.textContent === name &&
          el.getAttribute('data-route')
        )
          return true;
      }
      return false;
    },
    {},
    peer,
  );
  return Date.now() - since;
}

/** Resolves once `peer`'s member row shows `route`; returns ms since `since`. */
export async function ffWaitRoute(
  page: Page,
  peer: string,
  route: RouteName,
  since: number,
): Promise<number> {
  await page.waitForFunction(
    ({ peer, route }) => {
      for (const el of document.querySelectorAll('[data-testid="member"]')) {
        if (el.querySelector('[data-testid="member-name"]')?.textContent === peer)
          return el.getAttribute('data-route') === route;
      }
      return false;
    },
    {},
    { peer, route },
  );
  return Date.now() - since;
}

/** Waits until the host's page says everyone is ready. */
export async function ffEveryoneReady(page: Page) {
  await page.waitForFunction(
    () => document.querySelector('[data-testid="lobby-hint"]')?.textContent === 'Everyone is ready!',
  );
}

export { ffExpectMembers };

export async function ffSelfSlot(page: Page): Promise<number> {
  await page.waitForSelector('[data-testid="game-stage"]:not([data-self-slot=""])');
  return Number(await page.$eval('[data-testid="game-stage"]', (el) => el.getAttribute('data-self-slot')));
}

/** Where this page draws `slot` now (the canvas's data-pucks test hook). */
export async function ffPuckSeen(page: Page, slot: number): Promise<PuckSeen> {
  const handle = await page.waitForFunction(
    (s) => {
      const raw =
        document.querySelector<HTMLCanvasElement>('[data-testid="game-canvas"]')?.dataset.pucks ?? '';
      const row = raw.split(';').find((r) => r.startsWith(`${s}:`));
      if (!row) return null;
      const [x, y, status] = row.slice(row.indexOf(':') + 1).split(',');
      return { x: Number(x), y: Number(y), status: status! };
    },
    {},
    slot,
  );
  return (await handle.jsonValue()) as PuckSeen;
}

/** Waits until this page draws `slot` at least `minU` world units away from `from`. */
export async function ffWaitPuckMoved(
  page: Page,
  slot: number,
  from: { x: number; y: number },
  minU: number,
) {
  await page.waitForFunction(
    ({ s, fx, fy, d }) => {
      const raw =
        document.querySelector<HTMLCanvasElement>('[data-testid="game-canvas"]')?.dataset.pucks ?? '';
      const row = raw.split(';').find((r) => r.startsWith(`${s}:`));
      if (!row) return false;
      const [x, y] = row
        .slice(row.indexOf(':') + 1)
        .split(',')
        .map(Number);
      return Math.hypot(x! - fx, y! - fy) >= d;
    },
    {},
    { s: slot, fx: from.x, fy: from.y, d: minU },
  );
}
