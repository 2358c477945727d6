import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAppProcess, type AppProcess } from '../helpers/appProcess';
import { launchChromium } from '../helpers/chromium';
import { startRedisServer, uniqueKeyPrefix, type TestRedis } from '../helpers/redis';
import { createLobby, expectMembers, inviteLink } from './pages';
import { expectRoutes, heard, openMeshPlayer, say, showConnectionDetails } from './meshPages';

let browser: Browser;
let redis: TestRedis;
const instances: AppProcess[] = [];

beforeAll(async () => {
  redis = await startRedisServer();
  const env = {
    REDIS_URL: redis.url,
    REDIS_PREFIX: uniqueKeyPrefix('browser'),
    SESSION_SECRET: 'one-secret-for-both-instances',
  };
  instances.push(...(await Promise.all([startAppProcess(env), startAppProcess(env)])));
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await Promise.all(instances.map((p) => p.stop()));
  await redis?.close();
});

describe('two instances, one Redis, in Chromium', () => {
  it('players on different instances share a lobby, open data channels directly and chat', async () => {
    const [one, two] = instances as [AppProcess, AppProcess];
    const ann = await openMeshPlayer(browser, one.url, 'Ann');
    const ben = await openMeshPlayer(browser, two.url, 'Ben');
    await createLobby(ann.page, { name: 'Across instances', visibility: 'private' });
    // The same invite, opened on the other instance.
    const link = new URL(await inviteLink(ann.page));
    await ben.page.goto(`${two.url}${link.pathname}${link.hash}`);
    await expectMembers(ben.page, ['Ann', 'Ben']);
    await expectMembers(ann.page, ['Ann', 'Ben']);
    await showConnectionDetails(ann.page);
    await showConnectionDetails(ben.page);
    await expectRoutes(ann.page, { Ben: 'direct' });
    await expectRoutes(ben.page, { Ann: 'direct' });
    await say(ann, 'hello from instance one');
    await heard(ben.page, 'hello from instance one');
    expect(ben.frames.some((f) => f.includes('hello from instance one'))).toBe(false);
    await ann.context.close();
    await ben.context.close();
  });
});
