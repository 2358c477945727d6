import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM_ARGS, chromiumPath } from '../helpers/chromium';
import { INTERNET_IP } from './network';

/**
 * Chromium as a real player's browser in a home network: no camera permission and no loopback flag, so
 * host candidates are mDNS `.local` names and only what the NAT lets through connects. The runner stays
 * outside: Playwright drives the browser over pipes, which survive `nsenter` into the home's namespace.
 */
const ARGS = [
  // The suite's quiet-on-a-closed-network flags, less the loopback-only ones (a real user has neither).
  ...CHROMIUM_ARGS.filter(
    (a) =>
      !a.startsWith('--host-resolver-rules') &&
      a !== '--allow-loopback-in-peer-connection' &&
      a !== '--use-fake-ui-for-media-stream',
  ),
  // No name resolution, except the lab's internet address (IP literals are mapped too otherwise) and mDNS
  // `.local` names (peers' host candidates, resolved by multicast on the home's LAN).
  `--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost , EXCLUDE 127.0.0.1 , EXCLUDE ${INTERNET_IP} , EXCLUDE *.local`,
];

/** `netns`: a namespace path, e.g. `home.netns` or `home.addDevice()`. */
export async function launchChromiumIn(netns: string): Promise<Browser> {
  const dir = mkdtempSync(join(tmpdir(), 'peerlobby-lab-chromium-'));
  const wrapper = join(dir, 'chromium');
  writeFileSync(wrapper, `#!/bin/sh\nexec nsenter --net=${netns} ${chromiumPath()} "$@"\n`);
  chmodSync(wrapper, 0o755);
  const browser = await chromium.launch({ executablePath: wrapper, headless: true, args: ARGS });
  browser.on('disconnected', () => rmSync(dir, { recursive: true, force: true }));
  return browser;
}
