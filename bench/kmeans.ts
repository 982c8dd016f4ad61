import { kmeans as mlKmeans } from 'ml-kmeans';
import { kmeans, kmeansParallel, makeRandomGrid } from '../src/lib/analysis/index.ts';
import type { EmbeddingGrid } from '../src/lib/embeddings/index.ts';
import { type BenchEntry, log, median } from './report.ts';

export interface KMeansParams {
  grid: EmbeddingGrid;
  /** Seed makeRandomGrid built `grid` with (for the notes). */
  gridSeed: number;
  k: number;
  seed: number;
  iterations: number;
  /** Timed runs of the project's kmeans (ml-kmeans, being far slower, runs once). */
  runs: number;
}

/** Sum of squared distances of every pixel to its nearest centroid, so both results are scored alike. */
export function nearestInertia(data: Float32Array, dim: number, centroids: ArrayLike<number>): number {
  const k = centroids.length / dim;
  let total = 0;
  for (let base = 0; base < data.length; base += dim) {
    let best = Number.POSITIVE_INFINITY;
    for (let c = 0; c < k; c++) {
      let s = 0;
      for (let d = 0; d < dim; d++) {
        const t = data[base + d]! - centroids[c * dim + d]!;
        s += t * t;
      }
      if (s < best) best = s;
    }
    total += best;
  }
  return total;
}

/** ml-kmeans takes points as number[][]. */
function toRows(flat: Float32Array, dim: number): number[][] {
  const out: number[][] = [];
  for (let o = 0; o < flat.length; o += dim) out.push(Array.from(flat.subarray(o, o + dim)));
  return out;
}

export async function kmeansCpu(params: KMeansParams): Promise<BenchEntry> {
  const { grid, k, seed, iterations } = params;
  const { dim } = grid;
  const pixels = grid.width * grid.height;
  // Exactly `iterations` Lloyd passes (tolerance 0 stops earlier only on a fixed point).
  const options = { k, seed, maxIterations: iterations, tolerance: 0 };
  // JIT warm-up on a small grid, so the timed runs are not the first optimised ones.
  kmeans(makeRandomGrid(100, 100, dim, seed + 1), options);
  const times: number[] = [];
  let ours = kmeans(grid, options);
  for (let r = 0; r < params.runs; r++) {
    const start = performance.now();
    ours = kmeans(grid, options);
    times.push((performance.now() - start) / 1000);
  }
  const value = median(times);
  log(`  ours: ${value.toFixed(3)} s, ${ours.iterations} iterations`);
  // The threaded variant (opt-in), for the record: same answer, time on this machine.
  await kmeansParallel(makeRandomGrid(10, 10, dim, seed), { ...options, k: 2, threads: 2 });
  const single = performance.now();
  const twoThreads = await kmeansParallel(grid, { ...options, threads: 2 });
  const singleS = (performance.now() - single) / 1000;
  log(`  ours, two threads: ${singleS.toFixed(3)} s`);

  // Same starting centroids for ml-kmeans: with maxIterations 1 the project's kmeans returns
  // the centroids its first assignment used, i.e. its seeded k-means++ initialisation.
  const seeds = kmeans(grid, { k, seed, maxIterations: 1 }).centroids;
  const data = toRows(grid.data, dim); // conversion to number[][] (ml-kmeans' input format) is not timed
  const initialization = toRows(seeds, dim);
  mlKmeans(data.slice(0, 20_000), k, { initialization, maxIterations: 3, tolerance: 0 });
  const start = performance.now();
  const theirs = mlKmeans(data, k, { initialization, maxIterations: ours.iterations, tolerance: 0 });
  const baseline = (performance.now() - start) / 1000;
  log(`  ml-kmeans: ${baseline.toFixed(3)} s, ${theirs.iterations} iterations`);

  const inertiaOurs = nearestInertia(grid.data, dim, ours.centroids);
  const inertiaTheirs = nearestInertia(grid.data, dim, theirs.centroids.flat());
  return {
    unit: 's',
    value,
    baseline: { name: 'ml-kmeans@7.0.1', value: baseline, unit: 's' },
    ratio: baseline / value,
    ratio_meaning:
      'baseline / value (speed-up of the project kmeans over ml-kmeans; higher is better, goal >= 10)',
    runs: params.runs,
    notes:
      `${pixels} pixels x ${dim} (makeRandomGrid seed ${params.gridSeed}: isotropic unit vectors, the hardest case ` +
      `for k-means), k=${k}, seed ${seed}, ${iterations} Lloyd iterations, tolerance 0. Project kmeans ` +
      "(kmeans: WebAssembly SIMD kernel with Elkan's bounds, exactly Lloyd's labels, one thread; threads2_* is kmeansParallel " +
      'on 2 threads, the Lloyd kernel with every distance; k-means++ on a 20,000-pixel sample, its time includes seeding; ' +
      'the one-time copy into WebAssembly memory, with each pixel |x|^2, and the kernel compilation for this k happen in an ' +
      `untimed first run), median of ${params.runs} run(s). ml-kmeans ran once (after a ` +
      '20,000-row warm-up) from the same initial centroids, maxIterations = our iteration count, ' +
      'tolerance 0, on number[][] rows built untimed. Both inertias are the nearest-centroid sum of ' +
      'squared distances over all pixels for the returned centroids.',
    extra: {
      pixels,
      iterations: ours.iterations,
      baseline_iterations: theirs.iterations,
      inertia: inertiaOurs,
      baseline_inertia: inertiaTheirs,
      inertia_rel_diff: Math.abs(inertiaOurs - inertiaTheirs) / inertiaTheirs,
      inertia_reported: ours.inertia,
      threads2_s: singleS,
      threads2_ratio: baseline / singleS,
      // The threads sum in f32 per chunk, ours in f64: near-ties may go the other way.
      threads2_labels_differing: twoThreads.labels.filter((l, i) => l !== ours.labels[i]).length,
      runs_s: times.map((s) => s.toFixed(3)).join(','),
    },
  };
}
