import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startCoturn, type Coturn } from '../helpers/coturn';
import type { AppProcess } from '../helpers/appProcess';
import { createLobby, expectMembers, inviteLink } from '../browser/pages';
import { expectRoutes, heard, say, showConnectionDetails, type MeshPlayer } from '../browser/meshPages';
import { puckSeen, selfSlot, tickOf, waitPuckMoved, waitStage, waitTickPast } from '../browser/gamePages';
import { launchChromiumIn } from './chromiumInHome';
import { startLabApp } from './labApp';
import { openLabPlayer, shownRoute, waitAnyRoute } from './labPlayers';
import { matrixText, record } from './matrix';
import { INTERNET_IP, Lab, type Home, type NatKind } from './network';

let lab: Lab;
let coturn: Coturn;
let browsers: Browser[] = [];
const apps: (AppProcess & { publicUrl: string })[] = [];

beforeAll(async () => {
  lab = new Lab();
  coturn = await startCoturn({ listenIp: INTERNET_IP, relayIp: INTERNET_IP });
});
afterEach(async () => {
  await Promise.all(browsers.map((b) => b.close()));
  browsers = [];
  lab.clear();
});
afterAll(async () => {
  await Promise.all(apps.map((a) => a.stop()));
  await coturn?.stop();
  console.log(`\nNAT lab matrix\n${matrixText()}\n`);
});

const started = new Map<string, Promise<AppProcess & { publicUrl: string }>>();
/** One server per configuration, shared by the cases that use it. */
function app(env: Record<string, string>) {
  const key = JSON.stringify(env);
  if (!started.has(key)) {
    started.set(
      key,
      startLabApp(env).then((a) => {
        apps.push(a);
        return a;
      }),
    );
  }
  return started.get(key)!;
}
/** Nothing but `npm start`'s defaults: the built-in STUN responder, handed out as stun:<page host>:3478. */
const stunOnly = (): Record<string, string> => ({});
const withTurn = () => ({
  TURN_URLS: `turn:${INTERNET_IP}:${coturn.port}?transport=udp,turn:${INTERNET_IP}:${coturn.port}?transport=tcp`,
  TURN_SECRET: coturn.secret,
});

/** Two players, each in a home of its own kind (or both in one home), in one private lobby. */
async function pair(baseURL: string, kinds: [NatKind, NatKind] | 'same-home') {
  let homes: [Home, Home];
  if (kinds === 'same-home') {
    const h = lab.addHome('a', 'cone');
    homes = [h, h];
  } else {
    homes = [lab.addHome('a', kinds[0]), lab.addHome('b', kinds[1])];
  }
  // In one home: two devices on its LAN, each browser answering for its own mDNS names.
  const ba = await launchChromiumIn(homes[0].netns);
  const bb = await launchChromiumIn(kinds === 'same-home' ? homes[0].addDevice() : homes[1].netns);
  browsers.push(ba, bb);
  const ann = await openLabPlayer(ba, baseURL, 'Ann');
  const bob = await openLabPlayer(bb, baseURL, 'Bob');
  await createLobby(ann.page, { name: 'Lab', visibility: 'private' });
  const link = await inviteLink(ann.page);
  const t0 = Date.now();
  await bob.page.goto(link);
  await expectMembers(bob.page, ['Ann', 'Bob']);
  await waitAnyRoute(ann.page, 'Bob', t0);
  const openMs = await waitAnyRoute(bob.page, 'Ann', t0);
  await showConnectionDetails(ann.page);
  await showConnectionDetails(bob.page);
  return { ann, bob, homes, openMs };
}

async function chatBothWays(a: MeshPlayer, b: MeshPlayer) {
  const one = `hello from ${a.name} ${Date.now()}`;
  await say(a, one);
  expect(await heard(b.page, one)).toContain(a.name);
  const two = `hello from ${b.name} ${Date.now()}`;
  await say(b, two);
  expect(await heard(a.page, two)).toContain(b.name);
}

