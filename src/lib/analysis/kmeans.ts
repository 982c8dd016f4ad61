import { AppError, throwIfAborted } from '../errors.ts';
import type { EmbeddingGrid } from './embedding-grid.ts';
import { mulberry32, sampleWithoutReplacement, seedKMeansPlusPlus } from './random.ts';

/** Label given to invalid pixels. Labels are bytes, so k is capped well below it. */
export const NO_LABEL = 255;
export const MIN_CLUSTERS = 2;
export const MAX_CLUSTERS = 20;

export interface KMeansOptions {
  k: number;
  seed: number;
  maxIterations?: number;
  /** Stop once the relative change of inertia between iterations falls below this. */
  tolerance?: number;
  /** Valid pixels drawn at random for k-means++ seeding (which is O(k * sample * dim)). */
  sampleSize?: number;
  /** Called after every iteration with its inertia (sum of squared distances). */
  onProgress?: (iteration: number, inertia: number) => void;
  /** Checked between iterations; when fired, kmeans throws AppError 'aborted'. */
  signal?: AbortSignal;
}

export interface KMeansResult {
  /** Per pixel cluster 0..k-1, NO_LABEL (255) for invalid pixels. */
  labels: Uint8Array;
  /** k * dim values. Each valid pixel's label is its nearest centroid among these. */
  centroids: Float32Array;
  /** Sum over valid pixels of the squared Euclidean distance to their centroid. */
  inertia: number;
  iterations: number;
  converged: boolean;
}

/**
 * Seeded k-means (squared Euclidean). k-means++ seeding on a random sample of valid pixels,
 * then Lloyd iterations over all valid pixels; assignment and centroid accumulation share
 * one pass so each iteration streams the embeddings once. The returned centroids are those
 * the final assignment used, so labels, centroids and inertia agree exactly. The same seed
 * and input always give the same labels.
 */
export function kmeans(grid: EmbeddingGrid, options: KMeansOptions): KMeansResult {
  const { k, seed, maxIterations = 30, tolerance = 1e-4, sampleSize = 20000, onProgress, signal } = options;
  if (!Number.isInteger(k) || k < MIN_CLUSTERS || k > MAX_CLUSTERS) {
    throw new AppError('bad-input', `Number of clusters must be a whole number from 2 to 20, got ${k}.`);
  }
  if (!Number.isInteger(maxIterations) || maxIterations < 1) {
    throw new AppError('bad-input', `maxIterations must be a positive integer, got ${maxIterations}.`);
  }
  if (!(tolerance >= 0)) throw new AppError('bad-input', `tolerance must be >= 0, got ${tolerance}.`);
  if (!Number.isInteger(sampleSize) || sampleSize < 1) {
    throw new AppError('bad-input', `sampleSize must be a positive integer, got ${sampleSize}.`);
  }
  throwIfAborted(signal, 'Clustering');

  const { data, dim, valid } = grid;
  const pixels = grid.width * grid.height;
  let n = 0;
  for (let p = 0; p < pixels; p++) if (valid[p] !== 0) n++;
  if (n < k) {
    throw new AppError('bad-input', `Cannot make ${k} clusters from ${n} valid pixel${n === 1 ? '' : 's'}.`);
  }
  // Dense list of valid pixels: the hot loop then never tests the mask.
  const members = new Uint32Array(n);
  for (let p = 0, j = 0; p < pixels; p++) if (valid[p] !== 0) members[j++] = p;

  const rng = mulberry32(seed);
  const sample = sampleWithoutReplacement(members, Math.min(n, Math.max(sampleSize, k)), rng);
  const centroids = seedKMeansPlusPlus(data, dim, sample, k, rng);

  const state: LloydState = {
    data,
    dim,
    members,
    centroids,
    labels: new Uint8Array(pixels).fill(NO_LABEL),
    dist: new Float32Array(n),
    sums: new Float64Array(k * dim),
    counts: new Uint32Array(k),
  };
  const { sums, counts } = state;
  let inertia = Number.POSITIVE_INFINITY;
  let previous = Number.POSITIVE_INFINITY;
  let iterations = 0;
  let converged = false;
  for (let it = 1; it <= maxIterations; it++) {
    throwIfAborted(signal, 'Clustering');
    sums.fill(0);
    counts.fill(0);
    const pass = assign(state);
    const reseed = reseedEmpty(state);
    inertia = pass.inertia - reseed.removed;
    iterations = it;
    onProgress?.(it, inertia);
    const stable = pass.changed === 0 || Math.abs(previous - inertia) < tolerance * previous;
    if (stable && reseed.moved === 0 && Number.isFinite(previous)) {
      converged = true;
      break;
    }
    if (it === maxIterations) break;
    for (let c = 0; c < k; c++) {
      const count = counts[c]!;
      if (count === 0) continue; // could not be re-seeded: keep its old position
      for (let d = 0, o = c * dim; d < dim; d++) centroids[o + d] = sums[o + d]! / count;
    }
    previous = inertia;
  }
  return { labels: state.labels, centroids: Float32Array.from(centroids), inertia, iterations, converged };
}

