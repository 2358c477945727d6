import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';

/**
 * The project's import graph between folders, read from the sources (relative and `@/` imports, type
 * imports included: a cycle of types is still a cycle for a reader). Folder = a file's directory.
 */
export const ROOT = resolve(import.meta.dirname, '../..');

export function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory())
      return name === 'node_modules' || name === 'dist' ? [] : sourceFiles(path);
    return /\.(ts|tsx|mts)$/.test(name) && !name.endsWith('.d.ts') && !name.endsWith('.d.mts') ? [path] : [];
  });
}

function resolveImport(from: string, spec: string): string {
  const base = spec.startsWith('@/') ? join(ROOT, spec.slice(2)) : resolve(dirname(from), spec);
  return (
    [`${base}.ts`, `${base}.tsx`, join(base, 'index.ts'), join(base, 'index.tsx')].find((c) =>
      existsSync(c),
    ) ?? base
  );
}

export interface FolderGraph {
  /** folder → folders its files import (relative to the repository root) */
  edges: Map<string, Set<string>>;
  /** every bare module specifier imported */
  bare: Set<string>;
}

/** The graph of the given files (absolute paths). */
export function folderGraph(files: string[]): FolderGraph {
  const edges = new Map<string, Set<string>>();
  const bare = new Set<string>();
  for (const file of files) {
    const from = relative(ROOT, dirname(file));
    let text = readFileSync(file, 'utf8');
    // A folder's index re-exporting its subfolders is the folder's public face, not a dependency of the
    // folder's own modules on them: the subfolders may still build on their parent's modules.
    if (/^index\.tsx?$/.test(basename(file)))
      text = text.replace(/^export [^;]*? from ['"][^'"]+['"];?$/gms, '');
    for (const [, spec] of text.matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)) {
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

/** Every folder reachable from `start` (itself only if a path leads back to it). */
export function reachable(edges: Map<string, Set<string>>, start: string): Set<string> {
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