/** Bob gets ready, Ann (the host) starts: both pages reach the play phase. */
async function playGame(ann: MeshPlayer, bob: MeshPlayer) {
  await bob.page.getByRole('button', { name: 'I’m ready' }).click();
  await ann.page.getByText('Everyone is ready!').waitFor();
  await ann.page.getByRole('button', { name: 'Start game' }).click();
  for (const p of [ann, bob]) await waitStage(p.page, '[data-phase="play"]');
}

/** Bob's keys move Bob's puck on Ann's page (inputs → host → snapshots, over whatever route). */
async function bobMovesOnAnnsPage(ann: MeshPlayer, bob: MeshPlayer) {
  const slot = await selfSlot(bob.page);
  const before = await puckSeen(ann.page, slot);
  const key = before.x >= 0 ? 'ArrowLeft' : 'ArrowRight'; // towards the centre: stays in the ring
  await bob.page.keyboard.down(key);
  await waitPuckMoved(ann.page, slot, before, 30);
  await bob.page.keyboard.up(key);
}

/** With LAB_SCREENSHOTS=<dir>, what a player sees is saved there (to look at, not asserted). */
async function snapshot(page: Page, name: string) {
  const dir = process.env.LAB_SCREENSHOTS;
  if (dir) await page.screenshot({ path: `${dir}/${name}.png`, fullPage: true });
}

/** This page's chat lines, oldest first. */
const chatTexts = (p: MeshPlayer) => p.page.getByTestId('chat-text').allTextContents();

