import { CENTROID_GROUP } from './kmeans-kernel.ts';
import type { LaneJob } from './lane.ts';
import type { LaneLayout, WasmGrid } from './wasm-grid.ts';

/**
 * Setting up the Lloyd kernel's passes in a grid's wasm memory, the same for the one-thread
 * assigner (wasm-assigner.ts) and kmeansParallel's lanes: both then run runLane (lane.ts).
 */

/** Members per kernel call: the f32 sums of one call are folded into float64 after it. */
export const LLOYD_CHUNK = 8192;

/**
 * Copies the member list and each member's |x|^2 into wasm memory, every label unassigned;
 * returns the per-member labels and squared distances the kernel writes there.
 */
export function loadMembers(w: WasmGrid, members: Uint32Array): { labels: Uint8Array; dist: Float32Array } {
  const { buffer } = w.memory;
  const n = members.length;
  new Uint32Array(buffer, w.layout.idx, n).set(members);
  const norms = new Float32Array(buffer, w.layout.norms, w.norms.length);
  const xn = new Float32Array(buffer, w.layout.xn, n);
  for (let j = 0; j < n; j++) xn[j] = norms[members[j]!]!;
  return {
    labels: new Uint8Array(buffer, w.layout.labels, n).fill(255),
    dist: new Float32Array(buffer, w.layout.dist, n),
  };
}

/**
 * Uploads the centroids and their |c|^2 in float32, k padded to the kernel's group of
 * CENTROID_GROUP with pads whose |c|^2 is +Inf (they never win); returns the padded k.
 */
export function uploadCentroids(w: WasmGrid, centroids: Float64Array, k: number, dim: number): number {
  const kPad = Math.ceil(k / CENTROID_GROUP) * CENTROID_GROUP;
  const cent = new Float32Array(w.memory.buffer, w.layout.cent, kPad * dim);
  const cn = new Float32Array(w.memory.buffer, w.layout.cn, kPad);
  cent.fill(0);
  for (let i = 0; i < k * dim; i++) cent[i] = centroids[i]!;
  for (let c = 0; c < kPad; c++) {
    let s = 0;
    for (let d = 0; d < dim; d++) s += cent[c * dim + d]! * cent[c * dim + d]!;
    cn[c] = c < k ? s : Number.POSITIVE_INFINITY;
  }
  return kPad;
}

/** The pass over members [from, to) with `lane`'s accumulators, for runLane. */
export function laneJob(
  w: WasmGrid,
  lane: LaneLayout,
  part: { from: number; to: number; k: number; kPad: number; dim: number },
): LaneJob {
  const { idx, xn, labels, dist, cent, cn } = w.layout;
  return { ...lane, ...part, chunk: LLOYD_CHUNK, idx, xn, labels, dist, cent, cn };
}
