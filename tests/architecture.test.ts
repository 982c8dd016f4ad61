import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXTRA_ENTRIES, entryFiles, reachesIntoArea, SOURCE_ROOTS } from '../scripts/dev/area-entries.ts';

/**
 * The layout rules the README's "Layout" section states, kept as a test: which area may import
 * which (data flows one way: source → pixels → encoder → embeddings → analysis → layers/UI →
 * export), no import circle between files, the heavy libraries only in the module that owns
 * them, and no file over the size limit. It parses the real sources; a new import that crosses
 * a boundary fails here with the edge named.
 */

const ROOT = join(import.meta.dirname, '..');
const MAX_LINES = 400;

/**
 * What each area may import besides itself. Areas are src/lib/<name> (a file src/lib/x.ts is
 * area x), `workers`, `app` (the controller: a Job per task, stores), `components` (the Svelte
 * views) and `ui` (src/App.svelte, src/main.ts). Lower layers never name higher ones.
 */
const ALLOWED: Record<string, readonly string[]> = {
  // Foundations: no domain knowledge.
  errors: [],
  'worker-result': ['errors'],
  text: [],
  math: ['errors'],
  'webgpu-adapter': [],
  // Stage timings the benchmarks read (no domain knowledge).
  perf: [],
  geo: ['errors'],
  net: ['errors'],
  onnx: ['errors'],
  // Source: finding scenes and reading their files.
  stac: ['errors', 'geo', 'net'],
  cog: ['errors', 'geo', 'net'],
  // Pixels: a scene's bands and mask; packs written from them.
  scene: ['errors', 'geo', 'net', 'stac', 'cog', 'text'],
  pack: ['errors', 'geo', 'stac', 'cog'],
  // Encoder: pixels to embeddings.
  encoder: [
    'errors',
    'webgpu-adapter',
    'geo',
    'net',
    'math',
    'onnx',
    'stac',
    'scene',
    'embeddings',
    'models',
  ],
  // Embeddings: the grid every later step reads.
  embeddings: ['errors', 'geo'],
  // Published embedding products (AlphaEarth, TESSERA, embedding collections) read as a source.
  precomputed: ['errors', 'geo', 'net', 'math', 'text', 'stac', 'cog', 'embeddings'],
  // Embeddings kept in the browser (the high store; the low byte store is cog's interface).
  cache: ['errors', 'geo', 'text', 'stac', 'cog', 'scene', 'encoder', 'embeddings'],
  // Analysis on embeddings, and its GPU backend.
  analysis: ['errors', 'geo', 'math', 'cog', 'embeddings', 'gpu'],
  // Classifiers on embeddings (kNN, logistic regression, spatial CV).
  classify: ['errors', 'geo', 'math', 'embeddings', 'analysis'],
  // Known exception: gpu/kmeans-gpu.ts reuses analysis' k-means helpers while analysis picks
  // the GPU backend, so the two areas name each other (no file circle; see README).
  gpu: ['errors', 'webgpu-adapter', 'embeddings', 'analysis'],
  // What the map and the UI show, and the state a link or session keeps.
  render: ['errors', 'math', 'stac', 'scene', 'embeddings'],
  // Layers draw what render prepares (colormaps) and mark their frames for the benchmarks.
  layers: ['geo', 'render', 'perf'],
  state: ['errors', 'geo', 'scene', 'render', 'classify'],
  // Export: files from what is on screen.
  export: ['errors', 'geo', 'cog', 'render', 'embeddings', 'analysis', 'classify'],
  // Scale-out jobs: tiling, plans, shards, tile STAC Items, the collection format and its index.
  jobs: ['errors', 'geo', 'embeddings'],
  // Main-thread handles on the workers.
  clients: [
    'classify',
    'errors',
    'worker-result',
    'geo',
    'scene',
    'encoder',
    'analysis',
    'export',
    'workers',
    'precomputed',
  ],
  workers: [
    'classify',
    'errors',
    'worker-result',
    'geo',
    'scene',
    'cache',
    'encoder',
    'embeddings',
    // The encoder worker colours its progress thumbnails (render/embedding-preview).
    'render',
    'analysis',
    'gpu',
    'export',
    'precomputed',
  ],
  // The controller (a Job per task, the explorer and export stores); it never imports a view.
  app: [
    'perf',
    'classify',
    'errors',
    'geo',
    'text',
    'stac',
    'cog',
    'scene',
    'encoder',
    'embeddings',
    'cache',
    'analysis',
    'render',
    'layers',
    'state',
    'export',
    'clients',
    'precomputed',
  ],
  // The views display the app's stores and the domain types in them, and dispatch to the
  // stores; the workers' handles (clients) stay in app/.
  components: [
    'app',
    'classify',
    'errors',
    'geo',
    'net',
    'text',
    'stac',
    'cog',
    'scene',
    'analysis',
    'embeddings',
    'encoder',
    'cache',
    'render',
    'layers',
    'state',
    'export',
    'precomputed',
  ],
  ui: ['app', 'components', 'render', 'scene', 'stac', 'state'],
};

