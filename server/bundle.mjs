// Bundles our TypeScript server for plain `node` (dependencies stay in node_modules). `npm start`
// runs the bundle; the benchmark measures the same build.
//
// Why not `node --import tsx` in production: tsx compiles with esbuild's keepNames, which wraps every
// named function in __name(fn, "name"), an Object.defineProperty on each closure, and such a closure
// carries its own property store (≈ 256 B). The server makes ~25 named closures per connection:
// the benchmark measured 23 KB of V8 heap per joined player under tsx, 17.5 KB bundled.
import { build } from 'esbuild';

export const SERVER_BUNDLE = '.next/peerlobby/server.mjs';

/** Builds `entry` into `outfile` (ESM, Node 20, linked source map); resolves with `outfile`. */
export async function bundleServer(entry = 'server/index.ts', outfile = SERVER_BUNDLE) {
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: 'linked',
    logLevel: 'warning',
  });
  return outfile;
}
