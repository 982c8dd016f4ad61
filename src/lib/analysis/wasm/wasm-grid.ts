import type { EmbeddingGrid } from '../../embeddings/index.ts';
import { AppError } from '../../errors.ts';
import { MAX_CLUSTERS } from '../limits.ts';
import { type BoundedFn, type BoundedKernel, boundedKernelBytes } from './kmeans-bounded-kernel.ts';
import { type AssignFn, CENTROID_GROUP, kmeansKernelBytes } from './kmeans-kernel.ts';

const PAGE = 65536;
const MAX_PAGES = 65536; // 4 GiB, the wasm32 ceiling
/** Threads that can work on one grid at once (each has its own accumulators). */
export const MAX_LANES = 4;
/** Bytes of one member's lower bounds in the bounded kernel: up to MAX_CLUSTERS, whole v128s. */
const LOWER_BYTES = Math.ceil(MAX_CLUSTERS / 4) * 16;
const align16 = (bytes: number): number => Math.ceil(bytes / 16) * 16;

/** One thread's accumulators: f32 sums of a kernel call, their float64 total, counts, inertia. */
export interface LaneLayout {
  sums: number;
  sums64: number;
  counts: number;
  out: number;
}

/** Byte offsets of the bounded kernel's areas (see kernel-builder.ts for what each holds). */
export interface BoundedLayout {
  upper: number;
  lower: number;
  own: number;
  drift: number;
  cc: number;
  minCc: number;
  sums: number;
  counts: number;
  scored: number;
}

/** Byte offsets of the working areas that follow the embeddings in wasm memory. */
export interface WasmLayout {
  /** f32 |x|^2 per pixel (not per member), filled once with the copy. */
  norms: number;
  idx: number;
  xn: number;
  labels: number;
  dist: number;
  cent: number;
  cn: number;
  lanes: LaneLayout[];
  /** Only in copies for one thread (the bounded kernel is single-threaded). */
  bounded: BoundedLayout | undefined;
  end: number;
}

/** A grid's embeddings copied once into WebAssembly memory, with the k-means kernel bound to it. */
export interface WasmGrid {
  memory: WebAssembly.Memory;
  /** The kernel module, for helper threads to instantiate on the same (shared) memory. */
  module: WebAssembly.Module;
  layout: WasmLayout;
  assign: AssignFn;
  shared: boolean;
  /** |x|^2 per pixel in float64 (their f32 roundings are at layout.norms). */
  norms: Float64Array;
  /** The bounded kernel for k centroids (compiled on first use, then kept with the copy). */
  bounded(k: number): BoundedKernel;
}

function layoutFor(grid: EmbeddingGrid, shared: boolean): WasmLayout {
  const pixels = grid.width * grid.height;
  const kPad = MAX_CLUSTERS + CENTROID_GROUP;
  let at = align16(pixels * grid.dim * 4);
  const dimBytes = grid.dim * 4;
  const take = (bytes: number): number => {
    const start = at;
    at += align16(bytes);
    return start;
  };
  const norms = take(pixels * 4);
  const idx = take(pixels * 4);
  const xn = take(pixels * 4);
  const labels = take(pixels);
  const dist = take(pixels * 4);
  const cent = take(kPad * grid.dim * 4);
  const cn = take(kPad * 4);
  const lanes = Array.from({ length: MAX_LANES }, () => ({
    sums: take(kPad * grid.dim * 4),
    sums64: take(kPad * grid.dim * 8),
    counts: take(kPad * 4),
    out: take(8),
  }));
  const bounded = shared
    ? undefined
    : {
        upper: take(pixels * 4),
        lower: take(pixels * LOWER_BYTES),
        own: take(pixels * 4),
        drift: take(LOWER_BYTES),
        cc: take(MAX_CLUSTERS * LOWER_BYTES),
        minCc: take(MAX_CLUSTERS * 4),
        sums: take(MAX_CLUSTERS * dimBytes * 2),
        counts: take(MAX_CLUSTERS * 4),
        scored: take(4),
      };
  return { norms, idx, xn, labels, dist, cent, cn, lanes, bounded, end: at };
}

let simd: boolean | undefined;

/** Whether this engine runs the SIMD kernel (validated once, never throws). */
export function wasmSimdAvailable(): boolean {
  if (simd === undefined) {
    try {
      simd =
        typeof WebAssembly === 'object' &&
        WebAssembly.validate(kmeansKernelBytes({ initialPages: 1, maximumPages: 1, shared: false }));
    } catch {
      simd = false;
    }
  }
  return simd;
}

// One copy per grid (keyed by its data array) and kind of memory, reused by every later run:
// the grid is treated as immutable once analysed.
const copies = {
  plain: new WeakMap<Float32Array, WasmGrid>(),
  shared: new WeakMap<Float32Array, WasmGrid>(),
};

/**
 * The grid's wasm copy, made on first use; `shared` puts it in a SharedArrayBuffer-backed
 * memory that helper threads can work on. Throws too-large past the 4 GiB wasm32 limit.
 */
export function wasmGrid(grid: EmbeddingGrid, shared = false): WasmGrid {
  const cache = shared ? copies.shared : copies.plain;
  const cached = cache.get(grid.data);
  if (cached) return cached;
  const layout = layoutFor(grid, shared);
  const pages = Math.ceil(layout.end / PAGE);
  if (pages > MAX_PAGES) {
    throw new AppError('too-large', 'The embeddings exceed the 4 GiB WebAssembly memory limit.');
  }
  let memory: WebAssembly.Memory;
  try {
    memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared });
  } catch (error) {
    throw new AppError(
      'too-large',
      `Could not reserve ${Math.round(layout.end / 2 ** 20)} MiB for k-means.`,
      {
        cause: error,
      },
    );
  }
  new Float32Array(memory.buffer, 0, grid.data.length).set(grid.data);
  const limits = { initialPages: pages, maximumPages: pages, shared };
  const module = new WebAssembly.Module(kmeansKernelBytes(limits));
  const instance = new WebAssembly.Instance(module, { env: { memory } });
  const kernels = new Map<number, BoundedKernel>();
  const made: WasmGrid = {
    memory,
    module,
    layout,
    assign: instance.exports.assign as AssignFn,
    shared,
    norms: squaredNorms(grid, new Float32Array(memory.buffer, layout.norms, grid.width * grid.height)),
    bounded(k) {
      let kernel = kernels.get(k);
      if (!kernel) {
        const bytes = boundedKernelBytes(k, grid.dim, limits);
        const exports = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } }).exports;
        kernel = {
          searchAll: exports.searchAll as BoundedFn,
          boundedPass: exports.boundedPass as BoundedFn,
          ownScores: exports.ownScores as BoundedFn,
        };
        kernels.set(k, kernel);
      }
      return kernel;
    },
  };
  cache.set(grid.data, made);
  return made;
}

/** |x|^2 of every pixel in float64, returned, and rounded to f32 into `out`. */
function squaredNorms(grid: EmbeddingGrid, out: Float32Array): Float64Array {
  const { data, dim } = grid;
  const norms = new Float64Array(out.length);
  for (let p = 0, base = 0; p < out.length; p++, base += dim) {
    let s = 0;
    for (let d = 0; d < dim; d++) s += data[base + d]! * data[base + d]!;
    norms[p] = s;
    out[p] = s;
  }
  return norms;
}
