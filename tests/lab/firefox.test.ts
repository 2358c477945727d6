import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AppProcess } from '../helpers/appProcess';
import { startLabApp } from './labApp';
import { labPlayer, type BrowserKind, type LabPlayer } from './labPlayer';
import { matrixText, record } from './matrix';
import { Lab } from './network';

/**
 * Firefox players across real NATs: each player in a home of its own behind a port-restricted cone NAT,
 * STUN only. Firefox must reach Direct with Chromium and with Firefox, read its selected ICE pair, chat
 * and play over the direct link, as Chromium does in routes.test.ts.
 */
let lab: Lab;
let server: AppProcess & { publicUrl: string };
let players: LabPlayer[] = [];

/** Nothing but `npm start`'s defaults: the built-in STUN responder (stun:<page host>:3478). */
async function stunEnv(): Promise<Record<string, string>> {
  return {};
}

beforeAll(async () => {
  lab = new Lab();
  server = await startLabApp(await stunEnv());
});
afterEach(async () => {
  const errors = players.flatMap((p) => p.errors.map((e) => `${p.name} (${p.browser}): ${e}`));
  await Promise.all(players.map((p) => p.close()));
  players = [];
  lab.clear();
  expect(errors).toEqual([]);
});
afterAll(async () => {
  await server?.stop();
  console.log(`\nNAT lab matrix (Firefox)\n${matrixText()}\n`);
});

const label = (k: BrowserKind) => (k === 'chromium' ? 'Chromium' : 'Firefox');

/**
 * A host in one cone home creates a private lobby; a joiner in another (or on a second device of the same
 * home) opens its invite link. Returns
 * both once each page shows a route for the other, and the ms from the joiner's navigation to that.
 */
async function conePair(
  hostKind: BrowserKind,
  joinerKind: BrowserKind,
  where: 'two homes' | 'same home' = 'two homes',
) {
  const a = lab.addHome('a', 'cone');
  // In one home: two devices on its LAN, each browser answering for its own mDNS names.
  const joinerNs = where === 'same home' ? a.addDevice() : lab.addHome('b', 'cone').netns;
  const [host, joiner] = await Promise.all([
    labPlayer(hostKind, a.netns, server.publicUrl, 'Ann'),
    labPlayer(joinerKind, joinerNs, server.publicUrl, 'Bob'),
  ]);
  players.push(host, joiner);
  await host.createLobby(`Lab ${label(hostKind)}–${label(joinerKind)}`);
  const link = await host.inviteLink();
  const t0 = Date.now();
  // Watched from the start, so a first route other than Direct shows as a gap between the two times.
  const direct = Promise.all([
    host.waitRoute('Bob', 'direct', t0),
    joiner.waitRoute('Ann', 'direct', t0),
  ]).then(
    (ms) => Math.max(...ms),
    () => null,
  );
  await joiner.goto(link);
  await joiner.expectMembers(['Ann', 'Bob']);
  const [hostMs, joinerMs] = await Promise.all([
    host.waitAnyRoute('Bob', t0),
    joiner.waitAnyRoute('Ann', t0),
  ]);
  await host.showConnectionDetails();
  await joiner.showConnectionDetails();
  return { host, joiner, openMs: Math.max(hostMs, joinerMs), directMs: direct };
}

/** Both pages show Direct for the other over a server-reflexive (or peer-reflexive) pair. */
async function expectDirect(host: LabPlayer, joiner: LabPlayer) {
  await host.expectRoutes({ Bob: 'direct' });
  await joiner.expectRoutes({ Ann: 'direct' });
  const fromHost = await host.shownRoute('Bob');
  const fromJoiner = await joiner.shownRoute('Ann');
  expect(fromHost.pair).toMatch(/^(srflx|prflx) ↔ (srflx|prflx)$/);
  expect(fromJoiner.pair).toMatch(/^(srflx|prflx) ↔ (srflx|prflx)$/);
  return { host: fromHost, joiner: fromJoiner };
}

