import { P } from './kernel-builder.ts';
import { boundedKernelBytes } from './kmeans-bounded-kernel.ts';
import { kmeansKernelBytes } from './kmeans-kernel.ts';
import { toWat } from './to-wat.ts';

/**
 * The k-means kernels as WebAssembly text, for review: the golden listings beside the emitters
 * (kmeans-kernel.wat, kmeans-bounded-kernel.k5-dim8.wat) are these, and
 * tests/analysis/kmeans-wat.test.ts checks the emitters still produce exactly them. The names
 * live here, not in the emitters, so that the app's bundles do not carry them.
 */

const MEMORY = { initialPages: 1, maximumPages: 1, shared: false };

/** `assign`'s parameters then locals: kmeans-kernel.ts' constants IDX … CP4 in index order. */
const ASSIGN_NAMES = [
  ...['idx', 'n', 'dimBytes', 'data', 'cent', 'k', 'cn', 'xn', 'labels', 'dist', 'sums', 'counts', 'out'],
  ...['j', 'xp', 'c', 'cp', 'd', 'best', 'bc', 's', 'acc', 'inertia', 'changed', 'sp'],
  ...['acc2', 'cp2', 'acc3', 'cp3', 'acc4', 'cp4'],
];

/** The bounded kernel's parameters (kernel-builder.ts' P) in index order; its locals keep numbers. */
const BOUNDED_PARAMS = Object.entries(P)
  .sort(([, a], [, b]) => a - b)
  .map(([name]) => name.toLowerCase());

const REGENERATE = 'Regenerate: npx vitest run --project unit tests/analysis/kmeans-wat.test.ts -u';

/** The Lloyd kernel (kmeans-kernel.ts): one module for every k and dim. */
export function lloydListing(): string {
  return toWat(kmeansKernelBytes(MEMORY), { assign: ASSIGN_NAMES }, [
    'The Lloyd k-means kernel as src/lib/analysis/wasm/kmeans-kernel.ts emits it (disassembled',
    'by to-wat.ts; the memory limits vary per grid). Not compiled from here: the emitter is the',
    `source and this listing is checked to match it. ${REGENERATE}`,
  ]);
}

/** The bounded (Elkan) kernel (kmeans-bounded-kernel.ts), specialised to k centroids of dim values. */
export function boundedListing(k: number, dim: number): string {
  const names = { searchAll: BOUNDED_PARAMS, boundedPass: BOUNDED_PARAMS, ownScores: BOUNDED_PARAMS };
  return toWat(boundedKernelBytes(k, dim, MEMORY), names, [
    'The bounded k-means kernel as src/lib/analysis/wasm/kmeans-bounded-kernel.ts emits it for',
    `k = ${k} and dim = ${dim} (disassembled by to-wat.ts): the emitter unrolls the loops over`,
    'centroids and makes offsets constant per (k, dim), so each k and dim has its own module;',
    `this one shows the shape. Checked to match the emitter. ${REGENERATE}`,
  ]);
}
