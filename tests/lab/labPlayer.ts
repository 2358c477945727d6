import type { Browser as ChromiumBrowser } from 'playwright-core';
import type { Browser as FirefoxBrowser } from 'puppeteer-core';
import { createLobby, expectMembers, inviteLink } from '../browser/pages';
import { expectRoutes, heard, say, showConnectionDetails, type RouteName } from '../browser/meshPages';
import { puckSeen, selfSlot, waitPuckMoved, waitStage, type PuckSeen } from '../browser/gamePages';
import { ffButton, ffHeard, ffSay, ffWaitStage } from '../browser/firefoxPages';
import { newFirefoxPlayer } from '../helpers/firefox';
import { launchChromiumIn } from './chromiumInHome';
import {
  ffCreateLobby,
  ffEveryoneReady,
  ffExpectMembers,
  ffExpectRoutes,
  ffInviteLink,
  ffPuckSeen,
  ffSelfSlot,
  ffShowConnectionDetails,
  ffShownRoute,
  ffWaitAnyRoute,
  ffWaitRoute,
  ffWaitPuckMoved,
  launchFirefoxIn,
} from './firefoxPages';
import { openLabPlayer, shownRoute, waitAnyRoute } from './labPlayers';

export type BrowserKind = 'chromium' | 'firefox';
export type Arrow = 'ArrowLeft' | 'ArrowRight' | 'ArrowUp' | 'ArrowDown';

/**
 * One player in a lab home, whichever browser it uses: the steps the lab's cross-browser cases take,
 * over Playwright for Chromium and puppeteer (WebDriver BiDi) for Firefox.
 */
export interface LabPlayer {
  name: string;
  browser: BrowserKind;
  /** Uncaught errors of the page (its scripts' exceptions), as they happened. */
  errors: string[];
  close(): Promise<void>;
  createLobby(name: string): Promise<void>;
  inviteLink(): Promise<string>;
  goto(url: string): Promise<void>;
  expectMembers(names: string[]): Promise<void>;
  waitAnyRoute(peer: string, since: number): Promise<number>;
  /** Resolves once `peer`'s member row shows `route`; returns ms since `since`. */
  waitRoute(peer: string, route: RouteName, since: number): Promise<number>;
  showConnectionDetails(): Promise<void>;
  expectRoutes(want: Record<string, RouteName>): Promise<void>;
  shownRoute(peer: string): Promise<{ route: RouteName; pair: string }>;
  say(text: string): Promise<void>;
  heard(text: string): Promise<string>;
  ready(): Promise<void>;
  /** Host only: waits until everyone is ready, then starts the game. */
  start(): Promise<void>;
  waitStage(attrs: string): Promise<void>;
  selfSlot(): Promise<number>;
  puckSeen(slot: number): Promise<PuckSeen>;
  waitPuckMoved(slot: number, from: { x: number; y: number }, minU: number): Promise<void>;
  keyDown(key: Arrow): Promise<void>;
  keyUp(key: Arrow): Promise<void>;
}

/** Launches `kind` on the device whose namespace path is `netns` and opens a player named `name`. */
export async function labPlayer(
  kind: BrowserKind,
  netns: string,
  baseURL: string,
  name: string,
): Promise<LabPlayer> {
  return kind === 'chromium'
    ? chromiumPlayer(await launchChromiumIn(netns), baseURL, name)
    : firefoxPlayer(await launchFirefoxIn(netns), baseURL, name);
}

async function chromiumPlayer(browser: ChromiumBrowser, baseURL: string, name: string): Promise<LabPlayer> {
  const p = await openLabPlayer(browser, baseURL, name);
  const { page } = p;
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return {
    name,
    browser: 'chromium',
    errors,
    close: () => browser.close(),
    createLobby: (lobby) => createLobby(page, { name: lobby, visibility: 'private' }),
    inviteLink: () => inviteLink(page),
    goto: async (url) => void (await page.goto(url)),
    expectMembers: (names) => expectMembers(page, names),
    waitAnyRoute: (peer, since) => waitAnyRoute(page, peer, since),
    waitRoute: async (peer, route, since) => {
      // waitForFunction polls each frame, as waitAnyRoute does (a locator's wait backs off to 1 s polls).
      await page.waitForFunction(
        ({ peer, route }) => {
          for (const el of document.querySelectorAll('[data-testid="member"]')) {
            if (el.querySelector('[data-testid="member-name"]')?.textContent === peer)
              return el.getAttribute('data-route') === route;
          }
          return false;
        },
        { peer, route },
      );
      return Date.now() - since;
    },
    showConnectionDetails: () => showConnectionDetails(page),
    expectRoutes: (want) => expectRoutes(page, want),
    shownRoute: (peer) => shownRoute(page, peer),
    say: (text) => say(p, text),
    heard: async (text) => (await heard(page, text)) ?? '',
    ready: () => page.getByRole('button', { name: 'I’m ready' }).click(),
    start: async () => {
      await page.getByText('Everyone is ready!').waitFor();
      await page.getByRole('button', { name: 'Start game' }).click();
    },
    waitStage: (attrs) => waitStage(page, attrs),
    selfSlot: () => selfSlot(page),
    puckSeen: (slot) => puckSeen(page, slot),
    waitPuckMoved: (slot, from, minU) => waitPuckMoved(page, slot, from, minU),
    keyDown: (key) => page.keyboard.down(key),
    keyUp: (key) => page.keyboard.up(key),
  };
}

async function firefoxPlayer(browser: FirefoxBrowser, baseURL: string, name: string): Promise<LabPlayer> {
  const { page } = await newFirefoxPlayer(browser, name);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e instanceof Error ? e.message : String(e)));
  return {
    name,
    browser: 'firefox',
    errors,
    close: () => browser.close(),
    createLobby: (lobby) => ffCreateLobby(page, baseURL, { name: lobby, visibility: 'private' }),
    inviteLink: () => ffInviteLink(page),
    goto: async (url) => void (await page.goto(url)),
    expectMembers: (names) => ffExpectMembers(page, names),
    waitAnyRoute: (peer, since) => ffWaitAnyRoute(page, peer, since),
    waitRoute: (peer, route, since) => ffWaitRoute(page, peer, route, since),
    showConnectionDetails: () => ffShowConnectionDetails(page),
    expectRoutes: (want) => ffExpectRoutes(page, want),
    shownRoute: (peer) => ffShownRoute(page, peer),
    say: (text) => ffSay(page, text),
    heard: (text) => ffHeard(page, text),
    ready: () => ffButton(page, 'I’m ready').click(),
    start: async () => {
      await ffEveryoneReady(page);
      await ffButton(page, 'Start game').click();
    },
    waitStage: (attrs) => ffWaitStage(page, attrs),
    selfSlot: () => ffSelfSlot(page),
    puckSeen: (slot) => ffPuckSeen(page, slot),
    waitPuckMoved: (slot, from, minU) => ffWaitPuckMoved(page, slot, from, minU),
    keyDown: (key) => page.keyboard.down(key),
    keyUp: (key) => page.keyboard.up(key),
  };
}