async function chatBothWays(a: LabPlayer, b: LabPlayer) {
  const one = `hello from ${a.name} ${Date.now()}`;
  await a.say(one);
  expect(await b.heard(one)).toBe(a.name);
  const two = `hello from ${b.name} ${Date.now()}`;
  await b.say(two);
  expect(await a.heard(two)).toBe(b.name);
}

/** Holds an arrow key towards the centre on `mover` until `watcher` draws mover's puck 40 units away. */
async function movesOnOtherPage(mover: LabPlayer, watcher: LabPlayer) {
  const slot = await mover.selfSlot();
  const before = await watcher.puckSeen(slot);
  const key = before.x >= 0 ? 'ArrowLeft' : 'ArrowRight'; // towards the centre: stays in the ring
  await mover.keyDown(key);
  await watcher.waitPuckMoved(slot, before, 40);
  await mover.keyUp(key);
}

/** Ready, start, play phase on both; each player's keys move their puck on the other's page. */
async function playBothWays(host: LabPlayer, joiner: LabPlayer) {
  await joiner.ready();
  await host.start();
  for (const p of [host, joiner]) await p.waitStage('[data-status="live"][data-phase="play"]');
  await movesOnOtherPage(joiner, host);
  await movesOnOtherPage(host, joiner);
}

type Opened = Awaited<ReturnType<typeof conePair>>;

async function recordPair(
  name: string,
  shown: { host: { route: string; pair: string }; joiner: { pair: string } },
  opened: Opened,
) {
  const notes = [`Direct on both at ${await opened.directMs} ms`];
  if (shown.joiner.pair !== shown.host.pair) notes.push(`joiner sees ${shown.joiner.pair}`);
  record({
    case: name,
    expected: 'direct',
    reached: shown.host.route,
    pair: shown.host.pair,
    openMs: opened.openMs,
    note: notes.join('; '),
  });
}

describe('NAT lab: Firefox players behind cone NATs, STUN only', () => {
  it('Chromium hosts, Firefox joins by invite link: Direct both ways, srflx pairs, chat and game', async () => {
    const opened = await conePair('chromium', 'firefox');
    const { host, joiner } = opened;
    const shown = await expectDirect(host, joiner);
    await chatBothWays(host, joiner);
    await playBothWays(host, joiner);
    await recordPair('cone ↔ cone, Chromium host ↔ Firefox', shown, opened);
  });

  it('Firefox hosts, Chromium joins by invite link: Direct both ways, srflx pairs, chat and game', async () => {
    const opened = await conePair('firefox', 'chromium');
    const { host, joiner } = opened;
    const shown = await expectDirect(host, joiner);
    await chatBothWays(host, joiner);
    await playBothWays(host, joiner);
    await recordPair('cone ↔ cone, Firefox host ↔ Chromium', shown, opened);
  });

  it('Firefox ↔ Firefox: Direct, srflx pairs, chat and game', async () => {
    const opened = await conePair('firefox', 'firefox');
    const { host, joiner } = opened;
    const shown = await expectDirect(host, joiner);
    await chatBothWays(host, joiner);
    await playBothWays(host, joiner);
    await recordPair('cone ↔ cone, Firefox ↔ Firefox', shown, opened);
  });

  it('same home: Chromium ↔ Firefox, Direct on the LAN (mDNS host candidates), chat both ways', async () => {
    const opened = await conePair('chromium', 'firefox', 'same home');
    const { host, joiner } = opened;
    await host.expectRoutes({ Bob: 'direct' });
    await joiner.expectRoutes({ Ann: 'direct' });
    const shown = { host: await host.shownRoute('Bob'), joiner: await joiner.shownRoute('Ann') };
    await recordPair('same home, Chromium ↔ Firefox', shown, opened);
    // On the LAN. Chromium shows Firefox's end as prflx: it learns Firefox's address from Firefox's
    // connectivity check, and no multicast answer from Firefox to Chromium's mDNS query shows on the LAN
    // (Firefox does resolve Chromium's name). The lab's routers do not hairpin: a direct pair here is on the LAN.
    expect(shown.host.pair).toMatch(/^host ↔ (host|prflx)$/);
    expect(shown.joiner.pair).toMatch(/^host ↔ (host|prflx)$/);
    await chatBothWays(host, joiner);
  });
});
