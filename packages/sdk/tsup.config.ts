import { defineConfig } from 'tsup';

// ESM only (every supported runtime imports it), one bundled .d.ts per entry (rollup-plugin-dts), shared
// code in common chunks so `/react` and the main entry hand out the same LobbyClient class. Dependencies
// and peer dependencies (socket.io-client, zod, react) stay external: the app's bundler dedupes them.
export default defineConfig({
  entry: { index: 'src/index.ts', protocol: 'src/protocol.ts', react: 'src/react.ts' },
  format: ['esm'],
  target: 'es2022',
  platform: 'neutral',
  dts: true,
  splitting: true,
  sourcemap: true,
  clean: true,
  metafile: true,
  tsconfig: 'tsconfig.json',
});