describe('NAT lab: routes between two homes (Chromium)', () => {
  it('cone ↔ cone, STUN only: Direct over a server-reflexive pair, chat works', async () => {
    const a = await app(stunOnly());
    const { ann, bob, openMs } = await pair(a.publicUrl, ['cone', 'cone']);
    await expectRoutes(ann.page, { Bob: 'direct' });
    await expectRoutes(bob.page, { Ann: 'direct' });
    const shown = await shownRoute(ann.page, 'Bob');
    expect(shown.pair).toMatch(/^(srflx|prflx) ↔ (srflx|prflx)$/);
    await chatBothWays(ann, bob);
    record({
      case: 'cone ↔ cone, built-in STUN',
      expected: 'direct',
      reached: shown.route,
      pair: shown.pair,
      openMs,
    });
  });

  it('same home network: Direct over host candidates (mDNS names resolved on the LAN)', async () => {
    const a = await app(stunOnly());
    const { ann, bob, openMs } = await pair(a.publicUrl, 'same-home');
    await expectRoutes(ann.page, { Bob: 'direct' });
    await expectRoutes(bob.page, { Ann: 'direct' });
    const shown = await shownRoute(ann.page, 'Bob');
    expect(shown.pair).not.toMatch(/relay/);
    await chatBothWays(ann, bob);
    record({ case: 'same home network', expected: 'direct', reached: shown.route, pair: shown.pair, openMs });
  });

  it('symmetric ↔ symmetric with coturn: TURN', async () => {
    const a = await app(withTurn());
    const { ann, bob, openMs } = await pair(a.publicUrl, ['symmetric', 'symmetric']);
    await expectRoutes(ann.page, { Bob: 'turn' });
    await expectRoutes(bob.page, { Ann: 'turn' });
    const shown = await shownRoute(ann.page, 'Bob');
    expect(shown.pair).toMatch(/relay/);
    await chatBothWays(ann, bob);
    record({
      case: 'symmetric ↔ symmetric, coturn',
      expected: 'turn',
      reached: shown.route,
      pair: shown.pair,
      openMs,
    });
  });

  it('symmetric ↔ symmetric without TURN: the server relay, and the UI says why', async () => {
    const a = await app(stunOnly());
    const { ann, bob, openMs } = await pair(a.publicUrl, ['symmetric', 'symmetric']);
    await expectRoutes(ann.page, { Bob: 'relay' });
    await expectRoutes(bob.page, { Ann: 'relay' });
    const shown = await shownRoute(ann.page, 'Bob');
    expect(shown.pair).toMatch(/none/);
    await expect
      .poll(() => ann.page.getByTestId('relay-reason').first().textContent())
      .toMatch(/no direct path/i);
    await snapshot(ann.page, 'relayed-lobby');
    await chatBothWays(ann, bob);
    record({
      case: 'symmetric ↔ symmetric, no TURN',
      expected: 'relay',
      reached: shown.route,
      pair: shown.pair,
      openMs,
    });
  });

  it('UDP blocked ↔ cone, coturn on TCP: TURN over TCP', async () => {
    const a = await app(withTurn());
    const { ann, bob, openMs } = await pair(a.publicUrl, ['udp-blocked', 'cone']);
    await expectRoutes(ann.page, { Bob: 'turn' });
    await expectRoutes(bob.page, { Ann: 'turn' });
    const shown = await shownRoute(ann.page, 'Bob');
    expect(shown.pair).toMatch(/^relay ↔/);
    await chatBothWays(ann, bob);
    record({
      case: 'UDP blocked ↔ cone, coturn TCP',
      expected: 'turn',
      reached: shown.route,
      pair: shown.pair,
      openMs,
    });
  });

  it('a router forgets its mappings mid-game: ICE restart, back to Direct; the game goes on; chat sent meanwhile arrives once, in order', async () => {
    const a = await app(stunOnly());
    const { ann, bob, homes } = await pair(a.publicUrl, ['cone', 'cone']);
    await expectRoutes(ann.page, { Bob: 'direct' });
    await expectRoutes(bob.page, { Ann: 'direct' });
    await playGame(ann, bob);
    const bobRow = ann.page.getByTestId('connection-row').filter({ hasText: 'Bob' });
    expect(await bobRow.getByTestId('ice-restarts').textContent()).toBe('0');

    const t0 = Date.now();
    homes[0].remap();
    const lines = ['during 1', 'during 2', 'during 3'].map((l) => `${l} ${t0}`);
    for (const l of lines) await say(ann, l);
    // Both sides notice the dead path, the newcomer (offerer) restarts ICE, and the pair is direct again.
    await bobRow.getByTestId('ice-restarts').filter({ hasNotText: /^0$/ }).waitFor({ timeout: 60_000 });
    await expectRoutes(ann.page, { Bob: 'direct' });
    await expectRoutes(bob.page, { Ann: 'direct' });
    const backMs = Date.now() - t0;
    for (const l of lines) await heard(bob.page, l);
    const got = (await chatTexts(bob)).filter((t) => t.endsWith(String(t0)));
    expect(got).toEqual(lines);

    // The game went on: the clock advances on the guest's page and the guest's keys still count.
    await waitTickPast(bob.page, await tickOf(bob.page));
    await bobMovesOnAnnsPage(ann, bob);
    const shown = await shownRoute(ann.page, 'Bob');
    record({
      case: 'mappings flushed mid-game',
      expected: 'ICE restart → direct',
      reached: `${shown.route} (restarts: ${await bobRow.getByTestId('ice-restarts').textContent()})`,
      pair: shown.pair,
      openMs: backMs,
      note: 'open = back to direct after the flush',
    });
  });

  it('5 % random UDP loss on both routers during a game: the game plays on', async () => {
    const a = await app(stunOnly());
    const { ann, bob, homes, openMs } = await pair(a.publicUrl, ['cone', 'cone']);
    await expectRoutes(ann.page, { Bob: 'direct' });
    await playGame(ann, bob);
    for (const h of homes) h.setLoss(5);
    const tick = await tickOf(bob.page);
    await bobMovesOnAnnsPage(ann, bob);
    await say(ann, 'through the loss');
    await heard(bob.page, 'through the loss');
    await waitTickPast(bob.page, tick + 120);
    const dropped = homes[0].lossCount() + homes[1].lossCount();
    expect(dropped).toBeGreaterThan(0);
    const shown = await shownRoute(ann.page, 'Bob');
    const rtt = (
      await ann.page.getByTestId('connection-row').filter({ hasText: 'Bob' }).getByTestId('rtt').textContent()
    )?.trim();
    record({
      case: '5 % UDP loss during a game',
      expected: 'plays on',
      reached: shown.route,
      pair: shown.pair,
      openMs,
      note: `${dropped} UDP packets dropped; Ann sees Bob at ${rtt}`,
    });
  });
});
