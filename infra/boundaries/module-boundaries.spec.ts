import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { checkBoundaries, cyclesOf, referencesIn, type Violation } from './module-boundaries';

const ROOT = resolve(__dirname, '../..');
const show = (violations: Violation[]) => violations.map((v) => `${v.rule} ${v.file}:${v.line} ${v.message}`);

describe('module boundaries of the workspace', () => {
  it('holds: no deep import, no upward dependency, no cycle', () => {
    expect(show(checkBoundaries(ROOT))).toEqual([]);
  });
});

describe('the boundaries check', () => {
  let root: string;
  const write = (file: string, text: string) => {
    mkdirSync(dirname(join(root, file)), { recursive: true });
    writeFileSync(join(root, file), text);
  };
  const project = (dir: string, name: string, scope: string, exports: Record<string, string> = { '.': './src/index.ts' }) => {
    write(`${dir}/project.json`, JSON.stringify({ name, tags: [scope] }));
    write(`${dir}/package.json`, JSON.stringify({ name: `@lesionlab/${name}`, exports }));
  };
  beforeEach(() => {
    root = mkdtempSync(join(os.tmpdir(), 'boundaries-'));
    project('libs/platform', 'platform', 'scope:platform', { '.': './src/index.ts', './testing': './testing/index.ts' });
    project('libs/catalog', 'catalog', 'scope:domain');
    project('libs/labels', 'labels', 'scope:domain');
    project('apps/api', 'api', 'scope:app');
    write('libs/platform/src/index.ts', 'export const storage = 1;');
    write('libs/platform/testing/index.ts', 'export const testDatabase = 1;');
    write('libs/catalog/src/index.ts', "import { storage } from '@lesionlab/platform';\nexport { readStream } from './read-stream';\nexport const slices = storage;");
    write('libs/catalog/src/read-stream.ts', 'export const readStream = 1;');
    write('libs/labels/src/index.ts', "import { slices } from '@lesionlab/catalog';\nexport const masks = slices;");
    write('apps/api/src/main.ts', "import { masks } from '@lesionlab/labels';\nimport { testDatabase } from '@lesionlab/platform/testing';\nexport const app = [masks, testDatabase];");
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('passes a workspace that keeps the rules', () => {
    expect(show(checkBoundaries(root))).toEqual([]);
  });

  it('fails on a deep import, by package name or by relative path', () => {
    write('libs/labels/src/reader.ts', "import { readStream } from '@lesionlab/catalog/src/read-stream';\nimport { slices } from '../../catalog/src/index';\nexport const r = [readStream, slices];");
    expect(show(checkBoundaries(root))).toEqual([
      "deep-import libs/labels/src/reader.ts:1 imports @lesionlab/catalog/src/read-stream, which @lesionlab/catalog's package.json does not export (exports: .)",
      'deep-import libs/labels/src/reader.ts:2 reaches into catalog by a relative path (../../catalog/src/index): import @lesionlab/catalog instead',
    ]);
  });

  it('fails on a dependency against the scope tags: platform may not depend on a domain lib', () => {
    write('libs/platform/src/uses-catalog.ts', "import { slices } from '@lesionlab/catalog';\nexport const s = slices;");
    expect(show(checkBoundaries(root))).toEqual([
      'wrong-direction libs/platform/src/uses-catalog.ts:1 platform (scope:platform) may not depend on catalog (scope:domain)',
      'project-cycle libs/catalog/src/index.ts:1 projects depend on each other in a circle: catalog → platform → catalog',
    ]);
  });

  it('fails on projects that depend on each other in a circle, and on a cycle of modules', () => {
    write('libs/catalog/src/masks.ts', "export { masks } from '@lesionlab/labels';");
    write('libs/catalog/src/a.ts', "import { b } from './b';\nexport const a = () => b;");
    write('libs/catalog/src/b.ts', "import { a } from './a';\nexport const b = () => a;");
    expect(show(checkBoundaries(root))).toEqual([
      'module-cycle libs/catalog/src/a.ts:1 import cycle: libs/catalog/src/a.ts → libs/catalog/src/b.ts → libs/catalog/src/a.ts',
      'project-cycle libs/catalog/src/masks.ts:1 projects depend on each other in a circle: catalog → labels → catalog',
    ]);
  });

  it('lets a type-only import close no cycle, and tests depend on other projects without making a project cycle', () => {
    write('libs/catalog/src/a.ts', "import type { B } from './b';\nexport type A = B[];");
    write('libs/catalog/src/b.ts', "import type { A } from './a';\nexport type B = A | null;");
    write('libs/catalog/test/context.ts', "import { masks } from '@lesionlab/labels';\nexport const context = masks;");
    expect(show(checkBoundaries(root))).toEqual([]);
  });

  it('finds every kind of reference a file can make', () => {
    const text = [
      "import a from './a';",
      "import type { B } from './b';",
      "import { type C } from './c';",
      "export * from './d';",
      "export type { E } from './e';",
      "const f = require('./f');",
      "const g = await import('./g');",
      "const h = require.resolve('./h');",
      "jest.mock('./i');",
      "type J = import('./j').J;",
    ].join('\n');
    expect(referencesIn('x.ts', text).map((r) => `${r.specifier}${r.runtime ? '' : ' (type)'}`)).toEqual([
      './a', './b (type)', './c (type)', './d', './e (type)', './f', './g', './h', './i', './j (type)',
    ]);
  });

  it('reports one cycle per strongly connected component', () => {
    const graph = new Map([['a', ['b']], ['b', ['c', 'a']], ['c', ['a']], ['d', ['d']], ['e', ['a']]]);
    expect(cyclesOf(graph).map((c) => c.join('>')).sort()).toEqual(['a>b>c', 'd']);
  });
});
