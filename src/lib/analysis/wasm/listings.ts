import { boundedKernelFunctions } from './kmeans-bounded-kernel.ts';
import { kmeansKernelFunctions } from './kmeans-kernel.ts';
import { type LocalNames, toWat } from './to-wat.ts';
import { buildModule, type WasmFunction } from './wasm-bytes.ts';

/**
 * The k-means kernels as WebAssembly text, for review: the golden listings beside the emitters
 * (kmeans-kernel.wat, kmeans-bounded-kernel.k5-dim8.wat) are these, and
 * tests/analysis/kmeans-wat.test.ts checks the emitters still produce exactly them.
 */

const MEMORY = { initialPages: 1, maximumPages: 1, shared: false };

const REGENERATE = 'Regenerate: npx vitest run --project unit tests/analysis/kmeans-wat.test.ts -u';

/** The functions assembled as the app does, listed with their parameters' and locals' names. */
function listing(functions: WasmFunction[], comment: string[]): string {
  const names: LocalNames = Object.fromEntries(functions.map((f) => [f.exportName, f.localNames ?? []]));
  return toWat(buildModule(functions, MEMORY), names, comment);
}

/** The Lloyd kernel (kmeans-kernel.ts): one module for every k and dim. */
export function lloydListing(): string {
  return listing(kmeansKernelFunctions(), [
    'The Lloyd k-means kernel as src/lib/analysis/wasm/kmeans-kernel.ts emits it (disassembled',
    'by to-wat.ts; the memory limits vary per grid). Not compiled from here: the emitter is the',
    `source and this listing is checked to match it. ${REGENERATE}`,
  ]);
}

/** The bounded (Elkan) kernel (kmeans-bounded-kernel.ts), specialised to k centroids of dim values. */
export function boundedListing(k: number, dim: number): string {
  return listing(boundedKernelFunctions(k, dim), [
    'The bounded k-means kernel as src/lib/analysis/wasm/kmeans-bounded-kernel.ts emits it for',
    `k = ${k} and dim = ${dim} (disassembled by to-wat.ts): the emitter unrolls the loops over`,
    'centroids and makes offsets constant per (k, dim), so each k and dim has its own module;',
    `this one shows the shape. Checked to match the emitter. ${REGENERATE}`,
  ]);
}
