import type { EmbeddingGrid } from '../embedding-grid.ts';
import type { Assigner } from '../kmeans-assign.ts';
import { CENTROID_GROUP } from './kmeans-kernel.ts';
import { wasmGrid } from './wasm-grid.ts';

/** Members per kernel call: the f32 sums of one call are folded into float64 after it. */
const CHUNK = 8192;

/**
 * Assigner running the WebAssembly SIMD kernel (dimension a multiple of 4). Distances use
 * |x|^2 - 2 x.c + |c|^2 in float32, so near-ties may resolve differently from the float64
 * JS assigner; sums are accumulated in float32 over at most CHUNK members, then in float64.
 */
export function createWasmAssigner(grid: EmbeddingGrid, members: Uint32Array): Assigner {
  const { memory, layout, assign } = wasmGrid(grid);
  const { dim } = grid;
  const n = members.length;
  const buffer = memory.buffer;
  new Uint32Array(buffer, layout.idx, n).set(members);
  const norms = new Float32Array(buffer, layout.norms, grid.width * grid.height);
  const xn = new Float32Array(buffer, layout.xn, n);
  for (let j = 0; j < n; j++) xn[j] = norms[members[j]!]!;
  const labels = new Uint8Array(buffer, layout.labels, n).fill(255);
  const dist = new Float32Array(buffer, layout.dist, n);
  const out = new Float64Array(buffer, layout.lanes[0]!.out, 1);
  return {
    labels,
    distances: () => dist,
    labelsChanged() {},
    assign(centroids, sums, counts) {
      const k = counts.length;
      // The kernel takes CENTROID_GROUP centroids per pass; pads have |c|^2 = +Inf, never win.
      const kPad = Math.ceil(k / CENTROID_GROUP) * CENTROID_GROUP;
      const cent = new Float32Array(buffer, layout.cent, kPad * dim);
      const cn = new Float32Array(buffer, layout.cn, kPad);
      const lane = layout.lanes[0]!;
      const fSums = new Float32Array(buffer, lane.sums, kPad * dim);
      const iCounts = new Int32Array(buffer, lane.counts, kPad);
      for (let i = 0; i < k * dim; i++) cent[i] = centroids[i]!;
      for (let c = 0; c < k; c++) {
        let s = 0;
        for (let d = 0; d < dim; d++) s += cent[c * dim + d]! * cent[c * dim + d]!;
        cn[c] = s;
      }
      if (kPad > k) {
        cent.fill(0, k * dim);
        cn.fill(Number.POSITIVE_INFINITY, k);
      }
      sums.fill(0);
      counts.fill(0);
      iCounts.fill(0);
      let inertia = 0;
      let changed = 0;
      for (let start = 0; start < n; start += CHUNK) {
        const len = Math.min(CHUNK, n - start);
        fSums.fill(0);
        changed += assign(
          layout.idx + start * 4,
          len,
          dim * 4,
          0,
          layout.cent,
          kPad,
          layout.cn,
          layout.xn + start * 4,
          layout.labels + start,
          layout.dist + start * 4,
          lane.sums,
          lane.counts,
          lane.out,
        );
        inertia += out[0]!;
        for (let i = 0; i < k * dim; i++) sums[i]! += fSums[i]!;
      }
      for (let c = 0; c < k; c++) counts[c] = iCounts[c]!;
      return { inertia, changed };
    },
    dispose() {},
  };
}
