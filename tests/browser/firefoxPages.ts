import type { Page } from 'puppeteer-core';

/**
 * The Firefox side of the cross-browser tests: the same steps as pages.ts / meshPages.ts, in puppeteer's
 * API. Predicates run in the page, so they use no named helpers from here.
 */

export async function ffGotoHome(page: Page, baseURL: string) {
  await page.goto(new URL('/', baseURL).href);
  await page.waitForSelector('[data-connection="connected"]');
}

/** Waits until the member list shows exactly these nicknames (in join order). */
export async function ffExpectMembers(page: Page, names: string[]) {
  await page.waitForFunction(
    (want) =>
      JSON.stringify(
        [...document.querySelectorAll('[data-testid="member-name"]')].map((e) => e.textContent),
      ) === want,
    {},
    JSON.stringify(names),
  );
}

/** A button found by its accessible name, as a user (or a screen reader) finds it. */
export const ffButton = (page: Page, name: string) =>
  page.locator(`::-p-aria([name=${JSON.stringify(name)}][role="button"])`);

/**
 * Waits until the member row of `nickname` shows `route` (data-route) and its badge reads `label`,
 * then returns the badge text (the whole row's connection line).
 */
export async function ffRouteOf(page: Page, nickname: string, route: string, label: string): Promise<string> {
  const handle = await page.waitForFunction(
    ({ nickname, route, label }) => {
      for (const el of document.querySelectorAll('[data-testid="member"]')) {
        if (el.querySelector('[data-testid="member-name"]')?.textContent !== nickname) continue;
        const badge = el.querySelector('[data-peer-state]')?.textContent ?? '';
        return el.getAttribute('data-route') === route && badge.includes(label) ? badge : false;
      }
      return false;
    },
    {},
    { nickname, route, label },
  );
  return (await handle.jsonValue()) as string;
}

/** Types a chat line and sends it with Enter; waits for it in the sender's own log. */
export async function ffSay(page: Page, text: string) {
  await page.locator('#chatInput:not([disabled])').fill(text);
  await page.keyboard.press('Enter');
  await ffHeard(page, text);
}

/** Waits for `text` in the chat log and returns the author shown for it. */
export async function ffHeard(page: Page, text: string): Promise<string> {
  const handle = await page.waitForFunction(
    (t) => {
      for (const li of document.querySelectorAll('[data-testid="chat-message"]')) {
        if (li.querySelector('[data-testid="chat-text"]')?.textContent === t)
          return li.querySelector('[data-testid="chat-author"]')?.textContent ?? '';
      }
      return false;
    },
    {},
    text,
  );
  return (await handle.jsonValue()) as string;
}

/** Waits until the game stage matches an attribute selector, e.g. `[data-phase="play"]`. */
export async function ffWaitStage(page: Page, attrs: string, timeout = 30_000) {
  await page.waitForSelector(`[data-testid="game-stage"]${attrs}`, { timeout });
}
