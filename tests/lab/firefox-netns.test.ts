import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchFirefox, newFirefoxPlayer } from '../helpers/firefox';

/**
 * Firefox inside a namespace of its own (as a lab home's browser), driven from the runner's namespace
 * through the bridged BiDi port. Runs under scripts/in-lab.sh: the namespace and veth are the lab's.
 */
const NS = 'ff1';
const RUNNER_ADDR = '198.18.5.1';
const HOME_ADDR = '198.18.5.2';
const ip = (...args: string[]) => execFileSync('ip', args);

let server: http.Server;
let seenFrom: string[] = [];
let local: http.Server;
let browser: Browser | undefined;

function listen(s: http.Server, host: string): Promise<number> {
  return new Promise((resolve) => s.listen(0, host, () => resolve((s.address() as AddressInfo).port)));
}

beforeAll(async () => {
  ip('netns', 'add', NS);
  ip('link', 'add', 'ff1-runner', 'type', 'veth', 'peer', 'name', 'ff1-home');
  ip('link', 'set', 'ff1-home', 'netns', NS);
  ip('addr', 'add', `${RUNNER_ADDR}/24`, 'dev', 'ff1-runner');
  ip('link', 'set', 'ff1-runner', 'up');
  ip('-n', NS, 'addr', 'add', `${HOME_ADDR}/24`, 'dev', 'ff1-home');
  ip('-n', NS, 'link', 'set', 'ff1-home', 'up');
  server = http.createServer((req, res) => {
    seenFrom.push(req.socket.remoteAddress ?? '');
    res.setHeader('content-type', 'text/html');
    res.end('<!doctype html><title>lab page</title><p id="from">served</p>');
  });
  // Only on the runner's loopback: a browser in the home must not reach it.
  local = http.createServer((_req, res) => res.end('runner loopback'));
});

afterAll(async () => {
  await browser?.close();
  server?.close();
  local?.close();
  // Deleting the namespace also removes the veth pair.
  if (existsSync(`/run/netns/${NS}`)) ip('netns', 'delete', NS);
});

describe('Firefox in a lab namespace', () => {
  it('loads a page over the veth as a host inside the namespace, cannot see the runner loopback, and closes cleanly', async () => {
    const port = await listen(server, RUNNER_ADDR);
    const localPort = await listen(local, '127.0.0.1');
    seenFrom = [];

    const t0 = performance.now();
    browser = await launchFirefox({ netns: NS });
    const launchMs = performance.now() - t0;
    const profile = browser.process()?.spawnargs.at(browser.process()!.spawnargs.indexOf('--profile') + 1);
    expect(profile && existsSync(profile)).toBe(true);
    // Firefox's processes live in the namespace.
    expect(execFileSync('ip', ['netns', 'pids', NS]).toString().trim()).not.toBe('');

    const player = await newFirefoxPlayer(browser, 'Fox');
    const t1 = performance.now();
    await player.page.goto(`http://${RUNNER_ADDR}:${port}/`);
    const pageMs = performance.now() - t1;
    expect(await player.page.title()).toBe('lab page');
    // The page (and the favicon request after it) came from the home's address.
    expect(seenFrom.length).toBeGreaterThan(0);
    expect(new Set(seenFrom)).toEqual(new Set([HOME_ADDR]));
    // The nickname preset reached the page's storage.
    expect(await player.page.evaluate(() => window.localStorage.getItem('peerlobby.nickname'))).toBe('Fox');

    // 127.0.0.1 is the namespace's own loopback: the runner's server there is out of reach, while the
    // same kind of request over the veth gets through (no-cors: only a network error rejects).
    const reaches = (url: string) =>
      player.page.evaluate(
        (u) =>
          fetch(u, { mode: 'no-cors' }).then(
            () => true,
            () => false,
          ),
        url,
      );
    expect(await reaches(`http://${RUNNER_ADDR}:${port}/`)).toBe(true);
    expect(await reaches(`http://127.0.0.1:${localPort}/`)).toBe(false);

    await browser.close();
    browser = undefined;
    expect(execFileSync('ip', ['netns', 'pids', NS]).toString().trim()).toBe('');
    expect(existsSync(profile!)).toBe(false);
    console.info(`firefox in ${NS}: launch ${Math.round(launchMs)} ms, first page ${Math.round(pageMs)} ms`);
  });
});
