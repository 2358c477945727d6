import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAppProcess, type AppProcess } from '../helpers/appProcess';
import { launchChromium } from '../helpers/chromium';
import {
  puckSeen,
  selfSlot,
  stage,
  startGame,
  tickOf,
  waitPuckMoved,
  waitStage,
  waitTickPast,
  type Player,
} from './gamePages';
import { expectMembers, inviteLink, openPlayer } from './pages';

/**
 * "The game never stops": the real production server (default store, saved to DATA_DIR) is killed with
 * SIGKILL while three players play, and started again on the same port and DATA_DIR. The match runs
 * between the browsers meanwhile; when the server is back the lobby is the same and everyone plays on.
 */
let browser: Browser;
const cleanups: (() => unknown)[] = [];
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  while (cleanups.length) await cleanups.pop()!();
  await browser?.close();
});

async function freePort(): Promise<number> {
  const srv = createServer().listen(0, '127.0.0.1');
  await new Promise((r) => srv.once('listening', r));
  const { port } = srv.address() as { port: number };
  await new Promise((r) => srv.close(r));
  return port;
}

async function server(env: Record<string, string>): Promise<AppProcess> {
  const app = await startAppProcess(env);
  cleanups.push(() => app.stop('SIGKILL'));
  return app;
}

const saved = (dir: string) => {
  try {
    return readFileSync(join(dir, 'lobbies.json'), 'utf8');
  } catch {
    return '';
  }
};

declare global {
  interface Window {
    __watch?: { authorities: string[]; tickDrops: number };
  }
}

/** From now on, records every authority the page shows and every time its tick goes back. */
async function watchGame(page: Page) {
  await page.evaluate(() => {
    const stageEl = document.querySelector<HTMLElement>('[data-testid="game-stage"]')!;
    const canvas = document.querySelector<HTMLCanvasElement>('[data-testid="game-canvas"]')!;
    const w = { authorities: [stageEl.dataset.authority ?? ''], tickDrops: 0 };
    window.__watch = w;
    let tick = Number(canvas.dataset.tick);
    new MutationObserver(() => {
      const a = stageEl.dataset.authority ?? '';
      if (!w.authorities.includes(a)) w.authorities.push(a);
    }).observe(stageEl, { attributes: true, attributeFilter: ['data-authority'] });
    new MutationObserver(() => {
      const t = Number(canvas.dataset.tick);
      if (t < tick) w.tickDrops++;
      tick = t;
    }).observe(canvas, { attributes: true, attributeFilter: ['data-tick'] });
  });
}

const lobbyCode = (page: Page) => new URL(page.url()).pathname.split('/').pop();

/** `mover`'s keys move its puck as `watcher` draws it (towards the centre: it stays in the ring). */
async function controls(mover: Page, watcher: Page) {
  await waitStage(mover, '[data-phase="play"]', 60_000);
  const slot = await selfSlot(mover);
  const before = await puckSeen(watcher, slot);
  const key = before.x >= 0 ? 'ArrowLeft' : 'ArrowRight';
  await mover.keyboard.down(key);
  await waitPuckMoved(watcher, slot, before, 40);
  await mover.keyboard.up(key);
}

describe('a server restart during a game (Chromium, real server process)', () => {
  it('kill -9 and restart: the game ticks on through the outage, the lobby comes back the same, everyone still controls their puck', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'peerlobby-restart-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const env = { PORT: String(await freePort()), DATA_DIR: dir, SEAT_GRACE_MS: '60000' };
    const first = await server(env);
    const all: Player[] = [];
    for (const name of ['Ann', 'Ben', 'Cat']) {
      const p = await openPlayer(browser, first.url, name);
      cleanups.push(() => p.context.close());
      all.push({ context: p.context, page: p.page, name });
    }
    const [ann, ben, cat] = all as [Player, Player, Player];
    await startGame(all, 'Restart');
    for (const p of all) await waitStage(p.page, '[data-phase="play"]');
    const code = lobbyCode(ann.page);
    const invite = await inviteLink(ann.page);
    const authority = await stage(cat.page).getAttribute('data-authority');
    const slots = await Promise.all(all.map((p) => selfSlot(p.page)));
    // Saved within a second of each change: wait for it, as a crash could come at any time.
    await expect.poll(() => saved(dir), { timeout: 5_000 }).toContain(`"${code}"`);

    for (const p of all) await watchGame(p.page);
    const t0 = await tickOf(cat.page);
    await first.stop('SIGKILL');
    for (const p of all) await p.page.getByText('your game continues').waitFor();
    // The match goes on between the browsers while no server runs: two seconds of ticks, and keys count.
    await waitTickPast(cat.page, t0 + 120);
    await controls(ben.page, cat.page);
    const outageTick = await tickOf(cat.page);
    expect(await stage(cat.page).getAttribute('data-authority')).toBe(authority);

    await server(env);
    for (const p of all) {
      await p.page.getByText('your game continues').waitFor({ state: 'detached', timeout: 60_000 });
      await expectMembers(p.page, ['Ann', 'Ben', 'Cat']);
      await p.page
        .locator('[data-testid="member"][data-presence="dropped"]')
        .first()
        .waitFor({ state: 'detached', timeout: 30_000 });
      expect(lobbyCode(p.page)).toBe(code);
      await p.page.locator('[data-testid="lobby-phase"][data-phase="in-game"]').waitFor();
    }
    expect(await inviteLink(ann.page)).toBe(invite);
    // Same host (the lobby's, who simulates), same seats, and the same match: its tick never went back.
    for (const p of all) expect(await stage(p.page).getAttribute('data-authority')).toBe(authority);
    // Throughout — outage, and the return, when the server first counts everyone else dropped — no page
    // changed authority and no page's match went back in time: the links between them stayed up.
    for (const p of all)
      expect(await p.page.evaluate(() => window.__watch)).toEqual({ authorities: [authority], tickDrops: 0 });
    expect(await tickOf(cat.page)).toBeGreaterThan(outageTick);
    expect(await Promise.all(all.map((p) => selfSlot(p.page)))).toEqual(slots);
    for (const [mover, watcher] of [
      [ann, ben],
      [ben, cat],
      [cat, ann],
    ] as const)
      await controls(mover.page, watcher.page);
  });
});