/** Libraries that only their owning area may import (the rest of the code stays testable in Node). */
const OWNERS: readonly { library: RegExp; owners: readonly string[] }[] = [
  { library: /^@deck\.gl\//, owners: ['layers'] },
  { library: /^onnxruntime-(web|common)/, owners: ['encoder'] },
  { library: /^svelte(\/|$)/, owners: ['ui', 'components', 'app'] },
];

interface Import {
  from: string;
  /** A path relative to the repository root, or a package name. */
  to: string;
  local: boolean;
  /** `import()`: a lazy chunk names the module it splits off, so it may name an internal file. */
  dynamic: boolean;
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(ROOT, dir))) {
    const path = join(dir, name);
    if (statSync(join(ROOT, path)).isDirectory()) out.push(...sourceFiles(path));
    else if (/\.(ts|svelte)$/.test(name)) out.push(path);
  }
  return out;
}

const IMPORT =
  /(?:^|[\s;])(?:import|export)\s[^'"`;]*?from\s*['"]([^'"]+)['"]|(?:^|[\s;])import\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|new URL\(\s*['"](\.[^'"]+)['"]\s*,\s*import\.meta\.url/g;

function importsOf(file: string): Import[] {
  const text = readFileSync(join(ROOT, file), 'utf8').replace(/\/\*[\s\S]*?\*\/|^\s*\/\/.*$/gm, '');
  const out: Import[] = [];
  for (const m of text.matchAll(IMPORT)) {
    const spec = m[1] ?? m[2] ?? m[3] ?? m[4];
    if (!spec) continue;
    const dynamic = m[3] !== undefined || m[4] !== undefined;
    if (spec.startsWith('.'))
      out.push({ from: file, to: normalize(join(dirname(file), spec)), local: true, dynamic });
    else out.push({ from: file, to: spec, local: false, dynamic });
  }
  return out;
}

/** The area a repository path belongs to (see ALLOWED). */
function areaOf(path: string): string {
  const parts = path.split('/');
  if (parts[0] === 'workers') return 'workers';
  if (parts[0] !== 'src') return parts[0]!;
  if (parts[1] === 'lib') return parts.length > 3 ? parts[2]! : parts[2]!.replace(/\.ts$/, '');
  if (parts[1] === 'app' || parts[1] === 'components') return parts[1];
  return 'ui';
}

const files = [...sourceFiles('src'), ...sourceFiles('workers')];
const imports = files.flatMap(importsOf);

describe('architecture: the import rules the README states', () => {
  it('finds the sources and their imports', () => {
    expect(files.length).toBeGreaterThan(100);
    expect(imports.filter((i) => i.local).length).toBeGreaterThan(300);
    for (const i of imports.filter((i) => i.local && !i.to.endsWith('.json')))
      expect(existsSync(join(ROOT, i.to)), `${i.from} imports ${i.to}, which is not there`).toBe(true);
  });

  it('every area imports only the areas the flow allows', () => {
    const crossing = imports
      .filter((i) => i.local)
      .map((i) => ({ ...i, a: areaOf(i.from), b: areaOf(i.to) }))
      .filter(({ a, b }) => a !== b && !(ALLOWED[a] ?? []).includes(b))
      .map(({ from, to, a, b }) => `${from} → ${to} (${a} may not import ${b})`);
    expect(crossing).toEqual([]);
  });

  it('every area the code has is one the rules know', () => {
    const areas = new Set(files.map(areaOf));
    expect([...areas].filter((a) => !(a in ALLOWED))).toEqual([]);
  });

  it('no import circle between files', () => {
    const graph = new Map<string, string[]>(files.map((f) => [f, []]));
    for (const i of imports) if (i.local && graph.has(i.to)) graph.get(i.from)!.push(i.to);
    expect(cycles(graph)).toEqual([]);
  });

  it('deck.gl, ONNX Runtime and Svelte only in the modules that own them', () => {
    const strays = imports
      .filter((i) => !i.local)
      .flatMap((i) => {
        const rule = OWNERS.find((o) => o.library.test(i.to));
        return rule && !rule.owners.includes(areaOf(i.from)) ? [`${i.from} imports ${i.to}`] : [];
      });
    const svelteFiles = files
      .filter((f) => /\.svelte(\.ts)?$/.test(f))
      .filter((f) => !['ui', 'components', 'app'].includes(areaOf(f)));
    expect([...strays, ...svelteFiles]).toEqual([]);
  });

  it("an import from another area goes through that area's index.ts (or its named extra entry)", () => {
    const everywhere = SOURCE_ROOTS.filter((d) => existsSync(join(ROOT, d)))
      .flatMap(sourceFiles)
      .filter((f) => !f.startsWith('tests/fixtures/'))
      .flatMap(importsOf);
    const reaching = everywhere
      .filter((i) => i.local && !i.dynamic && reachesIntoArea(i.from, i.to))
      .map((i) => `${i.from} → ${i.to} (run: npx tsx scripts/dev/imports-via-index.ts)`);
    expect(reaching).toEqual([]);
  });

  it('every folder of src/lib shows its surface through an index.ts that names what it exports', () => {
    const areas = readdirSync(join(ROOT, 'src/lib')).filter((n) =>
      statSync(join(ROOT, 'src/lib', n)).isDirectory(),
    );
    const missing = areas.flatMap(entryFiles).filter((f) => !existsSync(join(ROOT, f)));
    // A deliberate surface: names listed, no `export * from` of a whole module.
    const starred = areas
      .flatMap(entryFiles)
      .filter(
        (f) => existsSync(join(ROOT, f)) && /^export \* from/m.test(readFileSync(join(ROOT, f), 'utf8')),
      );
    const unknown = Object.keys(EXTRA_ENTRIES).filter((a) => !areas.includes(a));
    expect({ missing, starred, unknown }).toEqual({ missing: [], starred: [], unknown: [] });
  });

  it(`no source file over ${MAX_LINES} lines`, () => {
    const dirs = ['src', 'workers', 'scripts', 'server', 'bench'].filter((d) => existsSync(join(ROOT, d)));
    const long = dirs
      .flatMap(sourceFiles)
      .map((f) => ({ f, lines: readFileSync(join(ROOT, f), 'utf8').split('\n').length }))
      .filter(({ lines }) => lines > MAX_LINES)
      .map(({ f, lines }) => `${f}: ${lines} lines`);
    expect(long).toEqual([]);
  });

  it("only a family's own folder names its id: everything else asks the encoder registry", () => {
    // Each folder of src/lib/encoder/families/ is one family, named by its id.
    const familiesDir = 'src/lib/encoder/families';
    const ids = readdirSync(join(ROOT, familiesDir)).filter((n) =>
      statSync(join(ROOT, familiesDir, n)).isDirectory(),
    );
    expect(ids.length).toBeGreaterThanOrEqual(5);
    // The code that can ask the registry: the areas allowed to import the encoder, the CLI and its jobs.
    const askers = new Set([
      'encoder',
      ...Object.keys(ALLOWED).filter((a) => ALLOWED[a]!.includes('encoder')),
    ]);
    const scanned = [
      ...files.filter((f) => askers.has(areaOf(f))),
      ...sourceFiles('scripts/cli'),
      ...sourceFiles('scripts/jobs'),
    ];
    const named = scanned.flatMap((file) => {
      const text = readFileSync(join(ROOT, file), 'utf8').replace(/\/\*[\s\S]*?\*\/|^\s*\/\/.*$/gm, '');
      return ids
        .filter((id) => namesFamily(text, id))
        .filter((id) => !ownsFamilyId(file, id))
        .map((id) => `${file} names the family '${id}'`);
    });
    expect(named).toEqual([]);
  });

  it("the README's layout table names every area of src/lib", () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const areas = readdirSync(join(ROOT, 'src/lib')).filter((n) =>
      statSync(join(ROOT, 'src/lib', n)).isDirectory(),
    );
    expect(areas.filter((a) => !readme.includes(`src/lib/${a}/`))).toEqual([]);
  });
});

