import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchChromium } from '../helpers/chromium';
import { expectMembers, inviteLink } from './pages';
import {
  chatLine,
  expectRoutes,
  gatherLobby,
  heard,
  openMeshPlayer,
  say,
  showConnectionDetails,
  unique,
  type MeshPlayer,
  type RouteName,
} from './meshPages';

let browser: Browser;
const baseURL = inject('baseURL');
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(() => browser?.close());

const closeAll = async (players: MeshPlayer[]) => {
  for (const p of players) await p.context.close();
};

/** Every page sees every other player on `route`, except the pairs named in `except`. */
async function expectAllRoutes(
  players: MeshPlayer[],
  route: RouteName,
  except: Record<string, Record<string, RouteName>> = {},
) {
  for (const p of players) {
    const want = Object.fromEntries(
      players.filter((o) => o !== p).map((o) => [o.name, except[p.name]?.[o.name] ?? route]),
    );
    await expectRoutes(p.page, want);
  }
}

describe('mesh and chat in Chromium', () => {
  it('2 players connect directly; chat goes over the data channel, never through the socket.io server', async () => {
    const players = [
      await openMeshPlayer(browser, baseURL, 'Ann'),
      await openMeshPlayer(browser, baseURL, 'Ben'),
    ];
    const [ann, ben] = players as [MeshPlayer, MeshPlayer];
    await gatherLobby(players, 'Two');
    for (const p of players) await showConnectionDetails(p.page);
    await expectAllRoutes(players, 'direct');
    // A direct pair shows the selected ICE candidate pair's types (read shortly after it opens).
    const pair = ann.page.getByTestId('ice-pair').filter({ hasText: '↔' });
    await pair.waitFor();
    expect(await pair.textContent()).toMatch(/^(host|srflx|prflx) ↔ (host|srflx|prflx)$/);

    const hello = unique('hello');
    const reply = unique('reply');
    await say(ann, hello);
    expect(await heard(ben.page, hello)).toBe('Ann');
    await say(ben, reply);
    expect(await heard(ann.page, reply)).toBe('Ben');
    // The recorder works (the lobby state naming Ben went through it), and no frame carried either text.
    expect(ann.frames.some((f) => f.includes('"Ben"'))).toBe(true);
    for (const p of players)
      expect(p.frames.filter((f) => f.includes(hello) || f.includes(reply))).toEqual([]);
    // Signaling: the first host candidate rides in the offer or the answer instead of a signal of its
    // own, and active TCP candidates (which can never pair between browsers) are not signaled at all.
    const signals = players.flatMap((p) => p.frames.filter((f) => f.startsWith('42["signal"')));
    expect(signals.some((f) => f.includes('"type":"description"') && /a=candidate:\S+ 1 udp /.test(f))).toBe(
      true,
    );
    expect(signals.filter((f) => f.includes('tcptype active'))).toEqual([]);
    await closeAll(players);
  });

  it('4 players form a full mesh, every pair direct on every page; a message reaches all', async () => {
    const players: MeshPlayer[] = [];
    for (const name of ['Ann', 'Ben', 'Cid', 'Dot'])
      players.push(await openMeshPlayer(browser, baseURL, name));
    await gatherLobby(players, 'Four');
    for (const p of players) await showConnectionDetails(p.page);
    await expectAllRoutes(players, 'direct');
    const text = unique('to-all');
    await say(players[3]!, text);
    for (const p of players.slice(0, 3)) expect(await heard(p.page, text)).toBe('Dot');
    await closeAll(players);
  });

  it('a pair whose direct path is blocked is relayed on both pages, chats both ways; the other pairs stay direct', async () => {
    const ann = await openMeshPlayer(browser, baseURL, 'Ann');
    const ben = await openMeshPlayer(browser, baseURL, 'Ben');
    const cid = await openMeshPlayer(browser, baseURL, 'Cid', { blockDirect: 'Ben' });
    const players = [ann, ben, cid];
    await gatherLobby(players, 'Blocked');
    for (const p of players) await showConnectionDetails(p.page);
    await expectAllRoutes(players, 'direct', { Ben: { Cid: 'relay' }, Cid: { Ben: 'relay' } });
    expect(
      await ben.page
        .getByTestId('connection-row')
        .filter({ hasText: 'Cid' })
        .getByTestId('ice-pair')
        .textContent(),
    ).toBe('none (server relay)');

    const fromCid = unique('from-cid');
    const fromBen = unique('from-ben');
    await say(cid, fromCid);
    expect(await heard(ben.page, fromCid)).toBe('Cid');
    expect(await heard(ann.page, fromCid)).toBe('Cid');
    await say(ben, fromBen);
    expect(await heard(cid.page, fromBen)).toBe('Ben');
    // Relayed means through the server: the relay frames carry it between Ben and Cid, but not to Ann.
    expect(ben.frames.some((f) => f.includes(fromCid))).toBe(true);
    expect(ann.frames.some((f) => f.includes(fromCid) || f.includes(fromBen))).toBe(false);
    await expectAllRoutes(players, 'direct', { Ben: { Cid: 'relay' }, Cid: { Ben: 'relay' } });
    await closeAll(players);
  });

  it('while no peer is reachable yet, sending waits; a player alone may write, and a newcomer gets the history from the host', async () => {
    const ann = await openMeshPlayer(browser, baseURL, 'Ann');
    const ben = await openMeshPlayer(browser, baseURL, 'Ben', { blockDirect: 'Ann' });
    await gatherLobby([ann], 'History');
    await ann.page.locator('[data-testid="chat-hint"][data-mode="alone"]').waitFor();
    const alone = unique('alone');
    await say(ann, alone);

    await ben.page.goto(await inviteLink(ann.page));
    await expectMembers(ben.page, ['Ann', 'Ben']);
    // Ben's only pair is blocked: no route until the relay deadline, so his input is off meanwhile.
    await ben.page.locator('[data-testid="chat-hint"][data-mode="waiting"]').waitFor();
    expect(await ben.page.getByLabel('Chat message', { exact: true }).isDisabled()).toBe(true);
    await ben.page.locator('[data-testid="chat-hint"][data-mode="live"]').waitFor();
    expect(await heard(ben.page, alone)).toBe('Ann');

    const fromAnn = unique('from-ann');
    const fromBen = unique('from-ben');
    await say(ann, fromAnn);
    await say(ben, fromBen);
    await heard(ann.page, fromBen);

    const cid = await openMeshPlayer(browser, baseURL, 'Cid');
    await cid.page.goto(await inviteLink(ann.page));
    await expectMembers(cid.page, ['Ann', 'Ben', 'Cid']);
    for (const [text, author] of [
      [alone, 'Ann'],
      [fromAnn, 'Ann'],
      [fromBen, 'Ben'],
    ] as const) {
      expect(await heard(cid.page, text)).toBe(author);
      expect(await chatLine(cid.page, text).getAttribute('data-origin')).toBe('history');
    }
    // In order, once each (Ben's link to Cid may deliver nothing old: history comes from the host only).
    const texts = await cid.page.getByTestId('chat-text').allTextContents();
    expect(texts).toEqual([alone, fromAnn, fromBen]);
    await closeAll([ann, ben, cid]);
  });

  it('a script-like chat message renders as text', async () => {
    const evil = '<img src=x onerror=alert(1)>';
    const players = [
      await openMeshPlayer(browser, baseURL, 'Ann'),
      await openMeshPlayer(browser, baseURL, 'Ben'),
    ];
    const [ann, ben] = players as [MeshPlayer, MeshPlayer];
    await gatherLobby(players, 'XSS chat');
    await say(ann, evil);
    expect(await heard(ben.page, evil)).toBe('Ann');
    expect(await ben.page.getByTestId('chat-text').textContent()).toBe(evil);
    for (const p of players) {
      expect(await p.page.getByTestId('chat-log').locator('img').count()).toBe(0);
      expect(p.dialogs).toEqual([]);
    }
    await closeAll(players);
  });
});
