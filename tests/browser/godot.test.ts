import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchChromium, newPlayerContext } from '../helpers/chromium';

/**
 * What a Godot web export does: the browser's RTCPeerConnection driven by the Godot 4 protocol of
 * /godot (examples/godot-web/index.html, loaded into a document of the app's own origin). Two Chromium pages meet
 * in a PeerLobby lobby, take their ICE servers from PeerLobby's extension message, open a data channel.
 */
const PAGE = readFileSync(resolve(__dirname, '../../examples/godot-web/index.html'), 'utf8');
const baseURL = inject('baseURL');
let browser: Browser;
const contexts: BrowserContext[] = [];
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  for (const c of contexts) await c.close();
  await browser?.close();
});

interface GodotState {
  id: number;
  lobby: string;
  mesh: boolean;
  iceServers: { urls: string | string[] }[] | null;
  open: number[];
  messages: { from: number; text: string }[];
  sealed?: boolean;
  closed: { code: number; reason: string } | null;
}
const state = (page: Page) => page.evaluate(() => (window as unknown as { godot: GodotState }).godot);

async function openPage(query: string): Promise<Page> {
  const context = await newPlayerContext(browser, baseURL);
  contexts.push(context);
  const page = await context.newPage();
  // A document of the app's own origin (and loopback address space: Chromium's local network access
  // checks block a fulfilled route's page from reaching 127.0.0.1), with the query the page reads.
  await page.goto(`/healthz${query}`);
  await page.setContent(PAGE);
  return page;
}

describe('Godot 4 protocol in Chromium (a web export’s RTCPeerConnection)', () => {
  it('two pages join one lobby, get the ICE servers, open a data channel and exchange messages', async () => {
    const host = await openPage('');
    await host.waitForFunction(() => (window as unknown as { godot: GodotState }).godot.lobby !== '');
    const h = await state(host);
    expect(h).toMatchObject({ id: 1, mesh: true });
    expect(h.lobby).toMatch(/^[A-Z2-9]{6}$/);
    // The built-in STUN server (the suite's server runs it) comes in PeerLobby's ICE message.
    expect(JSON.stringify(h.iceServers)).toMatch(/stun:/);

    const guest = await openPage(`?lobby=${h.lobby}`);
    await guest.waitForFunction(() => (window as unknown as { godot: GodotState }).godot.open.includes(1));
    const g = await state(guest);
    expect(g.id).toBeGreaterThan(1);
    await host.waitForFunction(
      (id) => (window as unknown as { godot: GodotState }).godot.open.includes(id),
      g.id,
    );

    await guest.evaluate(() =>
      (window as unknown as { sendTo(p: number, t: string): void }).sendTo(1, 'hello host'),
    );
    await host.evaluate(
      (id) => (window as unknown as { sendTo(p: number, t: string): void }).sendTo(id, 'hello guest'),
      g.id,
    );
    await host.waitForFunction(
      (id) =>
        (window as unknown as { godot: GodotState }).godot.messages.some(
          (m) => m.from === id && m.text === 'hello host',
        ),
      g.id,
    );
    await guest.waitForFunction(() =>
      (window as unknown as { godot: GodotState }).godot.messages.some(
        (m) => m.from === 1 && m.text === 'hello guest',
      ),
    );

    // The host seals: both pages hear it (the lobby then ends after the demo's 10 s).
    await host.evaluate(() => (window as unknown as { seal(): void }).seal());
    await guest.waitForFunction(() => (window as unknown as { godot: GodotState }).godot.sealed === true);
    await host.waitForFunction(() => (window as unknown as { godot: GodotState }).godot.sealed === true);
  });
});
