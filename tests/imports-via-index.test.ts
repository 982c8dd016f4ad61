import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCodemod } from '../scripts/dev/imports-via-index.ts';

/**
 * The imports-via-index codemod on a small tree of real files: area `a` with an index, area `b`,
 * the app (a Svelte file), a test. It rewrites, merges, keeps `import type`, is idempotent and
 * writes nothing when an index lacks a name.
 */

let root = '';

function tree(files: Record<string, string>): void {
  root = mkdtempSync(join(tmpdir(), 'imports-via-index-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, dirname(path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
}

const read = (path: string): string => readFileSync(join(root, path), 'utf8');

const AREA_A = {
  'src/lib/a/x.ts':
    'export const one = 1;\nexport interface T {\n  v: number;\n}\nexport function two(): number {\n  return 2;\n}\nexport const hidden = 0;\n',
  'src/lib/a/y.ts': "import { one } from './x.ts';\nexport const three = one + 2;\n",
  'src/lib/a/index.ts':
    "export { one, type T, two } from './x.ts';\nexport { three as drei } from './y.ts';\nexport * as ys from './y.ts';\n",
};

afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('imports-via-index codemod', () => {
  it('rewrites imports into another area to its index, merged, types kept, and a second run changes nothing', () => {
    tree({
      ...AREA_A,
      'src/lib/b/use.ts': [
        "import type { T } from '../a/x.ts';",
        "import { one, two as zwei } from '../a/x.ts';",
        "import { local } from './local.ts';",
        "import { three } from '../a/y.ts';",
        "import { one as uno } from '../a/index.ts';",
        "const lazy = () => import('../a/y.ts');",
        'export const all = [one, zwei, three, uno, local, lazy];',
        'export type U = T;',
        '',
      ].join('\n'),
      'src/lib/b/local.ts': 'export const local = 0;\n',
      'src/app/View.svelte':
        '<script lang="ts">\n  import * as yy from \'../lib/a/y.ts\';\n</script>\n<p>{yy.three}</p>\n',
      'tests/t.test.ts': "export { one, type T } from '../src/lib/a/x.ts';\n",
      'tests/a/own.test.ts': "export { hidden } from '../../src/lib/a/x.ts';\n",
    });
    const before = { y: read('src/lib/a/y.ts'), index: read('src/lib/a/index.ts') };

    const first = runCodemod(root, { check: false, format: false });

    expect(first.errors).toBe('');
    expect(first.changed.sort()).toEqual(['src/app/View.svelte', 'src/lib/b/use.ts', 'tests/t.test.ts']);
    expect(read('src/lib/b/use.ts')).toBe(
      [
        "import type { T } from '../a/index.ts';",
        "import { one, drei as three, one as uno, two as zwei } from '../a/index.ts';",
        "import { local } from './local.ts';",
        "const lazy = () => import('../a/y.ts');",
        'export const all = [one, zwei, three, uno, local, lazy];',
        'export type U = T;',
        '',
      ].join('\n'),
    );
    expect(read('src/app/View.svelte')).toBe(
      '<script lang="ts">\n  import { ys as yy } from \'../lib/a/index.ts\';\n</script>\n<p>{yy.three}</p>\n',
    );
    expect(read('tests/t.test.ts')).toBe("export { one, type T } from '../src/lib/a/index.ts';\n");
    // Imports inside the area, and a unit test's of the area it tests, stay as they are.
    expect(read('tests/a/own.test.ts')).toBe("export { hidden } from '../../src/lib/a/x.ts';\n");
    expect({ y: read('src/lib/a/y.ts'), index: read('src/lib/a/index.ts') }).toEqual(before);

    expect(runCodemod(root, { check: true, format: false })).toEqual({
      changed: [],
      errors: '',
      warnings: [],
      extended: [],
    });
  });

  it('splits one import whose names live in two areas, and follows a re-export to its own area', () => {
    tree({
      ...AREA_A,
      'src/lib/a/x.ts': `${AREA_A['src/lib/a/x.ts']}export { cee } from '../c/k.ts';\n`,
      'src/lib/c/k.ts': 'export const cee = 3;\n',
      'src/lib/c/index.ts': "export { cee } from './k.ts';\n",
      'tests/split.test.ts': [
        "import { cee, two } from '../src/lib/a/x.ts';",
        "import { three } from '../src/lib/a/y.ts';",
        'export const s = [cee, two, three];',
        '',
      ].join('\n'),
    });

    const result = runCodemod(root, { check: false, format: false });

    expect(result).toEqual({
      changed: ['src/lib/a/x.ts', 'tests/split.test.ts'],
      errors: '',
      warnings: [],
      extended: [],
    });
    expect(read('tests/split.test.ts')).toBe(
      [
        "import { cee } from '../src/lib/c/index.ts';",
        "import { drei as three, two } from '../src/lib/a/index.ts';",
        'export const s = [cee, two, three];',
        '',
      ].join('\n'),
    );
    expect(read('src/lib/a/x.ts')).toContain("export { cee } from '../c/index.ts';");
  });

  it('names the missing export and writes nothing when the index lacks a name', () => {
    const use = "import { hidden, one } from '../a/x.ts';\nexport const both = [hidden, one];\n";
    tree({ ...AREA_A, 'src/lib/b/use.ts': use, 'src/app/ok.ts': "export { one } from '../lib/a/x.ts';\n" });

    const result = runCodemod(root, { check: false, format: false });

    expect(result.changed).toEqual([]);
    expect(result.errors).toContain('src/lib/a/index.ts needs:');
    expect(result.errors).toContain("export { hidden } from './x.ts';");
    expect(result.errors).toContain('for src/lib/b/use.ts');
    expect(read('src/lib/b/use.ts')).toBe(use);
    expect(read('src/app/ok.ts')).toBe("export { one } from '../lib/a/x.ts';\n");
  });

  it('with extendIndex, appends the missing lines to the index, then rewrites', () => {
    tree({
      ...AREA_A,
      'src/app/use.ts': "import { hidden, one } from '../lib/a/x.ts';\nexport const both = [hidden, one];\n",
    });

    const result = runCodemod(root, { check: false, format: false, extendIndex: true });

    expect(result).toEqual({
      changed: ['src/app/use.ts'],
      errors: '',
      warnings: [],
      extended: ['src/lib/a/index.ts'],
    });
    expect(read('src/lib/a/index.ts')).toBe(
      `${AREA_A['src/lib/a/index.ts']}export { hidden } from './x.ts';\n`,
    );
    expect(read('src/app/use.ts')).toBe(
      "import { hidden, one } from '../lib/a/index.ts';\nexport const both = [hidden, one];\n",
    );
  });

  it('warns of an index line whose module no longer exports the name', () => {
    tree({
      ...AREA_A,
      'src/lib/a/index.ts': `${AREA_A['src/lib/a/index.ts']}export { gone } from './x.ts';\n`,
    });
    expect(runCodemod(root, { check: true, format: false }).warnings).toEqual([
      'src/lib/a/index.ts exports gone, which the module it names does not export',
    ]);
  });

  it('refuses a default or side-effect import into another area rather than leaving it', () => {
    tree({ ...AREA_A, 'src/app/side.ts': "import '../lib/a/x.ts';\n" });
    expect(runCodemod(root, { check: true, format: false }).errors).toContain(
      "src/app/side.ts: '../lib/a/x.ts': a side-effect, default or `export *` import cannot go through an index",
    );
  });
});
