import { launchChromium, newPlayerContext } from '../tests/helpers/chromium';
import { startAppProcess } from '../tests/helpers/appProcess';
const app = await startAppProcess();
const browser = await launchChromium();
const host = await (await newPlayerContext(browser, app.url)).newPage();
await host.addInitScript(() => window.localStorage.setItem('peerlobby.nickname', 'Host'));
await host.goto('/');
await host.getByRole('button', { name: 'Create lobby' }).click();
await host.getByTestId('lobby-name').waitFor();
const code = (await host.getByLabel(/^Lobby code/).textContent())!.trim();
for (const path of ['/', `/lobby/${code}`]) {
  const ctx = await newPlayerContext(browser, app.url, 'phone');
  const page = await ctx.newPage();
  const cdp = await ctx.newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  await page.goto(path);
  await page.waitForTimeout(3000);
  const { profile } = await cdp.send('Profiler.stop');
  const self = new Map<string, number>();
  const dt = profile.timeDeltas!;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const counts = new Map<number, number>();
  for (let i = 0; i < profile.samples!.length; i++) counts.set(profile.samples![i]!, (counts.get(profile.samples![i]!) ?? 0) + dt[i]!);
  for (const [id, t] of counts) { const n = byId.get(id)!; const k = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber}:${n.callFrame.columnNumber}`; self.set(k, (self.get(k) ?? 0) + t); }
  console.log(path, [...self].filter(([k]) => !k.startsWith('(idle)') && !k.startsWith('(program)')).sort((a, b) => b[1] - a[1]).slice(0, 15).map(([k, v]) => `${(v / 1000).toFixed(1)}ms ${k}`).join('\n'));
  console.log('total', (dt.reduce((a,b)=>a+b,0)/1000).toFixed(0), 'idle', ((self.get([...self.keys()].find(k=>k.startsWith('(idle)'))!)??0)/1000).toFixed(0));
  await ctx.close();
}
await browser.close(); await app.stop();
