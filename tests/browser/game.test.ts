import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchChromium } from '../helpers/chromium';
import {
  driveOut,
  puckSeen,
  scoreboard,
  selfSlot,
  keysMovePuck,
  stage,
  startGame,
  tickOf,
  shortMatches,
  waitPuckMoved,
  waitStage,
  waitTickPast,
  type Player,
} from './gamePages';
import { inviteLink, openPlayer } from './pages';

let browser: Browser;
const baseURL = inject('baseURL');
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(() => browser?.close());

async function players(
  names: string[],
  opts: { viewport?: 'desktop' | 'phone'; blockDirect?: string } = {},
): Promise<Player[]> {
  const out: Player[] = [];
  for (const name of names) {
    const p = await openPlayer(browser, baseURL, name, opts.viewport);
    if (opts.blockDirect)
      await p.context.addInitScript(
        (b) => window.localStorage.setItem('peerlobby.debug.blockDirect', b),
        opts.blockDirect,
      );
    out.push({ context: p.context, page: p.page, name });
  }
  await shortMatches(out[0]!.context);
  return out;
}

describe('Ring Out in the lobby (Chromium)', () => {
  it('three players: start, keyboard moves a puck on every page, same results everywhere, rematch, back to the lobby', async () => {
    const [ann, ben, cat] = await players(['Ann', 'Ben', 'Cat']);
    const all = [ann!, ben!, cat!];
    await startGame(all, 'Ring test');
    for (const p of all) await waitStage(p.page, '[data-phase="play"][data-round="1"]');

    // Ben's keyboard moves Ben's puck in Ann's and Cat's pages.
    await keysMovePuck(ben!.page, [ann!.page, cat!.page]);

    // Ben and Cat drive off the ring: Ann survives and wins the (single-round) match.
    await driveOut(ben!.page);
    await driveOut(cat!.page);
    for (const p of all) await waitStage(p.page, '[data-phase="matchOver"]');
    const boards = await Promise.all(all.map((p) => scoreboard(p.page)));
    const annSlot = await selfSlot(ann!.page);
    expect(boards[0]![0]).toMatch(new RegExp(`^${annSlot}:[1-9]`));
    expect(boards[1]).toEqual(boards[0]);
    expect(boards[2]).toEqual(boards[0]);
    await cat!.page.getByTestId('game-results').getByText('Ann wins!').waitFor();
    // Only the lobby host can take everyone back to the lobby.
    expect(await ben!.page.getByRole('button', { name: 'Back to lobby' }).count()).toBe(0);

    await cat!.page.getByRole('button', { name: 'Rematch' }).click();
    for (const p of all) await waitStage(p.page, '[data-phase="countdown"][data-round="1"]');
    for (const p of all) expect((await scoreboard(p.page)).every((line) => line.endsWith(':0'))).toBe(true);

    await ann!.page.getByRole('button', { name: 'End game' }).click();
    for (const p of all) await p.page.locator('[data-testid="lobby-phase"][data-phase="waiting"]').waitFor();
    expect(await ben!.page.getByTestId('game').count()).toBe(0);
    for (const p of all) await p.context.close();
  });

  it('the host closes its tab mid-round: the next member simulates at once and play goes on', async () => {
    const [ann, ben, cat] = await players(['Ann', 'Ben', 'Cat']);
    await startGame([ann!, ben!, cat!], 'Host leaves');
    for (const p of [ann!, ben!, cat!]) await waitStage(p.page, '[data-phase="play"]');
    const annAuthority = await stage(cat!.page).getAttribute('data-authority');
    const annSlot = await selfSlot(ann!.page);
    await ann!.context.close();

    // Authority moves to Ben (first present in join order) well before the 4 s seat grace ends.
    await waitStage(ben!.page, `[data-authority]:not([data-authority="${annAuthority}"])`, 3_000);
    const newAuthority = await stage(ben!.page).getAttribute('data-authority');
    await waitStage(cat!.page, `[data-authority="${newAuthority}"]`);
    const t0 = await tickOf(cat!.page);
    await waitTickPast(cat!.page, t0 + 60);
    await waitTickPast(ben!.page, t0 + 60);
    await waitStage(cat!.page, '[data-phase="play"][data-round="1"]');

    // Cat's keyboard still moves Cat's puck, as Ben sees it.
    await keysMovePuck(cat!.page, [ben!.page], 'y');

    // When the grace window ends Ann's seat (and puck) goes.
    await ben!.page.waitForFunction(
      (s) =>
        !(document.querySelector<HTMLCanvasElement>('[data-testid="game-canvas"]')?.dataset.pucks ?? `${s}:`)
          .split(';')
          .some((r) => r.startsWith(`${s}:`)),
      annSlot,
    );
    await ben!.context.close();
    await cat!.context.close();
  });

  it("the authority's page is frozen: another member simulates within a second, the others keep 60 ticks/s and their controls", async () => {
    const [ann, ben, cat] = await players(['Ann', 'Ben', 'Cat']);
    const all = [ann!, ben!, cat!];
    await startGame(all, 'Frozen host');
    for (const p of all) await waitStage(p.page, '[data-phase="play"]');
    const annAuthority = await stage(ben!.page).getAttribute('data-authority');
    expect(await stage(ann!.page).getAttribute('data-authority')).toBe(annAuthority);

    // Stop Ann's page dead, as a frozen tab is: no script runs, so no tick, no snapshot; its socket stays
    // open, so the server still counts Ann present. (CDP's Page.setWebLifecycleState 'frozen' would be the
    // direct way, but headless pages are always visible and Chromium does not freeze a visible page: no
    // freeze event, its timers run on. Pausing the debugger stops the main thread completely.)
    const cdp = await ann!.context.newCDPSession(ann!.page);
    await cdp.send('Debugger.enable');
    const frozenAt = performance.now();
    await cdp.send('Debugger.pause');
    await waitStage(ben!.page, `[data-authority]:not([data-authority="${annAuthority}"])`);
    console.info(`authority moved ${Math.round(performance.now() - frozenAt)} ms after the freeze`);
    const newAuthority = await stage(ben!.page).getAttribute('data-authority');
    await waitStage(cat!.page, `[data-authority="${newAuthority}"]`);
    expect(await ben!.page.locator('[data-testid="member"][data-presence="dropped"]').count()).toBe(0);

    // Ticks counted from the game state Cat draws, over 180 of them.
    const tick0 = await tickOf(cat!.page);
    const t0 = performance.now();
    await waitTickPast(cat!.page, tick0 + 180);
    const ticksPerS = ((await tickOf(cat!.page)) - tick0) / ((performance.now() - t0) / 1000);
    console.info(`after the move Cat sees ${ticksPerS.toFixed(1)} ticks/s`);
    expect(ticksPerS).toBeGreaterThanOrEqual(55);
    await waitStage(cat!.page, '[data-phase="play"][data-round="1"]');

    await keysMovePuck(cat!.page, [ben!.page], 'y');

    // Ann's page wakes: it does not replay what it missed (the pages agree again on one authority: the new
    // one, or Ann if the server saw Ann drop and return meanwhile) and its keys count.
    await cdp.send('Debugger.resume');
    const authorities = () => Promise.all(all.map((p) => stage(p.page).getAttribute('data-authority')));
    await expect.poll(async () => new Set(await authorities()).size, { timeout: 15_000 }).toBe(1);
    console.info(
      `after the wake: ${(await authorities())[0] === newAuthority ? 'the new authority' : 'Ann again'} simulates`,
    );
    const annSlot = await selfSlot(ann!.page);
    const annBefore = await puckSeen(cat!.page, annSlot);
    const annDir = annBefore.x >= 0 ? 'ArrowLeft' : 'ArrowRight';
    await ann!.page.keyboard.down(annDir);
    await waitPuckMoved(cat!.page, annSlot, annBefore, 40);
    await ann!.page.keyboard.up(annDir);
    await waitTickPast(cat!.page, (await tickOf(cat!.page)) + 60);
    for (const p of all) await p.context.close();
  });

  it('the host reloads mid-round: the match continues where it was, not from a new countdown', async () => {
    const [ann, ben] = await players(['Ann', 'Ben']);
    await startGame([ann!, ben!], 'Reload');
    for (const p of [ann!, ben!]) await waitStage(p.page, '[data-phase="play"]');
    const t0 = await tickOf(ben!.page);
    await ann!.page.reload();
    await waitStage(ann!.page, '[data-status="live"][data-phase="play"][data-round="1"]');
    // Same match: the tick carried on (a new match would count from 0 in a countdown).
    expect(await tickOf(ann!.page)).toBeGreaterThan(t0);
    await waitStage(ben!.page, `[data-authority="${await stage(ann!.page).getAttribute('data-authority')}"]`);
    await keysMovePuck(ben!.page, [ann!.page]);
    await ann!.context.close();
    await ben!.context.close();
  });

  it('a guest reloads after 10 s of play: their keys count again as soon as the page is back', async () => {
    const [ann, ben] = await players(['Ann', 'Ben']);
    await startGame([ann!, ben!], 'Reload guest');
    for (const p of [ann!, ben!]) await waitStage(p.page, '[data-phase="play"]');
    // 10 s of play at 60 Hz: the host has applied ~600 of Ben's inputs.
    await waitTickPast(ann!.page, (await tickOf(ann!.page)) + 600);
    await ben!.page.reload();
    await waitStage(ben!.page, '[data-status="live"][data-phase="play"]');
    // Bounded well below the 10 s the host used to ignore a reloaded page's inputs for.
    await keysMovePuck(ben!.page, [ann!.page], 'x', { timeout: 5_000 });
    await ann!.context.close();
    await ben!.context.close();
  });

  it('on a phone the touch pad moves the puck; a member joining mid-round spectates until the next round', async () => {
    const [ann] = await players(['Ann']);
    const ben = await openPlayer(browser, baseURL, 'Ben', 'phone');
    const benPhone: Player = { context: ben.context, page: ben.page, name: 'Ben' };
    await startGame([ann!, benPhone], 'Touch');
    for (const p of [ann!, benPhone]) await waitStage(p.page, '[data-phase="play"]');
    expect(await ann!.page.getByTestId('touch-controls').count()).toBe(0);

    // Drag from the middle of the pad towards the arena's centre: Ann sees Ben's puck move.
    const benSlot = await selfSlot(benPhone.page);
    const before = await puckSeen(ann!.page, benSlot);
    const pad = (await benPhone.page.getByRole('application', { name: /Movement pad/ }).boundingBox())!;
    const cx = pad.x + pad.width / 2;
    const cy = pad.y + pad.height / 2;
    await benPhone.page.mouse.move(cx, cy);
    await benPhone.page.mouse.down();
    await benPhone.page.mouse.move(cx - Math.sign(before.x || 1) * 50, cy - Math.sign(before.y || 1) * 50, {
      steps: 4,
    });
    await waitPuckMoved(ann!.page, benSlot, before, 40);
    await benPhone.page.mouse.up();
    await benPhone.page.getByRole('button', { name: 'Dash' }).waitFor();

    // Cat arrives mid-round: watches with a badge, no puck in the ring yet.
    const cat = await openPlayer(browser, baseURL, 'Cat');
    await cat.page.goto(await inviteLink(ann!.page));
    await waitStage(cat.page, '[data-status="live"][data-role="spectator"]');
    await cat.page.getByText('Spectating — you join at the next round').waitFor();
    for (const p of [ann!.context, benPhone.context, cat.context]) await p.close();
  });

  it('a pair on the server relay plays the same game', async () => {
    // Ann refuses Ben's direct path: their pair falls back to the relay after the connect deadline.
    const [ann, ben] = await players(['Ann', 'Ben'], { blockDirect: 'Ben' });
    await startGame([ann!, ben!], 'Relayed');
    await ann!.page.locator('[data-testid="member"][data-route="relay"]').waitFor({ timeout: 20_000 });
    await waitStage(ann!.page, '[data-phase="play"]');
    await keysMovePuck(ben!.page, [ann!.page]);
    await ann!.context.close();
    await ben!.context.close();
  });
});
