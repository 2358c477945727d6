import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import puppeteer, { type Browser, type BrowserContext, type Page } from 'puppeteer-core';

/** Debian's Firefox ESR, or FIREFOX_PATH. Missing is a failure with instructions, never a skip. */
export function firefoxPath(): string {
  const path = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';
  if (!existsSync(path)) {
    throw new Error(
      `Firefox not found at ${path}. Install Debian's package (sudo apt-get install -y firefox-esr) or set FIREFOX_PATH.`,
    );
  }
  return path;
}

/** Stands in for the binary when Firefox runs in another network namespace (see the script's header). */
const NETNS_WRAPPER = fileURLToPath(new URL('./firefoxInNetns.mjs', import.meta.url));

export interface FirefoxOptions {
  /**
   * A namespace under /run/netns (made by the NAT lab): Firefox runs there, like a user's browser on
   * that network, while the test drives it from its own namespace through a bridged BiDi port.
   */
  netns?: string;
}

/** The same size as the Chromium tests' desktop context (puppeteer's default is 800×600). */
const DESKTOP = { width: 1280, height: 800 };

/**
 * A headless Firefox driven over WebDriver BiDi. Puppeteer makes (and on close removes) a fresh
 * profile with its automation prefs, and `close()` ends the browser.
 */
export async function launchFirefox(opts: FirefoxOptions = {}): Promise<Browser> {
  const executablePath = firefoxPath();
  if (!opts.netns) {
    return puppeteer.launch({ browser: 'firefox', executablePath, headless: true, defaultViewport: DESKTOP });
  }
  const nsPath = `/run/netns/${opts.netns}`;
  if (!existsSync(nsPath))
    throw new Error(
      `No network namespace ${nsPath} (make it with \`ip netns add ${opts.netns}\` inside scripts/in-lab.sh)`,
    );
  // BiDi listens on the namespace's 127.0.0.1: its loopback must be up (a new namespace's is down).
  execFileSync('ip', ['-n', opts.netns, 'link', 'set', 'lo', 'up']);
  return puppeteer.launch({
    browser: 'firefox',
    executablePath: NETNS_WRAPPER,
    headless: true,
    defaultViewport: DESKTOP,
    env: { ...process.env, PEERLOBBY_FIREFOX_NETNS: opts.netns, PEERLOBBY_FIREFOX_BIN: executablePath },
  });
}

export interface FirefoxPlayer {
  context: BrowserContext;
  page: Page;
  /** Messages of dialogs the page opened (each dismissed). */
  dialogs: string[];
}

/** A fresh browser context (its own storage, like another person) whose page starts with `nickname` chosen. */
export async function newFirefoxPlayer(browser: Browser, nickname: string): Promise<FirefoxPlayer> {
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  await page.evaluateOnNewDocument(
    (name) => window.localStorage.setItem('peerlobby.nickname', name),
    nickname,
  );
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  return { context, page, dialogs };
}
