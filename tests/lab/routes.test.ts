import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startCoturn, type Coturn } from '../helpers/coturn';
import type { AppProcess } from '../helpers/appProcess';
import { createLobby, expectMembers, inviteLink } from '../browser/pages';
import { expectRoutes, heard, say, showConnectionDetails, type MeshPlayer } from '../browser/meshPages';
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
const stunOnly = () => ({ STUN_URLS: `stun:${INTERNET_IP}:${coturn.port}` });
const withTurn = () => ({
  ...stunOnly(),
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

describe('NAT lab: routes between two homes (Chromium)', () => {
  it('cone ↔ cone, STUN only: Direct over a server-reflexive pair, chat works', async () => {
    const a = await app(stunOnly());
    const { ann, bob, openMs } = await pair(a.publicUrl, ['cone', 'cone']);
    await expectRoutes(ann.page, { Bob: 'direct' });
    await expectRoutes(bob.page, { Ann: 'direct' });
    const shown = await shownRoute(ann.page, 'Bob');
    expect(shown.pair).toMatch(/^(srflx|prflx) ↔ (srflx|prflx)$/);
    await chatBothWays(ann, bob);
    record({ case: 'cone ↔ cone, built-in STUN', expected: 'direct', reached: shown.route, pair: shown.pair, openMs });
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
    record({ case: 'symmetric ↔ symmetric, coturn', expected: 'turn', reached: shown.route, pair: shown.pair, openMs });
  });

  it('symmetric ↔ symmetric without TURN: the server relay, and the UI says why', async () => {
    const a = await app(stunOnly());
    const { ann, bob, openMs } = await pair(a.publicUrl, ['symmetric', 'symmetric']);
    await expectRoutes(ann.page, { Bob: 'relay' });
    await expectRoutes(bob.page, { Ann: 'relay' });
    const shown = await shownRoute(ann.page, 'Bob');
    expect(shown.pair).toMatch(/none/);
    await expect.poll(() => ann.page.getByTestId('relay-reason').first().textContent()).toMatch(/no direct path/i);
    await chatBothWays(ann, bob);
    record({ case: 'symmetric ↔ symmetric, no TURN', expected: 'relay', reached: shown.route, pair: shown.pair, openMs });
  });

  it('UDP blocked ↔ cone, coturn on TCP: TURN over TCP', async () => {
    const a = await app(withTurn());
    const { ann, bob, openMs } = await pair(a.publicUrl, ['udp-blocked', 'cone']);
    await expectRoutes(ann.page, { Bob: 'turn' });
    await expectRoutes(bob.page, { Ann: 'turn' });
    const shown = await shownRoute(ann.page, 'Bob');
    expect(shown.pair).toMatch(/^relay ↔/);
    await chatBothWays(ann, bob);
    record({ case: 'UDP blocked ↔ cone, coturn TCP', expected: 'turn', reached: shown.route, pair: shown.pair, openMs });
  });
});
