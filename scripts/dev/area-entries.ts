/**
 * Which files are an area's public surface. Every folder src/lib/<area>/ shows what other code
 * may use through its `index.ts`; a few areas have a second, named entry where one surface
 * would pull a heavy library into bundles that must not load it (see each entry's header).
 * The architecture test and the `imports-via-index` codemod both read this list.
 */

/** The named extra entries besides `index.ts`, per area, as paths inside the area's folder. */
export const EXTRA_ENTRIES: Readonly<Record<string, readonly string[]>> = {
  // The CPU k-means steps gpu/ reuses: analysis/index.ts imports gpu/, so gpu/ must not import it.
  analysis: ['kmeans-steps.ts'],
  // The ONNX Runtime sessions: only the encoder worker and Node tools load onnxruntime-web.
  encoder: ['ort.ts'],
};

/** Where code is scanned for imports, relative to the repository root. */
export const SOURCE_ROOTS = ['src', 'workers', 'scripts', 'tests', 'bench', 'models', 'server'] as const;

/**
 * The library area a repository-relative path belongs to: `src/lib/<area>/…` is `<area>`, a
 * single-file area `src/lib/<name>.ts` is `<name>`, anything else (app, components, workers,
 * tests, scripts, bench) belongs to no library area.
 */
export function libAreaOf(path: string): string | undefined {
  const parts = path.split('/');
  if (parts[0] !== 'src' || parts[1] !== 'lib' || parts.length < 3) return undefined;
  return parts.length > 3 ? parts[2] : parts[2]!.replace(/\.(ts|svelte)$/, '');
}

/**
 * The area whose internals an importing file may name: its own library area, or for a unit
 * test under `tests/<area>/` the area it tests (white-box tests mirror src/lib). Kept narrow on
 * purpose: in Node (Vitest, tsx) an index loads every module of its area, with no tree shaking;
 * eight small unit test files importing through indexes took 9-10 s to import instead of 1-2 s.
 */
export function importerAreaOf(path: string): string | undefined {
  const parts = path.split('/');
  if (parts[0] === 'tests' && parts.length > 2) return parts[1];
  return libAreaOf(path);
}

/** Whether an area is a folder (with an index) rather than a single file such as src/lib/errors.ts. */
export function isFolderArea(path: string): boolean {
  const parts = path.split('/');
  return parts[0] === 'src' && parts[1] === 'lib' && parts.length > 3;
}

/** The entry files of a folder area, repository-relative. */
export function entryFiles(area: string): string[] {
  return ['index.ts', ...(EXTRA_ENTRIES[area] ?? [])].map((name) => `src/lib/${area}/${name}`);
}

/**
 * Whether a static import from `from` to `to` (both repository-relative) reaches into another
 * area's internal file: `to` lies in a folder area other than `from`'s and is not one of that
 * area's entries.
 */
export function reachesIntoArea(from: string, to: string): boolean {
  if (!isFolderArea(to)) return false;
  const area = libAreaOf(to)!;
  if (importerAreaOf(from) === area) return false;
  return !entryFiles(area).includes(to);
}
