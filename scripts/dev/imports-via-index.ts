/**
 * Codemod: every import that reaches into another area's internal file
 * (`import { PRESTO_BANDS } from '../lib/encoder/presto-spec.ts'`) is rewritten to import from
 * that area's public entry (`'../lib/encoder/index.ts'`, or a named extra entry such as
 * `encoder/ort.ts`, see area-entries.ts), merged with the file's other imports from that entry;
 * `import type` stays `import type`, `type` on a name stays on it, a renamed import keeps its
 * local name. Imports inside one area, dynamic `import()` (a lazy chunk names the module it
 * splits off) and package imports are left alone.
 *
 *   npx tsx scripts/dev/imports-via-index.ts            rewrite, then `biome check --write` the files
 *   npx tsx scripts/dev/imports-via-index.ts --check    list what it would rewrite; exit 1 if anything
 *   npx tsx scripts/dev/imports-via-index.ts --extend-index
 *                                                       first append the missing lines to the indexes
 *
 * It is idempotent (a second run finds nothing) and reads the tree as it is, so it can run again
 * after other branches merge. When an entry does not export a name some file needs, it writes
 * nothing, lists every missing name with the `export` line to add to the index, and exits 1:
 * the index is extended deliberately, never bypassed.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  entryFiles,
  importerAreaOf,
  isFolderArea,
  libAreaOf,
  reachesIntoArea,
  SOURCE_ROOTS,
} from './area-entries.ts';
import {
  chainOf,
  exportedNames,
  type ModuleDeclaration,
  type Origin,
  originOf,
  parseModule,
  resetParsed,
  resolveSpecifier,
  specifierFor,
} from './module-syntax.ts';

let ROOT = join(import.meta.dirname, '..', '..');

/** One name as the rewritten declaration will carry it. */
interface Binding {
  /** The entry's exported name. */
  name: string;
  /** The name in the file (the exported name for a re-export). */
  local: string;
  typeOnly: boolean;
}

interface Rewrite {
  /** The declarations replaced by this one (the first's place is kept). */
  replaces: ModuleDeclaration[];
  kind: 'import' | 'export';
  typeOnly: boolean;
  entry: string;
  bindings: Binding[];
}

/** A name some file needs that the area's entries do not export. */
interface Missing {
  area: string;
  /** The internal module declaring it, repository-relative. */
  module: string;
  name: string;
  isType: boolean;
  /** Who needs it. */
  file: string;
}

