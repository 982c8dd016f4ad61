import type { EmbeddingGrid } from '../embeddings/index.ts';
import { throwIfAborted } from '../errors.ts';
import {
  initialCentroids,
  type KMeansOptions,
  type KMeansResult,
  kmeans,
  kmeansSettings,
  LloydLoop,
  scatterLabels,
  validMembers,
} from './kmeans.ts';
import { reseedEmpty } from './kmeans-reseed.ts';
import { availableThreads, type Helper, startHelpers } from './wasm/kmeans-threads.ts';
import { runLane } from './wasm/lane.ts';
import { LLOYD_CHUNK, laneJob, loadMembers, uploadCentroids } from './wasm/lloyd-pass.ts';
import { MAX_LANES, wasmGrid, wasmSimdAvailable } from './wasm/wasm-grid.ts';

export interface ParallelKMeansOptions extends KMeansOptions {
  /**
   * Threads including this one (at most 4 and the cores; 1 where shared memory is not
   * allowed). Default 1: on the 2-core development machines, busy with other work, two threads
   * measured slower than one (bench extra `threads2_s`), so threading is opt-in until measured
   * faster on an idle multi-core machine.
   */
  threads?: number;
}

/**
 * kmeans() with each Lloyd pass split across threads (Web Workers or worker_threads) that
 * share the grid's WebAssembly memory: thread t takes a contiguous range of the valid pixels
 * and its own accumulators; this thread sums them in a fixed order, so the result does not
 * depend on timing. Same seeding, update and re-seeding as kmeans() with kernel 'simd-lloyd':
 * same labels (kmeans()'s default, with bounds and float64 sums, differs only on near-ties).
 * Falls back to kmeans() (with bounds) for one thread, and where threads or SIMD are
 * unavailable or the dimension is not a multiple of 4.
 */
export async function kmeansParallel(
  grid: EmbeddingGrid,
  options: ParallelKMeansOptions,
): Promise<KMeansResult> {
  const s = kmeansSettings(options);
  const threads = Math.min(options.threads ?? 1, await availableThreads(MAX_LANES));
  if (threads < 2 || s.kernel === 'js' || grid.dim % 4 !== 0 || !wasmSimdAvailable())
    return kmeans(grid, options);
  const { onProgress, signal } = options;
  throwIfAborted(signal, 'Clustering');
  const { dim } = grid;
  const members = validMembers(grid, s.k);
  const centroids = initialCentroids(grid, members, s);
  const w = wasmGrid(grid, true);
  const buffer = w.memory.buffer;
  const n = members.length;
  const state = loadMembers(w, members);
  const helpers: Helper[] = await startHelpers(threads - 1, w.module, w.memory);
  const sums = new Float64Array(s.k * dim);
  const counts = new Uint32Array(s.k);
  const per = Math.ceil(n / threads / LLOYD_CHUNK) * LLOYD_CHUNK;
  const loop = new LloydLoop(s, centroids, sums, counts, onProgress);
  try {
    for (let it = 1; it <= s.maxIterations; it++) {
      throwIfAborted(signal, 'Clustering');
      const kPad = uploadCentroids(w, centroids, s.k, dim);
      const jobs = w.layout.lanes
        .slice(0, threads)
        .map((lane, t) =>
          laneJob(w, lane, { from: Math.min(n, t * per), to: Math.min(n, (t + 1) * per), k: s.k, kPad, dim }),
        );
      const running = helpers.map((h, t) => h.run(jobs[t + 1]!));
      const passes = [runLane(w.assign, buffer, jobs[0]!), ...(await Promise.all(running))];
      sums.fill(0);
      counts.fill(0);
      let passInertia = 0;
      let changed = 0;
      jobs.forEach((job, t) => {
        const laneSums = new Float64Array(buffer, job.sums64, s.k * dim);
        const laneCounts = new Int32Array(buffer, job.counts, s.k);
        for (let i = 0; i < s.k * dim; i++) sums[i]! += laneSums[i]!;
        for (let c = 0; c < s.k; c++) counts[c]! += laneCounts[c]!;
        passInertia += passes[t]!.inertia;
        changed += passes[t]!.changed;
      });
      const reseed = reseedEmpty(grid, members, state, centroids, sums, counts);
      const inertia = passInertia - reseed.removed;
      if (loop.afterPass(it, { inertia, changed, reseeded: reseed.moved })) break;
    }
    return loop.result(scatterLabels(grid.width * grid.height, members, state.labels));
  } finally {
    for (const h of helpers) h.terminate();
  }
}
