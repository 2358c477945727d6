/**
 * Screenshots of Ring Out in the lobby: mid-round, at the end of the round and at the results screen, desktop 1280×800 and
 * phone 390×844 (touch), three players. Needs a production build (`npx next build`).
 * Run: bash scripts/in-netns.sh npx tsx scripts/game-screenshots.ts   → test-results/game-*.png
 */
import { mkdirSync } from 'node:fs';
import { launchChromium } from '../tests/helpers/chromium';
import { startAppProcess } from '../tests/helpers/appProcess';
import {
  driveOut,
  inwardKeys,
  puckSeen,
  selfSlot,
  stage,
  shortMatches,
  startGame,
  tickOf,
  waitStage,
  waitTickPast,
  type Player,
} from '../tests/browser/gamePages';
import { openPlayer } from '../tests/browser/pages';

const OUT = 'test-results';
/** Into the round far enough that pucks have moved: ⅔ s of ticks. */
const MID_ROUND_TICKS = 40;

async function main() {
  mkdirSync(OUT, { recursive: true });
  const app = await startAppProcess();
  const browser = await launchChromium();
  try {
    for (const viewport of ['desktop', 'phone'] as const) {
      const players: Player[] = [];
      for (const name of ['Ann', 'Ben', 'Cat']) {
        const p = await openPlayer(browser, app.url, name, name === 'Ann' ? viewport : 'desktop');
        players.push({ context: p.context, page: p.page, name });
      }
      const [ann, ben, cat] = players as [Player, Player, Player];
      await shortMatches(ann.context);
      await startGame(players, `Friday ${viewport}`);
      await waitStage(ann.page, '[data-phase="play"]');
      // Some motion: Ben and Cat steer towards the middle; Ben dashes.
      const steer = await Promise.all(
        [ben, cat].map(async (p) => inwardKeys(await puckSeen(p.page, await selfSlot(p.page)))),
      );
      for (const k of steer[0]!) await ben.page.keyboard.down(k);
      for (const k of steer[1]!) await cat.page.keyboard.down(k);
      await waitTickPast(ann.page, (await tickOf(ann.page)) + MID_ROUND_TICKS);
      await ben.page.keyboard.press('Space');
      await waitTickPast(ann.page, (await tickOf(ann.page)) + 6);
      for (const k of steer[0]!) await ben.page.keyboard.up(k);
      for (const k of steer[1]!) await cat.page.keyboard.up(k);
      await ann.page.getByTestId('game').scrollIntoViewIfNeeded();
      await ann.page.screenshot({ path: `${OUT}/game-${viewport}-play.png` });
      // Ben and Cat leave the ring (unless the dash already ended the round).
      for (const p of [ben, cat]) {
        if ((await stage(p.page).getAttribute('data-phase')) !== 'play') break;
        if ((await puckSeen(p.page, await selfSlot(p.page))).status === 'alive') await driveOut(p.page);
      }
      await waitStage(ann.page, '[data-phase="roundOver"]');
      await ann.page.screenshot({ path: `${OUT}/game-${viewport}-roundover.png` });
      await waitStage(ann.page, '[data-phase="matchOver"]');
      await ann.page.getByTestId('game-results').waitFor();
      await ann.page.screenshot({ path: `${OUT}/game-${viewport}-results.png` });
      for (const p of players) await p.context.close();
    }
  } finally {
    await browser.close();
    await app.stop();
  }
  console.log(`screenshots in ${OUT}/game-{desktop,phone}-{play,roundover,results}.png`);
}

await main();
