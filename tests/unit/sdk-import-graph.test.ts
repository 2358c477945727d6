import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { folderGraph, reachable, ROOT, sourceFiles } from '../helpers/importGraph';

/**
 * The SDK's folders (what packages/sdk builds from) import downward only: no cycle between folders, and
 * nothing of the app (the store, the game, components, Next, zustand). Type imports count: a cycle of
 * types is still a cycle for a reader.
 */
const SDK_FOLDERS = [
  'lib/client',
  'lib/client/chat',
  'lib/client/mesh',
  'lib/events',
  'lib/protocol',
  'lib/react',
];

/** Folder → folders it imports, and every bare module any SDK file imports (files directly in SDK folders). */
const graph = () =>
  folderGraph(
    SDK_FOLDERS.flatMap((f) =>
      readdirSync(join(ROOT, f))
        .filter((n) => /\.tsx?$/.test(n))
        .map((n) => join(ROOT, f, n)),
    ),
  );

describe('the SDK import graph', () => {
  const { edges, bare } = graph();

  it('has no cycle between folders', () => {
    expect(sourceFiles(join(ROOT, 'lib/client/mesh')).length).toBeGreaterThan(5);
    const cyclic = SDK_FOLDERS.filter((f) => reachable(edges, f).has(f));
    expect(cyclic).toEqual([]);
  });

  it('imports nothing of the app: only SDK folders, socket.io-client, zod and react', () => {
    const targets = new Set([...edges.values()].flatMap((s) => [...s]));
    expect([...targets].filter((t) => !SDK_FOLDERS.includes(t))).toEqual([]);
    expect([...bare].sort()).toEqual(['react', 'socket.io-client', 'zod/mini']);
  });
});
