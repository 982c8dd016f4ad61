import { AppError } from '../../errors.ts';
import type { EmbeddingGrid } from '../embedding-grid.ts';
import { MAX_CLUSTERS } from '../limits.ts';
import { type AssignFn, CENTROID_GROUP, kmeansKernelBytes } from './kmeans-kernel.ts';

const PAGE = 65536;
const MAX_PAGES = 65536; // 4 GiB, the wasm32 ceiling
/** Threads that can work on one grid at once (each has its own accumulators). */
export const MAX_LANES = 4;
const align16 = (bytes: number): number => Math.ceil(bytes / 16) * 16;

/** One thread's accumulators: f32 sums of a kernel call, their float64 total, counts, inertia. */
export interface LaneLayout {
  sums: number;
  sums64: number;
  counts: number;
  out: number;
}

/** Byte offsets of the working areas that follow the embeddings in wasm memory. */
export interface WasmLayout {
  idx: number;
  xn: number;
  labels: number;
  dist: number;
  cent: number;
  cn: number;
  lanes: LaneLayout[];
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
}

function layoutFor(grid: EmbeddingGrid): WasmLayout {
  const pixels = grid.width * grid.height;
  const kPad = MAX_CLUSTERS + CENTROID_GROUP;
  let at = align16(pixels * grid.dim * 4);
  const take = (bytes: number): number => {
    const start = at;
    at += align16(bytes);
    return start;
  };
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
  return { idx, xn, labels, dist, cent, cn, lanes, end: at };
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
  const layout = layoutFor(grid);
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
  const module = new WebAssembly.Module(
    kmeansKernelBytes({ initialPages: pages, maximumPages: pages, shared }),
  );
  const instance = new WebAssembly.Instance(module, { env: { memory } });
  const made: WasmGrid = { memory, module, layout, assign: instance.exports.assign as AssignFn, shared };
  cache.set(grid.data, made);
  return made;
}
