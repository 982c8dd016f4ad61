import type { AssignFn } from './kmeans-kernel.ts';
import type { LaneLayout, WasmLayout } from './wasm-grid.ts';

/**
 * One thread's share of a Lloyd pass: members [from, to) in calls of `chunk`, with the
 * accumulators of its `lane` and the grid's member and centroid areas (byte offsets).
 */
export interface LaneJob
  extends LaneLayout,
    Pick<WasmLayout, 'idx' | 'xn' | 'labels' | 'dist' | 'cent' | 'cn'> {
  from: number;
  to: number;
  chunk: number;
  dim: number;
  k: number;
  kPad: number;
}

/**
 * Runs the kernel over a member range in calls of `job.chunk` members, folding each call's
 * float32 sums into the lane's float64 sums. Self-contained (no outer references) because
 * helper threads get its source text: see kmeans-threads.ts.
 */
export function runLane(
  assign: AssignFn,
  buffer: ArrayBufferLike,
  job: LaneJob,
): { changed: number; inertia: number } {
  const f32 = new Float32Array(buffer, job.sums, job.kPad * job.dim);
  const f64 = new Float64Array(buffer, job.sums64, job.k * job.dim);
  const counts = new Int32Array(buffer, job.counts, job.kPad);
  const out = new Float64Array(buffer, job.out, 1);
  f64.fill(0);
  counts.fill(0);
  let changed = 0;
  let inertia = 0;
  for (let start = job.from; start < job.to; start += job.chunk) {
    const len = Math.min(job.chunk, job.to - start);
    f32.fill(0);
    changed += assign(
      job.idx + start * 4,
      len,
      job.dim * 4,
      0,
      job.cent,
      job.kPad,
      job.cn,
      job.xn + start * 4,
      job.labels + start,
      job.dist + start * 4,
      job.sums,
      job.counts,
      job.out,
    );
    inertia += out[0]!;
    for (let i = 0; i < job.k * job.dim; i++) f64[i]! += f32[i]!;
  }
  return { changed, inertia };
}