/** Working buffers of the Lloyd iterations, allocated once per run. */
interface LloydState {
  data: Float32Array;
  dim: number;
  /** Indices of the valid pixels. */
  members: Uint32Array;
  centroids: Float64Array;
  labels: Uint8Array;
  /** dist[j]: squared distance of pixel members[j] to its assigned centroid. */
  dist: Float32Array;
  sums: Float64Array;
  counts: Uint32Array;
}

/** Nearest-centroid assignment fused with accumulation of per-cluster sums and counts. */
function assign(state: LloydState): { inertia: number; changed: number } {
  const { data, dim, members, centroids, labels, dist, sums, counts } = state;
  const k = counts.length;
  let inertia = 0;
  let changed = 0;
  for (let j = 0; j < members.length; j++) {
    const p = members[j]!;
    const base = p * dim;
    let best = Number.POSITIVE_INFINITY;
    let bestC = 0;
    for (let c = 0, o = 0; c < k; c++, o += dim) {
      let s = 0;
      for (let d = 0; d < dim; d++) {
        const t = data[base + d]! - centroids[o + d]!;
        s += t * t;
      }
      if (s < best) {
        best = s;
        bestC = c;
      }
    }
    if (labels[p] !== bestC) {
      labels[p] = bestC;
      changed++;
    }
    dist[j] = best;
    inertia += best;
    counts[bestC]!++;
    for (let d = 0, o = bestC * dim; d < dim; d++) sums[o + d]! += data[base + d]!;
  }
  return { inertia, changed };
}

/**
 * Moves each empty cluster onto the pixel currently farthest from its centroid (first such
 * pixel on ties, so it is deterministic), taking that pixel from a cluster that keeps at
 * least one member. Returns how many pixels moved and the inertia that removed.
 */
function reseedEmpty(state: LloydState): { moved: number; removed: number } {
  const { data, dim, members, centroids, labels, dist, sums, counts } = state;
  let moved = 0;
  let removed = 0;
  for (let c = 0; c < counts.length; c++) {
    if (counts[c] !== 0) continue;
    let far = -1;
    let farDist = 0;
    for (let j = 0; j < members.length; j++) {
      if (dist[j]! > farDist && counts[labels[members[j]!]!]! > 1) {
        far = j;
        farDist = dist[j]!;
      }
    }
    if (far < 0) continue; // every pixel sits on a centroid: fewer distinct points than k
    const p = members[far]!;
    const old = labels[p]!;
    const base = p * dim;
    for (let d = 0; d < dim; d++) {
      const x = data[base + d]!;
      sums[old * dim + d]! -= x;
      sums[c * dim + d] = x;
      centroids[c * dim + d] = x;
    }
    counts[old]!--;
    counts[c] = 1;
    labels[p] = c;
    dist[far] = 0;
    removed += farDist;
    moved++;
  }
  return { moved, removed };
}
