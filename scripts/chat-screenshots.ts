// Screenshots of a 3-player lobby chatting, one pair relayed, connection details open:
// `bash scripts/in-netns.sh npx tsx scripts/chat-screenshots.ts OUTDIR` (needs `next build` first).
import { mkdirSync } from 'node:fs';
import { launchChromium, type Viewport } from '../tests/helpers/chromium';
import { startAppProcess } from '../tests/helpers/appProcess';
import {
  expectRoutes,
  gatherLobby,
  heard,
  openMeshPlayer,
  say,
  showConnectionDetails,
} from '../tests/browser/meshPages';

const [out = 'test-results/screens'] = process.argv.slice(2);
mkdirSync(out, { recursive: true });
const app = await startAppProcess();
const browser = await launchChromium();
try {
  for (const viewport of ['desktop', 'phone'] as Viewport[]) {
    const ann = await openMeshPlayer(browser, app.url, 'Ann', { viewport });
    const ben = await openMeshPlayer(browser, app.url, 'Ben', { viewport });
    const cid = await openMeshPlayer(browser, app.url, 'Cid', { viewport, blockDirect: 'Ben' });
    await gatherLobby([ann, ben, cid], 'Friday night');
    await showConnectionDetails(cid.page);
    await expectRoutes(cid.page, { Ann: 'direct', Ben: 'relay' });
    const lines: [typeof ann, string][] = [
      [ann, 'Welcome! Ready when you are.'],
      [ben, 'Hi all! My connection to Cid goes through the server, it seems'],
      [cid, 'Same here: "Relayed through server" in the Connections card. Works fine though.'],
      [ann, '<img src=x onerror=alert(1)> ← shows as text, as it should'],
      [ben, 'Ready!'],
    ];
    for (const [p, text] of lines) {
      await say(p, text);
      await heard(cid.page, text);
    }
    // Every row has a round trip measured.
    await cid.page.waitForFunction(() =>
      [...document.querySelectorAll('[data-testid="rtt"]')].every((e) => e.textContent !== '—'),
    );
    await cid.page.screenshot({ path: `${out}/lobby-chat-${viewport}.png`, fullPage: true });
    for (const p of [ann, ben, cid]) await p.context.close();
  }
} finally {
  await browser.close();
  await app.stop();
}
console.log(`screenshots in ${out}`);
