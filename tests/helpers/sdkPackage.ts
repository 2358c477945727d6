import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const SDK_DIR = fileURLToPath(new URL('../../packages/sdk/', import.meta.url));
export const SDK_DIST = `${SDK_DIR}dist/`;

/**
 * The built package, imported by its name (node_modules/@peerlobby/sdk → packages/sdk, through its
 * `exports` map), as a developer's code imports it. Fails with the command to run when it is not built.
 */
export async function loadSdk(): Promise<typeof import('@peerlobby/sdk')> {
  if (!existsSync(`${SDK_DIST}index.js`)) {
    throw new Error(
      'packages/sdk/dist is missing: build the SDK first (npm run build:sdk; npm test does it)',
    );
  }
  return import('@peerlobby/sdk');
}
