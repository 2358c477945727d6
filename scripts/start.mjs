// `npm start`: build once if there is no production build yet, then serve.
import { spawnSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { bundleServer } from '../server/bundle.mjs';

// No Next.js telemetry: the app contacts no third party unless its operator configures one.
const env = { ...process.env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1' };
if (!existsSync('.next/BUILD_ID')) {
  console.log('No production build found: running `next build` first (about a minute)…');
  const build = spawnSync('npx', ['next', 'build'], { stdio: 'inherit', env });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
// The server bundled (≈ 0.1 s), run by plain node: see server/bundle.mjs for why not tsx.
const bundle = await bundleServer();
const server = spawn(process.execPath, ['--enable-source-maps', bundle], { stdio: 'inherit', env });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => server.kill(sig));
server.on('exit', (code) => process.exit(code ?? 0));
