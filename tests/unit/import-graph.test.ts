import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { folderGraph, reachable, ROOT, sourceFiles } from '../helpers/importGraph';

/**
 * Folders import downward only, across the whole project: no two folders reach each other (e.g. the
 * lobby core defines the store's interface and the stores implement it; metrics is a leaf the socket
 * layer and the STUN responder report to; shared hooks and formatters sit below the components that use
 * them). And the layers: the SDK (lib/) knows nothing of the server, components or pages; the server
 * nothing of components or pages.
 */
const LAYERS = ['app', 'components', 'lib', 'server'];
const { edges } = folderGraph(LAYERS.flatMap((l) => sourceFiles(join(ROOT, l))));
const folders = [...new Set([...edges.keys(), ...[...edges.values()].flatMap((s) => [...s])])];
const importsFrom = (prefix: string) =>
  [...edges]
    .filter(([from]) => from === prefix || from.startsWith(`${prefix}/`))
    .flatMap(([, to]) => [...to]);
const under = (layer: string) => (f: string) => f === layer || f.startsWith(`${layer}/`);

describe('the import graph', () => {
  it('has no cycle between folders', () => {
    expect(folders.length).toBeGreaterThan(20);
    expect(folders.filter((f) => reachable(edges, f).has(f))).toEqual([]);
  });

  it('lib imports nothing of the server, components or pages', () => {
    expect(
      importsFrom('lib').filter((f) => ['server', 'components', 'app'].some((l) => under(l)(f))),
    ).toEqual([]);
  });

  it('the server imports nothing of components or pages', () => {
    expect(importsFrom('server').filter((f) => under('components')(f) || under('app')(f))).toEqual([]);
  });
});
