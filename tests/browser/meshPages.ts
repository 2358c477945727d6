import type { Browser, Page } from 'playwright-core';
import type { Viewport } from '../helpers/chromium';
import { createLobby, expectMembers, inviteLink, openPlayer } from './pages';

export type RouteName = 'direct' | 'turn' | 'relay';

/** A player whose socket.io frames (both directions) are recorded, to prove what did not go through the server. */
export async function openMeshPlayer(
  browser: Browser,
  baseURL: string,
  name: string,
  opts: { blockDirect?: string; viewport?: Viewport } = {},
) {
  const player = await openPlayer(browser, baseURL, name, opts.viewport);
  if (opts.blockDirect) {
    await player.context.addInitScript(
      (v) => window.localStorage.setItem('peerlobby.debug.blockDirect', v),
      opts.blockDirect,
    );
  }
  const frames: string[] = [];
  player.page.on('websocket', (ws) => {
    // Binary frames (relay, binary attachments) as latin1, so ASCII text in them is still found.
    const keep = (f: { payload: string | Buffer }) =>
      frames.push(typeof f.payload === 'string' ? f.payload : f.payload.toString('latin1'));
    ws.on('framesent', keep);
    ws.on('framereceived', keep);
  });
  return { ...player, name, frames };
}

export type MeshPlayer = Awaited<ReturnType<typeof openMeshPlayer>>;

/** The first player creates a private lobby; the others join through the invite link, one after the other. */
export async function gatherLobby(players: MeshPlayer[], lobbyName: string) {
  const [host, ...rest] = players;
  await createLobby(host!.page, { name: lobbyName, visibility: 'private' });
  const link = await inviteLink(host!.page);
  const names = [host!.name];
  for (const p of rest) {
    names.push(p.name);
    await p.page.goto(link);
    await expectMembers(p.page, names);
  }
  for (const p of players) await expectMembers(p.page, names);
}

export async function showConnectionDetails(page: Page) {
  await page.getByRole('button', { name: 'Show details' }).click();
  await page.getByRole('list', { name: 'Connection details' }).waitFor();
}

/**
 * Waits until this page reports these routes (nickname → route), both on the member row's badge and
 * in the open Connections panel.
 */
export async function expectRoutes(page: Page, want: Record<string, RouteName>) {
  // No named helpers inside: the predicate runs in the page, where tsx's __name wrapper does not exist.
  await page.waitForFunction((want) => {
    const seen: Record<string, string> = {};
    for (const el of document.querySelectorAll('[data-testid="member"]')) {
      seen[`member:${el.querySelector('[data-testid="member-name"]')?.textContent}`] =
        el.getAttribute('data-route') ?? '';
    }
    for (const el of document.querySelectorAll('[data-testid="connection-row"]')) {
      seen[`panel:${el.querySelector('span')?.textContent}`] = el.getAttribute('data-route') ?? '';
    }
    return Object.entries(want).every(
      ([name, route]) => seen[`member:${name}`] === route && seen[`panel:${name}`] === route,
    );
  }, want);
}

export const chatLine = (page: Page, text: string) =>
  page
    .getByTestId('chat-message')
    .filter({ has: page.getByTestId('chat-text').getByText(text, { exact: true }) });

/** Types and sends with Enter; waits for the line in the sender's own log. */
export async function say(p: MeshPlayer, text: string) {
  const input = p.page.getByLabel('Chat message', { exact: true });
  await input.fill(text);
  await input.press('Enter');
  await chatLine(p.page, text).waitFor();
}

/** Waits for `text` in `page`'s chat log and returns the author shown for it. */
export async function heard(page: Page, text: string) {
  const line = chatLine(page, text);
  await line.waitFor();
  return line.getByTestId('chat-author').textContent();
}

export const unique = (label: string) => `${label}-${Math.random().toString(36).slice(2, 10)}`;
