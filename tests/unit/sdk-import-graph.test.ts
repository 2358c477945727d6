import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The SDK's folders (what packages/sdk builds from) import downward only: no cycle between folders, and
 * nothing of the app (the store, the game, components, Next, zustand). Type imports count: a cycle of
 * types is still a cycle for a reader.
 */
const ROOT = resolve(import.meta.dirname, '../..');
const SDK_FOLDERS = ['lib/client', 'lib/client/chat', 'lib/client/mesh', 'lib/events', 'lib/protocol', 'lib/react'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) ? [path] : [];
  });
}

function resolveImport(from: string, spec: string): string {
  const base = spec.startsWith('@/') ? join(ROOT, spec.slice(2)) : resolve(dirname(from), spec);
  return [`${base}.ts`, `${base}.tsx`, join(base, 'index.ts')].find((c) => existsSync(c)) ?? base;
}

/** Folder → folders it imports, and every bare module any SDK file imports. */
function graph() {
  const edges = new Map<string, Set<string>>();
  const bare = new Set<string>();
  for (const file of SDK_FOLDERS.flatMap((f) => readdirSync(join(ROOT, f)).filter((n) => /\.tsx?$/.test(n)).map((n) => join(ROOT, f, n)))) {
    const from = relative(ROOT, dirname(file));
    for (const [, spec] of readFileSync(file, 'utf8').matchAll(/(?:from|import)\s*['"]([^'"]+)['"]/g)) {
      if (!spec!.startsWith('.') && !spec!.startsWith('@/')) {
        bare.add(spec!);
        continue;
      }
      const to = relative(ROOT, dirname(resolveImport(file, spec!)));
      if (to !== from) edges.set(from, (edges.get(from) ?? new Set()).add(to));
    }
  }
  return { edges, bare };
}

/** Every folder reachable from `start` (not counting itself unless a path leads back to it). */
function reachable(edges: Map<string, Set<string>>, start: string): Set<string> {
  const seen = new Set<string>();
  const visit = (v: string) => {
    for (const w of edges.get(v) ?? []) {
      if (seen.has(w)) continue;
      seen.add(w);
      visit(w);
    }
  };
  visit(start);
  return seen;
}

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