function sourceFiles(dir: string): string[] {
  if (!existsSync(join(ROOT, dir))) return [];
  const out: string[] = [];
  for (const name of readdirSync(join(ROOT, dir))) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(join(ROOT, path)).isDirectory()) out.push(...sourceFiles(path));
    else if (/\.(ts|svelte)$/.test(name) && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

/** `file#name` of every name an area's entries export → the entry and its public name. */
function surfaceOf(area: string): Map<string, { entry: string; name: string }> {
  const table = new Map<string, { entry: string; name: string }>();
  for (const entry of entryFiles(area)) {
    if (!existsSync(join(ROOT, entry))) continue;
    for (const name of exportedNames(ROOT, entry)) {
      const origin = originOf(ROOT, entry, name);
      if (!origin) stale.push(`${entry} exports ${name}, which the module it names does not export`);
      const key = origin ? `${origin.file}#${origin.name}` : `${entry}#${name}`;
      if (!table.has(key)) table.set(key, { entry, name });
    }
  }
  return table;
}

/** Index lines whose module no longer exports the name (after a merge): reported, not fatal. */
const stale: string[] = [];

const surfaces = new Map<string, Map<string, { entry: string; name: string }>>();
function surface(area: string): Map<string, { entry: string; name: string }> {
  const known = surfaces.get(area) ?? surfaceOf(area);
  surfaces.set(area, known);
  return known;
}

/**
 * The entry that exports a declaration for a file outside `area`: `area`'s own, or, for a name
 * `area` passes on from a third area (analysis/random.ts re-exporting math's `mulberry32`), the
 * third area's.
 */
function entryFor(file: string, area: string, origin: Origin): { entry: string; name: string } | undefined {
  const key = `${origin.file}#${origin.name}`;
  const own = surface(area).get(key);
  if (own) return own;
  const home = isFolderArea(origin.file) ? libAreaOf(origin.file)! : undefined;
  if (home && home !== area && home !== importerAreaOf(file)) return surface(home).get(key);
  return undefined;
}

/** Which index should export a missing name, and from which of its modules. */
function missingPlace(file: string, area: string, chain: Origin[]): { area: string; module: string } {
  const origin = chain.at(-1)!;
  const home = isFolderArea(origin.file) ? libAreaOf(origin.file)! : undefined;
  if (home && home !== importerAreaOf(file)) return { area: home, module: origin.file };
  // Declared outside any library area (a worker protocol type): the area passes it on.
  const inArea = chain.filter((o) => isFolderArea(o.file) && libAreaOf(o.file) === area);
  return { area, module: inArea.at(-1)!.file };
}

/** What one file's imports into other areas become, and the problems found on the way. */
function planFile(file: string, missing: Missing[], problems: string[]): Rewrite[] {
  const mod = parseModule(ROOT, file);
  const groups = new Map<string, Rewrite>();
  const groupFor = (decl: ModuleDeclaration, entry: string, typeOnly: boolean): Rewrite => {
    const key = `${decl.kind}|${typeOnly}|${entry}`;
    const group = groups.get(key) ?? { replaces: [], kind: decl.kind, typeOnly, entry, bindings: [] };
    groups.set(key, group);
    return group;
  };
  for (const decl of mod.declarations) {
    const target = resolveSpecifier(ROOT, file, decl.specifier);
    if (!target || !reachesIntoArea(file, target)) continue;
    const area = libAreaOf(target)!;
    const where = `${file}: '${decl.specifier}'`;
    if (decl.sideEffect || decl.defaultName || decl.exportStar) {
      problems.push(`${where}: a side-effect, default or \`export *\` import cannot go through an index`);
      continue;
    }
    const wanted: { imported: string; local: string; typeOnly: boolean }[] = decl.namespace
      ? [{ imported: '*', local: decl.namespace, typeOnly: false }]
      : decl.named;
    const found: { entry: string; binding: Binding }[] = [];
    for (const n of wanted) {
      const chain =
        n.imported === '*' ? [{ file: target, name: '*', isType: false }] : chainOf(ROOT, target, n.imported);
      const origin = chain.at(-1);
      if (!origin) {
        problems.push(`${where}: ${target} does not export ${n.imported}`);
        continue;
      }
      const hit = entryFor(file, area, origin);
      if (hit)
        found.push({ entry: hit.entry, binding: { name: hit.name, local: n.local, typeOnly: n.typeOnly } });
      else
        missing.push({ ...missingPlace(file, area, chain), name: origin.name, isType: origin.isType, file });
    }
    if (found.length < wanted.length) continue;
    for (const { entry, binding } of found) {
      const group = groupFor(decl, entry, decl.typeOnly);
      if (!group.replaces.includes(decl)) group.replaces.push(decl);
      group.bindings.push(binding);
    }
  }
  // The file's existing imports from the same entries join the rewritten ones.
  for (const decl of mod.declarations) {
    const target = resolveSpecifier(ROOT, file, decl.specifier);
    const group = target && groups.get(`${decl.kind}|${decl.typeOnly}|${target}`);
    if (!group || group.replaces.includes(decl) || decl.namespace || decl.defaultName || decl.exportStar)
      continue;
    if (decl.sideEffect) continue;
    group.replaces.push(decl);
    for (const n of decl.named)
      group.bindings.push({ name: n.imported, local: n.local, typeOnly: n.typeOnly });
  }
  return [...groups.values()];
}

function bindingText(b: Binding): string {
  return `${b.typeOnly ? 'type ' : ''}${b.name === b.local ? b.name : `${b.name} as ${b.local}`}`;
}

/** The merged declaration; Biome reflows .ts files afterwards, Svelte scripts get a readable wrap here. */
function declarationText(r: Rewrite, file: string, indent: string): string[] {
  const specifier = specifierFor(file, r.entry);
  const head = `${r.kind}${r.typeOnly ? ' type' : ''}`;
  const seen = new Set<string>();
  const names = r.bindings
    .filter((b) => {
      const key = `${b.name}|${b.local}|${b.typeOnly}`;
      return !seen.has(key) && seen.add(key) !== undefined;
    })
    // A name imported both as a type and as a value needs only the value.
    .filter(
      (b) => !b.typeOnly || !r.bindings.some((o) => !o.typeOnly && o.name === b.name && o.local === b.local),
    )
    .sort((a, b) => a.local.localeCompare(b.local))
    .map(bindingText);
  const line = `${head} { ${names.join(', ')} } from '${specifier}';`;
  if (indent.length + line.length <= 110) return [line];
  return [`${head} {`, ...names.map((n) => `${indent}  ${n},`), `${indent}} from '${specifier}';`];
}

/**
 * Applies a file's rewrites: each merged declaration where its first original stood, the others
 * removed. One original can anchor several (`{ a, b }` whose names now live in two areas).
 */
function applyRewrites(file: string, rewrites: Rewrite[]): string {
  const text = parseModule(ROOT, file).text;
  const indentOf = (decl: ModuleDeclaration): string =>
    /^\s*/.exec(text.slice(text.lastIndexOf('\n', decl.start - 1) + 1, decl.start))![0];
  const anchored = new Map<ModuleDeclaration, string[]>();
  const removed = new Set<ModuleDeclaration>();
  for (const r of rewrites) {
    const [first, ...rest] = [...r.replaces].sort((a, b) => a.start - b.start);
    if (!first) continue;
    const texts = anchored.get(first) ?? [];
    anchored.set(first, [...texts, declarationText(r, file, indentOf(first)).join('\n')]);
    for (const decl of rest) removed.add(decl);
  }
  const edits: { start: number; end: number; text: string }[] = [];
  for (const [decl, texts] of anchored)
    edits.push({ start: decl.start, end: decl.end, text: texts.join(`\n${indentOf(decl)}`) });
  for (const decl of removed) {
    if (anchored.has(decl)) continue;
    // Removed whole, with its line break, when it stands alone on its lines.
    const lineStart = text.lastIndexOf('\n', decl.start - 1) + 1;
    const alone = /^\s*$/.test(text.slice(lineStart, decl.start));
    const end = text[decl.end] === '\n' ? decl.end + 1 : decl.end;
    edits.push({ start: alone ? lineStart : decl.start, end, text: '' });
  }
  edits.sort((a, b) => b.start - a.start);
  let out = text;
  for (const e of edits) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

/** The `export` lines each index needs for the names files asked for and did not find, by index. */
function missingLines(missing: Missing[]): Map<string, { line: string; users: string[] }[]> {
  const byIndex = new Map<string, Map<string, Missing[]>>();
  for (const m of missing) {
    const index = `src/lib/${m.area}/index.ts`;
    const modules = byIndex.get(index) ?? new Map<string, Missing[]>();
    byIndex.set(index, modules);
    modules.set(m.module, [...(modules.get(m.module) ?? []), m]);
  }
  const out = new Map<string, { line: string; users: string[] }[]>();
  for (const [index, modules] of [...byIndex].sort()) {
    const lines: { line: string; users: string[] }[] = [];
    for (const [module, names] of [...modules].sort()) {
      const unique = [...new Map(names.map((n) => [n.name, n])).values()].sort((a, b) =>
        a.name.localeCompare(b.name),
      );
      const listed = unique.filter((n) => n.name !== '*').map((n) => `${n.isType ? 'type ' : ''}${n.name}`);
      const from = specifierFor(index, module);
      const users = [...new Set(names.map((n) => n.file))].sort();
      if (unique.some((n) => n.name === '*')) lines.push({ line: `export * as NAME from '${from}';`, users });
      if (listed.length > 0) lines.push({ line: `export { ${listed.join(', ')} } from '${from}';`, users });
    }
    out.set(index, lines);
  }
  return out;
}

function missingReport(missing: Missing[]): string {
  const lines: string[] = [];
  for (const [index, exports] of missingLines(missing)) {
    lines.push(`${index}${existsSync(join(ROOT, index)) ? '' : ' (missing)'} needs:`);
    for (const { line, users } of exports) lines.push(`  ${line}`, `    // for ${users.join(', ')}`);
  }
  return lines.join('\n');
}

/**
 * Appends the missing lines to the index files (creating an index where there is none), for
 * `--extend-index`; a namespace (`export * as NAME`) needs a name chosen by hand and stays an
 * error. Returns the index files written.
 */
function extendIndexes(missing: Missing[]): string[] {
  const written: string[] = [];
  for (const [index, exports] of missingLines(missing)) {
    const path = join(ROOT, index);
    const lines = exports.map((e) => e.line).filter((line) => !line.includes(' NAME '));
    if (lines.length === 0) continue;
    const before = existsSync(path)
      ? readFileSync(path, 'utf8')
      : `/** The public surface of ${dirname(index)}/ (added by imports-via-index --extend-index). */\n`;
    writeFileSync(path, `${before.trimEnd()}\n${lines.join('\n')}\n`);
    written.push(index);
  }
  return written;
}

export interface CodemodResult {
  /** Files rewritten (or, with `check`, to rewrite), repository-relative. */
  changed: string[];
  /** Missing index names and unrewritable imports, as the report prints them; empty when fine. */
  errors: string;
  /** Index lines naming what their module no longer exports (tsc fails on them too). */
  warnings: string[];
  /** Index files `extendIndex` added export lines to. */
  extended: string[];
}

/**
 * Runs the codemod over the tree at `root`. With `check` nothing is written; with `format` the
 * rewritten .ts files are passed through `biome check --write`. Writes nothing when anything is
 * missing.
 */
export function runCodemod(
  root: string,
  options: { check: boolean; format: boolean; extendIndex?: boolean },
): CodemodResult {
  ROOT = root;
  resetParsed();
  surfaces.clear();
  stale.length = 0;
  // Every area's entries are read, so that stale index lines are reported even where unused.
  const lib = join(ROOT, 'src', 'lib');
  if (existsSync(lib))
    for (const area of readdirSync(lib)) if (statSync(join(lib, area)).isDirectory()) surface(area);
  const files = SOURCE_ROOTS.flatMap(sourceFiles);
  const missing: Missing[] = [];
  const problems: string[] = [];
  const plans = files.map((file) => ({ file, rewrites: planFile(file, missing, problems) }));
  if (missing.length > 0 || problems.length > 0) {
    const errors = [
      ...(missing.length > 0 ? [`Names not in their area's index:\n${missingReport(missing)}`] : []),
      ...(problems.length > 0 ? [`Imports that cannot be rewritten:\n  ${problems.join('\n  ')}`] : []),
    ];
    if (options.extendIndex && !options.check && problems.length === 0) {
      const extended = extendIndexes(missing);
      if (extended.length > 0) {
        const again = runCodemod(root, { ...options, extendIndex: false });
        if (options.format)
          execFileSync('npx', ['biome', 'check', '--write', ...extended], { cwd: ROOT, stdio: 'inherit' });
        return { ...again, extended };
      }
    }
    return { changed: [], errors: errors.join('\n'), warnings: [...stale], extended: [] };
  }
  const changed = plans.filter((p) => p.rewrites.some((r) => r.replaces.some((d) => isInternal(p.file, d))));
  if (!options.check)
    for (const { file, rewrites } of changed) writeFileSync(join(ROOT, file), applyRewrites(file, rewrites));
  const formatted = changed.map((p) => p.file).filter((f) => f.endsWith('.ts'));
  if (options.format && !options.check && formatted.length > 0)
    execFileSync('npx', ['biome', 'check', '--write', ...formatted], { cwd: ROOT, stdio: 'inherit' });
  return { changed: changed.map((p) => p.file), errors: '', warnings: [...stale], extended: [] };
}

function main(): void {
  const check = process.argv.includes('--check');
  const { changed, errors, warnings, extended } = runCodemod(ROOT, {
    check,
    format: !process.argv.includes('--no-format'),
    extendIndex: process.argv.includes('--extend-index'),
  });
  for (const warning of warnings) console.error(`warning: ${warning}`);
  for (const index of extended) console.log(`extended (review the new lines): ${index}`);
  if (errors) {
    console.error(
      `${errors}\nNothing was written. Extend the index files (or fix the imports) and run again.`,
    );
    process.exit(1);
  }
  for (const file of changed) console.log(`${check ? 'to rewrite' : 'rewritten'}: ${file}`);
  console.log(`${changed.length} file(s) ${check ? 'to rewrite' : 'rewritten'}.`);
  if (check && changed.length > 0) process.exit(1);
}

/** Whether a declaration of the file reaches into another area (so the file needs rewriting). */
function isInternal(file: string, decl: ModuleDeclaration): boolean {
  const target = resolveSpecifier(ROOT, file, decl.specifier);
  return target !== undefined && reachesIntoArea(file, target);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
