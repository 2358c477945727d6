import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';

/** Debian's Chromium, or CHROMIUM_PATH. Missing is a failure with instructions, never a skip. */
export function chromiumPath(): string {
  const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(path)) {
    throw new Error(
      `Chromium not found at ${path}. Install Debian's package (sudo apt-get install -y chromium) or set CHROMIUM_PATH.`,
    );
  }
  return path;
}

/**
 * Quiet on a closed network, and WebRTC allowed on loopback: Chromium gathers no candidate on a loopback-only
 * network unless both the loopback flag and a granted camera/microphone (the fake UI here) are present.
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost , EXCLUDE 127.0.0.1',
  '--allow-loopback-in-peer-connection',
  '--use-fake-ui-for-media-stream',
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), headless: true, args: CHROMIUM_ARGS });
}

export type Viewport = 'phone' | 'desktop';
const VIEWPORTS = {
  phone: { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true },
  desktop: { viewport: { width: 1280, height: 800 } },
} as const;

/** A fresh context: its own localStorage, like another person on another device. */
export function newPlayerContext(
  browser: Browser,
  baseURL: string,
  viewport: Viewport = 'desktop',
): Promise<BrowserContext> {
  return browser.newContext({
    baseURL,
    ...VIEWPORTS[viewport],
    permissions: ['camera', 'microphone', 'clipboard-read', 'clipboard-write'],
  });
}
