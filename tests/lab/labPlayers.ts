import type { Browser, Page } from 'playwright-core';
import type { MeshPlayer, RouteName } from '../browser/meshPages';

/**
 * A player in a home: own context (own storage), nickname preset, and no permissions granted — a granted
 * camera would make Chromium expose raw host addresses instead of mDNS names, which real players never do.
 */
export async function openLabPlayer(browser: Browser, baseURL: string, name: string): Promise<MeshPlayer> {
  const context = await browser.newContext({ baseURL, viewport: { width: 1280, height: 800 } });
  await context.addInitScript((n) => window.localStorage.setItem('peerlobby.nickname', n), name);
  const page = await context.newPage();
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  return { context, page, dialogs, name, frames: [] };
}

/**
 * The route and the selected ICE pair's candidate types (from getStats(), refreshed each second) this
 * page shows for `peer`, once it shows a pair — or "none (server relay)" (details open).
 */
export async function shownRoute(page: Page, peer: string): Promise<{ route: RouteName; pair: string }> {
  const row = page.getByTestId('connection-row').filter({ hasText: peer });
  await row
    .getByTestId('ice-pair')
    .filter({ hasText: /↔|none/ })
    .waitFor();
  return {
    route: (await row.getAttribute('data-route')) as RouteName,
    pair: ((await row.getByTestId('ice-pair').textContent()) ?? '').trim(),
  };
}

/** Resolves once the page shows any route at all for `peer`; returns ms since `since`. */
export async function waitAnyRoute(page: Page, peer: string, since: number): Promise<number> {
  await page.waitForFunction((name) => {
    for (const el of document.querySelectorAll('[data-testid="member"]')) {
      if (
        el.querySelector('[data-testid="member-name"]')?.textContent === name &&
        el.getAttribute('data-route')
      )
        return true;
    }
    return false;
  }, peer);
  return Date.now() - since;
}
