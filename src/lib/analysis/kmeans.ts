import type { EmbeddingGrid } from '../embeddings/index.ts';
import { AppError, throwIfAborted } from '../errors.ts';
import { type Assigner, createJsAssigner } from './kmeans-assign.ts';
import { createBoundedAssigner } from './kmeans-bounds.ts';
import { reseedEmpty } from './kmeans-reseed.ts';
import { MAX_CLUSTERS, MIN_CLUSTERS, NO_LABEL } from './limits.ts';
import { mulberry32, sampleWithoutReplacement, seedKMeansPlusPlus } from './random.ts';
import { createWasmAssigner } from './wasm/wasm-assigner.ts';
import { wasmSimdAvailable } from './wasm/wasm-grid.ts';

export { MAX_CLUSTERS, MIN_CLUSTERS, NO_LABEL };

export interface KMeansOptions {
  k: number;
  seed: number;
  maxIterations?: number;
  /** Stop once the relative change of inertia between checks falls below this. */
  tolerance?: number;
  /** Test for convergence every this many iterations (a GPU pass reads back only then). */
  checkEvery?: number;
  /** Valid pixels drawn at random for k-means++ seeding (which is O(k * sample * dim)). */
  sampleSize?: number;
  /**
   * 'auto': WebAssembly SIMD with Elkan's bounds where it applies (the labels of computing
   * every distance, for a fraction of the work); 'simd-lloyd': the SIMD Lloyd kernel, every
   * distance every pass (what kmeansParallel's threads run); 'js': the plain-JS float64 loop.
   */
  kernel?: KMeansKernel;
  /** Called after every iteration with its inertia (sum of squared distances). */
  onProgress?: (iteration: number, inertia: number) => void;
  /** Checked between iterations; when fired, kmeans throws AppError 'aborted'. */
  signal?: AbortSignal;
}

export type KMeansKernel = 'auto' | 'simd-lloyd' | 'js';

export interface KMeansResult {
  /** Per pixel cluster 0..k-1, NO_LABEL (255) for invalid pixels. */
  labels: Uint8Array;
  /** k * dim values. Each valid pixel's label is its nearest centroid among these. */
  centroids: Float32Array;
  /** Sum over valid pixels of the squared Euclidean distance to their centroid. */
  inertia: number;
  iterations: number;
  converged: boolean;
  /** Valid pixels whose cluster changed in the last pass (0 at a fixed point). */
  changed: number;
}

/**
 * Lloyd passes before k-means stops unconverged. 30 left k = 5 on a 1-megapixel scene
 * "not converged" with pixels still moving; most runs stop far earlier (inertia changing by
 * less than `tolerance`), so a higher cap costs only the runs that need it.
 */
export const DEFAULT_MAX_ITERATIONS = 100;

/** Validated options with defaults filled in. */
export type KMeansSettings = Required<Omit<KMeansOptions, 'onProgress' | 'signal'>>;

export function kmeansSettings(options: KMeansOptions): KMeansSettings {
  const {
    k,
    seed,
    maxIterations = DEFAULT_MAX_ITERATIONS,
    tolerance = 1e-4,
    checkEvery = 1,
    sampleSize = 20000,
  } = options;
  if (!Number.isInteger(k) || k < MIN_CLUSTERS || k > MAX_CLUSTERS) {
    throw new AppError('bad-input', `Number of clusters must be a whole number from 2 to 20, got ${k}.`);
  }
  if (!Number.isInteger(maxIterations) || maxIterations < 1) {
    throw new AppError('bad-input', `maxIterations must be a positive integer, got ${maxIterations}.`);
  }
  if (!(tolerance >= 0)) throw new AppError('bad-input', `tolerance must be >= 0, got ${tolerance}.`);
  if (!Number.isInteger(checkEvery) || checkEvery < 1) {
    throw new AppError('bad-input', `checkEvery must be a positive integer, got ${checkEvery}.`);
  }
  if (!Number.isInteger(sampleSize) || sampleSize < 1) {
    throw new AppError('bad-input', `sampleSize must be a positive integer, got ${sampleSize}.`);
  }
  return { k, seed, maxIterations, tolerance, checkEvery, sampleSize, kernel: options.kernel ?? 'auto' };
}

/** Dense list of valid pixels (the hot loops then never test the mask); checks n >= k. */
export function validMembers(grid: EmbeddingGrid, k: number): Uint32Array {
  const { valid } = grid;
  let n = 0;
  for (let p = 0; p < valid.length; p++) if (valid[p] !== 0) n++;
  if (n < k) {
    throw new AppError('bad-input', `Cannot make ${k} clusters from ${n} valid pixel${n === 1 ? '' : 's'}.`);
  }
  const members = new Uint32Array(n);
  for (let p = 0, j = 0; p < valid.length; p++) if (valid[p] !== 0) members[j++] = p;
  return members;
}

/** Seeded k-means++ on a random sample of the members: the same seed, the same centroids. */
export function initialCentroids(grid: EmbeddingGrid, members: Uint32Array, s: KMeansSettings): Float64Array {
  const rng = mulberry32(s.seed);
  const sample = sampleWithoutReplacement(
    members,
    Math.min(members.length, Math.max(s.sampleSize, s.k)),
    rng,
  );
  return seedKMeansPlusPlus(grid.data, grid.dim, sample, s.k, rng);
}

/** Whether Lloyd stops after `it` iterations, given inertia at the previous check. */
function shouldStop(
  it: number,
  changed: number,
  inertia: number,
  previous: number,
  s: KMeansSettings,
): boolean {
  if (it % s.checkEvery !== 0) return false;
  return (
    changed === 0 || (Number.isFinite(previous) && Math.abs(previous - inertia) < s.tolerance * previous)
  );
}

