import type { BrowserContext, Page } from 'playwright-core';
import { createLobby, expectMembers, inviteLink } from './pages';

export interface Player {
  context: BrowserContext;
  page: Page;
  name: string;
}

export interface PuckSeen {
  x: number;
  y: number;
  status: string;
}

/** Test-only switch (lib/client/game/debugGame.ts): matches of one round, so results come in seconds. */
export async function shortMatches(context: BrowserContext) {
  await context.addInitScript(() => window.localStorage.setItem('peerlobby.debug.rounds', '1'));
}

/** The first player creates a private lobby; the others join by link, get ready; the host starts. */
export async function startGame(players: Player[], lobbyName: string) {
  const [host, ...guests] = players;
  await createLobby(host!.page, { name: lobbyName, visibility: 'private' });
  const link = await inviteLink(host!.page);
  for (const g of guests) await g.page.goto(link);
  const names = players.map((p) => p.name);
  for (const p of players) await expectMembers(p.page, names);
  for (const g of guests) await g.page.getByRole('button', { name: 'I’m ready' }).click();
  await host!.page.getByText('Everyone is ready!').waitFor();
  await host!.page.getByRole('button', { name: 'Start game' }).click();
  for (const p of players) await waitStage(p.page, '[data-status="live"]');
}

export const stage = (page: Page) => page.getByTestId('game-stage');

/** Waits until the game stage matches an attribute selector, e.g. `[data-phase="play"]`. */
export function waitStage(page: Page, attrs: string, timeout = 30_000) {
  return page.locator(`[data-testid="game-stage"]${attrs}`).waitFor({ timeout });
}

export async function selfSlot(page: Page): Promise<number> {
  await waitStage(page, ':not([data-self-slot=""])');
  return Number(await stage(page).getAttribute('data-self-slot'));
}

/** Where this page draws `slot` now (the canvas's data-pucks test hook). */
export async function puckSeen(page: Page, slot: number): Promise<PuckSeen> {
  const handle = await page.waitForFunction((s) => {
    const raw = document.querySelector<HTMLCanvasElement>('[data-testid="game-canvas"]')?.dataset.pucks ?? '';
    const row = raw.split(';').find((r) => r.startsWith(`${s}:`));
    if (!row) return null;
    const [x, y, status] = row.slice(row.indexOf(':') + 1).split(',');
    return { x: Number(x), y: Number(y), status: status! };
  }, slot);
  return (await handle.jsonValue()) as PuckSeen;
}

/** Waits until this page draws `slot` at least `minU` world units away from `from`. */
export async function waitPuckMoved(
  page: Page,
  slot: number,
  from: { x: number; y: number },
  minU: number,
  timeout?: number,
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
    { s: slot, fx: from.x, fy: from.y, d: minU },
    { timeout },
  );
}

export async function waitPuckStatus(page: Page, slot: number, status: string) {
  await page.waitForFunction(
    ({ s, want }) => {
      const raw =
        document.querySelector<HTMLCanvasElement>('[data-testid="game-canvas"]')?.dataset.pucks ?? '';
      return raw.split(';').some((r) => r.startsWith(`${s}:`) && r.endsWith(`,${want}`));
    },
    { s: slot, want: status },
  );
}

/** Arrow keys pointing away from the centre: held, they drive the puck off the ring. */
export function outwardKeys(p: { x: number; y: number }): string[] {
  return [p.x >= 0 ? 'ArrowRight' : 'ArrowLeft', p.y >= 0 ? 'ArrowDown' : 'ArrowUp'];
}

/** Arrow keys pointing towards the centre: the puck stays in the ring. */
export function inwardKeys(p: { x: number; y: number }): string[] {
  return [p.x >= 0 ? 'ArrowLeft' : 'ArrowRight', p.y >= 0 ? 'ArrowUp' : 'ArrowDown'];
}

/** Holds the keys until this page sees its own puck fall out. */
export async function driveOut(page: Page) {
  const slot = await selfSlot(page);
  const keys = outwardKeys(await puckSeen(page, slot));
  for (const k of keys) await page.keyboard.down(k);
  await waitPuckStatus(page, slot, 'out');
  for (const k of keys) await page.keyboard.up(k);
}

/** `slot:score` pairs of the hidden scoreboard list, best first. */
export function scoreboard(page: Page): Promise<string[]> {
  return page
    .locator('[data-testid="game-scoreboard"] li')
    .evaluateAll((items) =>
      items.map((li) => `${li.getAttribute('data-slot')}:${li.getAttribute('data-score')}`),
    );
}

export async function tickOf(page: Page): Promise<number> {
  return Number(await page.getByTestId('game-canvas').getAttribute('data-tick'));
}

export async function waitTickPast(page: Page, tick: number) {
  await page.waitForFunction(
    (t) => Number(document.querySelector<HTMLCanvasElement>('[data-testid="game-canvas"]')?.dataset.tick) > t,
    tick,
  );
}

/**
 * Holds an arrow key in `mover`'s page, towards the ring's centre along `axis` (the puck stays in), until
 * every watcher draws the mover's puck at least 40 u away from where the first watcher drew it before.
 */
export async function keysMovePuck(
  mover: Page,
  watchers: Page[],
  axis: 'x' | 'y' = 'x',
  opts: { timeout?: number } = {},
): Promise<void> {
  const slot = await selfSlot(mover);
  const before = await puckSeen(watchers[0]!, slot);
  const key =
    axis === 'x' ? (before.x >= 0 ? 'ArrowLeft' : 'ArrowRight') : before.y >= 0 ? 'ArrowUp' : 'ArrowDown';
  await mover.keyboard.down(key);
  try {
    for (const w of watchers) await waitPuckMoved(w, slot, before, 40, opts.timeout);
  } finally {
    await mover.keyboard.up(key);
  }
}
