import type { EmbeddingGrid } from '../../embeddings/index.ts';
import type { Assigner } from '../kmeans-assign.ts';
import { runLane } from './lane.ts';
import { laneJob, loadMembers, uploadCentroids } from './lloyd-pass.ts';
import { wasmGrid } from './wasm-grid.ts';

/**
 * Assigner running the WebAssembly SIMD kernel (dimension a multiple of 4). Distances use
 * |x|^2 - 2 x.c + |c|^2 in float32, so near-ties may resolve differently from the float64
 * JS assigner; sums are accumulated in float32 over at most LLOYD_CHUNK members, then in
 * float64. One lane of kmeansParallel's pass, over every member.
 */
export function createWasmAssigner(grid: EmbeddingGrid, members: Uint32Array): Assigner {
  const w = wasmGrid(grid);
  const { dim } = grid;
  const { labels, dist } = loadMembers(w, members);
  const lane = w.layout.lanes[0]!;
  return {
    labels,
    distances: () => dist,
    labelsChanged() {},
    assign(centroids, sums, counts) {
      const k = counts.length;
      const kPad = uploadCentroids(w, centroids, k, dim);
      const job = laneJob(w, lane, { from: 0, to: members.length, k, kPad, dim });
      const pass = runLane(w.assign, w.memory.buffer, job);
      sums.set(new Float64Array(w.memory.buffer, lane.sums64, k * dim));
      counts.set(new Int32Array(w.memory.buffer, lane.counts, k));
      return pass;
    },
    dispose() {},
  };
}