/** Moves each centroid to the mean of its members (an empty one keeps its place). */
export function updateCentroids(centroids: Float64Array, sums: Float64Array, counts: Uint32Array): void {
  const dim = centroids.length / counts.length;
  for (let c = 0; c < counts.length; c++) {
    const count = counts[c]!;
    if (count === 0) continue;
    for (let d = 0, o = c * dim; d < dim; d++) centroids[o + d] = sums[o + d]! / count;
  }
}

/** What one Lloyd pass reports once empty clusters are re-seeded. */
export interface LloydPass {
  /** The assignment's inertia less what re-seeding removed. */
  inertia: number;
  /** Labels the assignment changed. */
  changed: number;
  /** Members re-seeding moved into empty clusters (then the pass is no fixed point). */
  reseeded: number;
}

/**
 * The bookkeeping between Lloyd passes: progress, the convergence test and the centroid
 * update. kmeans, kmeansParallel and kmeansGpu differ only in how a pass runs (in line, on
 * worker lanes, on the GPU), so they share this, and with it when they stop.
 */
export class LloydLoop {
  inertia = Number.POSITIVE_INFINITY;
  iterations = 0;
  converged = false;
  /** Labels the last pass changed. */
  changed = 0;
  /** Inertia at the last convergence check. */
  private previous = Number.POSITIVE_INFINITY;

  constructor(
    private readonly s: KMeansSettings,
    /** Moved to their members' means (`sums` / `counts`, filled by each pass) between passes. */
    readonly centroids: Float64Array,
    private readonly sums: Float64Array,
    private readonly counts: Uint32Array,
    private readonly onProgress?: (iteration: number, inertia: number) => void,
  ) {}

  /**
   * Records pass `it` (from 1). True when the loop ends here (converged, or the last pass):
   * the centroids are then those the pass assigned with, so labels, centroids and inertia
   * agree. Otherwise the centroids move for the next pass.
   */
  afterPass(it: number, pass: LloydPass): boolean {
    const { s } = this;
    this.inertia = pass.inertia;
    this.iterations = it;
    this.changed = pass.changed;
    this.onProgress?.(it, pass.inertia);
    if (pass.reseeded === 0 && shouldStop(it, pass.changed, pass.inertia, this.previous, s)) {
      this.converged = true;
      return true;
    }
    if (it === s.maxIterations) return true;
    updateCentroids(this.centroids, this.sums, this.counts);
    if (it % s.checkEvery === 0) this.previous = pass.inertia;
    return false;
  }

  result(labels: Uint8Array): KMeansResult {
    const { inertia, iterations, converged, changed } = this;
    return { labels, centroids: Float32Array.from(this.centroids), inertia, iterations, converged, changed };
  }
}

/** Per-member labels scattered back to a per-pixel map, NO_LABEL elsewhere. */
export function scatterLabels(pixels: number, members: Uint32Array, memberLabels: Uint8Array): Uint8Array {
  const labels = new Uint8Array(pixels).fill(NO_LABEL);
  for (let j = 0; j < members.length; j++) labels[members[j]!] = memberLabels[j]!;
  return labels;
}

function createAssigner(grid: EmbeddingGrid, members: Uint32Array, kernel: KMeansKernel): Assigner {
  if (kernel === 'js' || grid.dim % 4 !== 0 || !wasmSimdAvailable()) return createJsAssigner(grid, members);
  return kernel === 'auto' ? createBoundedAssigner(grid, members) : createWasmAssigner(grid, members);
}

/** Re-seeds empty clusters (rare), asking the assigner for exact distances only then. */
function reseedIfEmpty(
  grid: EmbeddingGrid,
  members: Uint32Array,
  assigner: Assigner,
  centroids: Float64Array,
  sums: Float64Array,
  counts: Uint32Array,
): { moved: number; removed: number } {
  if (!counts.includes(0)) return { moved: 0, removed: 0 };
  const state = { labels: assigner.labels, dist: assigner.distances() };
  const reseed = reseedEmpty(grid, members, state, centroids, sums, counts);
  if (reseed.moved > 0) assigner.labelsChanged();
  return reseed;
}

/**
 * Seeded k-means (squared Euclidean) on the CPU. k-means++ seeding on a random sample of
 * valid pixels, then Lloyd iterations over all valid pixels. When the dimension is a multiple
 * of 4 a WebAssembly SIMD kernel assigns and accumulates in one pass, and Elkan's bounds skip
 * the distances that provably cannot change a label (most of them after a few passes), so
 * each pass gives exactly Lloyd's labels for a fraction of the work. The returned centroids
 * are those the final assignment used, so labels, centroids and inertia agree. Same seed and
 * input, same labels.
 */
export function kmeans(grid: EmbeddingGrid, options: KMeansOptions): KMeansResult {
  const s = kmeansSettings(options);
  const { onProgress, signal } = options;
  throwIfAborted(signal, 'Clustering');
  const members = validMembers(grid, s.k);
  const centroids = initialCentroids(grid, members, s);
  const assigner = createAssigner(grid, members, s.kernel);
  const sums = new Float64Array(s.k * grid.dim);
  const counts = new Uint32Array(s.k);
  const loop = new LloydLoop(s, centroids, sums, counts, onProgress);
  try {
    for (let it = 1; it <= s.maxIterations; it++) {
      throwIfAborted(signal, 'Clustering');
      const pass = assigner.assign(centroids, sums, counts);
      const reseed = reseedIfEmpty(grid, members, assigner, centroids, sums, counts);
      const inertia = pass.inertia - reseed.removed;
      if (loop.afterPass(it, { inertia, changed: pass.changed, reseeded: reseed.moved })) break;
    }
    return loop.result(scatterLabels(grid.width * grid.height, members, assigner.labels));
  } finally {
    assigner.dispose();
  }
}
