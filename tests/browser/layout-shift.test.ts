import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchChromium } from '../helpers/chromium';
import { driveOut, shortMatches, waitStage } from './gamePages';
import { expectMembers, inviteLink, openPlayer } from './pages';

let browser: Browser;
const baseURL = inject('baseURL');
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(() => browser?.close());

const MAX_CLS = 0.05;

/** From the first paint on: every layout shift, whether input had just happened, and what moved. */
async function watchShifts(context: BrowserContext) {
  await context.addInitScript(() => {
    const w = window as unknown as {
      shifts: { value: number; input: boolean; at: number; nodes: string[] }[];
    };
    w.shifts = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries() as unknown as {
        value: number;
        hadRecentInput: boolean;
        startTime: number;
        sources?: { node?: Node }[];
      }[]) {
        const nodes = (e.sources ?? []).map((s) => {
          const el = s.node instanceof Element ? s.node : s.node?.parentElement;
          const r = s as unknown as { previousRect: DOMRectReadOnly; currentRect: DOMRectReadOnly };
          const rect = (d: DOMRectReadOnly) => `${Math.round(d.y)}+${Math.round(d.height)}`;
          return el
            ? `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}.${[...el.classList].slice(0, 3).join('.')} ${rect(r.previousRect)}→${rect(r.currentRect)} "${(el as HTMLElement).innerText?.slice(0, 30)}"`
            : '?';
        });
        w.shifts.push({ value: e.value, input: e.hadRecentInput, at: Math.round(e.startTime), nodes });
      }
    }).observe({ type: 'layout-shift', buffered: true });
  });
}

/** Total layout shift so far (without and with input-driven shifts), and the five biggest shifts for the failure message. */
async function cls(page: Page) {
  return page.evaluate(() => {
    const all = (
      window as unknown as { shifts: { value: number; input: boolean; at: number; nodes: string[] }[] }
    ).shifts;
    // Shifts right after the player's own input do not count (the standard CLS rule)...
    const shifts = all.filter((e) => !e.input);
    const total = shifts.reduce((s, e) => s + e.value, 0);
    // ...but are reported, so a jump the test's own clicks happen to excuse is still seen.
    const withInput = all.reduce((s, e) => s + e.value, 0);
    const worst = [...all]
      .sort((a, b) => b.value - a.value)
      .slice(0, 5)
      .map((e) => `${e.value.toFixed(3)}@${e.at}ms ${e.nodes.join(',')}`);
    return { total: Number(total.toFixed(4)), withInput: Number(withInput.toFixed(4)), worst };
  });
}

describe(`cumulative layout shift below ${MAX_CLS} through create → join → chat → start → round → results`, () => {
  for (const [hostView, guestView] of [
    ['desktop', 'phone'],
    ['phone', 'desktop'],
  ] as const) {
    it(`host on a ${hostView}, guest on a ${guestView}`, async () => {
      const host = await openPlayer(browser, baseURL, 'Ann', hostView);
      const guest = await openPlayer(browser, baseURL, 'Ben', guestView);
      for (const c of [host.context, guest.context]) {
        await shortMatches(c);
        await watchShifts(c);
      }
      // Create: typed and clicked like a player; the lobby arrives by client-side navigation.
      await host.page.goto('/');
      await host.page.locator('[data-connection="connected"]').waitFor();
      await host.page.getByLabel('Lobby name', { exact: true }).fill('Steady');
      await host.page.getByRole('button', { name: 'Create lobby' }).click();
      await host.page.getByTestId('lobby-name').filter({ hasText: 'Steady' }).waitFor();
      // Join by link (a full page load), chat both ways.
      await guest.page.goto(await inviteLink(host.page));
      await expectMembers(guest.page, ['Ann', 'Ben']);
      for (const [p, text] of [
        [host.page, 'Hello Ben'],
        [guest.page, 'Hi Ann'],
      ] as const) {
        await p.getByRole('textbox', { name: 'Chat message' }).fill(text);
        await p.keyboard.press('Enter');
        for (const q of [host.page, guest.page])
          await q.getByTestId('chat-text').filter({ hasText: text }).waitFor();
      }
      // Start, play a round, see the results.
      await guest.page.getByRole('button', { name: 'I’m ready' }).click();
      await host.page.getByText('Everyone is ready!').waitFor();
      await host.page.getByRole('button', { name: 'Start game' }).click();
      for (const p of [host.page, guest.page]) await waitStage(p, '[data-phase="play"]');
      await driveOut(guest.page);
      for (const p of [host.page, guest.page]) await waitStage(p, '[data-phase="matchOver"]');
      // Let the last frames settle into the observer's buffer.
      for (const p of [host.page, guest.page])
        await p.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));

      const result = { host: await cls(host.page), guest: await cls(guest.page) };
      console.log(
        `CLS host(${hostView}) ${result.host.total}, guest(${guestView}) ${result.guest.total}`,
        JSON.stringify(result),
      );
      expect(result.host.total, JSON.stringify(result.host.worst)).toBeLessThan(MAX_CLS);
      expect(result.guest.total, JSON.stringify(result.guest.worst)).toBeLessThan(MAX_CLS);
      // Stricter than CLS: even the shifts the players' own clicks would excuse stay below the bar.
      expect(result.host.withInput, JSON.stringify(result.host.worst)).toBeLessThan(MAX_CLS);
      expect(result.guest.withInput, JSON.stringify(result.guest.worst)).toBeLessThan(MAX_CLS);
      for (const c of [host, guest]) await c.context.close();
    });
  }
});