describe('architecture: the checker itself', () => {
  it('finds a circle, and none in a chain', () => {
    const circle = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
      ['d', ['a']],
    ]);
    expect(cycles(circle)).toEqual([['a', 'b', 'c']]);
    expect(
      cycles(
        new Map([
          ['a', ['b']],
          ['b', []],
        ]),
      ),
    ).toEqual([]);
  });

  it('finds a family id named outside its folder, and a word-like id only where it picks a family', () => {
    expect(namesFamily("if (option.kind === 'mosaiks') return;", 'mosaiks')).toBe(true);
    expect(namesFamily('const MODELS = ["spectral", "presto"];', 'presto')).toBe(true);
    expect(namesFamily("rate('spectral-v2')", 'spectral')).toBe(false);
    expect(namesFamily("runner.kind !== 'bands'", 'bands')).toBe(true);
    expect(namesFamily("{ family: 'bands' }", 'bands')).toBe(true);
    expect(namesFamily("pick(scene, 'bands')", 'bands')).toBe(false);
    expect(ownsFamilyId('src/lib/encoder/families/presto/index.ts', 'presto')).toBe(true);
    expect(ownsFamilyId('src/lib/encoder/families/presto/index.ts', 'galileo')).toBe(false);
    expect(ownsFamilyId('src/lib/encoder/spectral-graph.ts', 'spectral')).toBe(true);
    expect(ownsFamilyId('src/app/model-catalog.svelte.ts', 'spectral')).toBe(false);
  });

  it('reads every import form the sources use', () => {
    const text = [
      "import type { A } from '../a.ts';",
      "export { B } from './b.ts';",
      "import './side.ts';",
      "const m = await import('../lazy.ts');",
      "new Worker(new URL('../../w.worker.ts', import.meta.url));",
    ].join('\n');
    const found = [...text.matchAll(IMPORT)].map((m) => m[1] ?? m[2] ?? m[3] ?? m[4]);
    expect(found).toEqual(['../a.ts', './b.ts', './side.ts', '../lazy.ts', '../../w.worker.ts']);
    expect(areaOf('src/lib/cog/read-band.ts')).toBe('cog');
    expect(reachesIntoArea('src/app/x.ts', 'src/lib/encoder/presto-spec.ts')).toBe(true);
    expect(reachesIntoArea('tests/analysis/x.test.ts', 'src/lib/encoder/presto-spec.ts')).toBe(true);
    // A unit test of an area may name its internals (white-box).
    expect(reachesIntoArea('tests/encoder/x.test.ts', 'src/lib/encoder/presto-spec.ts')).toBe(false);
    expect(reachesIntoArea('src/app/x.ts', 'src/lib/encoder/index.ts')).toBe(false);
    expect(reachesIntoArea('workers/encoder.worker.ts', 'src/lib/encoder/ort.ts')).toBe(false);
    expect(reachesIntoArea('src/lib/encoder/a.ts', 'src/lib/encoder/presto-spec.ts')).toBe(false);
    expect(reachesIntoArea('src/app/x.ts', 'src/lib/errors.ts')).toBe(false);
    expect(areaOf('src/lib/errors.ts')).toBe('errors');
    expect(areaOf('src/App.svelte')).toBe('ui');
    expect(relative(ROOT, join(ROOT, 'src'))).toBe('src');
  });
});

/**
 * Ids that are also words the code uses otherwise (a scene's `bands`): for them only the forms
 * that pick a family count — compared, switched on, or set as a family, kind or model.
 */
const WORD_IDS = new Set(['bands']);

function namesFamily(text: string, id: string): boolean {
  const literal = `(['"\`])${id}\\1`;
  if (!WORD_IDS.has(id)) return new RegExp(literal).test(text);
  return new RegExp(`(?:[!=]==\\s*|case\\s+|\\b(?:family|kind|model)\\s*:\\s*)${literal}`).test(text);
}

/**
 * Where a family's id may be written: its folder, the registry that lists the folders, and the
 * family's implementation modules beside them (src/lib/encoder/<id>-*.ts: graphs and manifests
 * that carry the id inside the model they build).
 */
function ownsFamilyId(file: string, id: string): boolean {
  return (
    file.startsWith(`src/lib/encoder/families/${id}/`) ||
    file === 'src/lib/encoder/registry.ts' ||
    file.startsWith(`src/lib/encoder/${id}-`)
  );
}

/** Strongly connected groups of more than one file (Tarjan), each sorted, as import circles. */
function cycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const group: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        group.push(w);
      } while (w !== v);
      if (group.length > 1) found.push(group.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}
