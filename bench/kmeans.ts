import { kmeans as mlKmeans } from 'ml-kmeans';
import { kmeans } from '../src/lib/analysis/kmeans.ts';
import { makeRandomGrid } from '../src/lib/analysis/random.ts';
import { type BenchEntry, log, median } from './report.ts';

export interface KMeansParams {
  width: number;
  height: number;
  dim: number;
  k: number;
  seed: number;
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

export function kmeansCpu(params: KMeansParams): BenchEntry {
  const { k, seed, dim } = params;
  const grid = makeRandomGrid(params.width, params.height, dim, seed);
  const pixels = params.width * params.height;

  // One warm-up (JIT) then the timed runs; every run gives the same result (same seed).
  let ours = kmeans(grid, { k, seed });
  const times: number[] = [];
  for (let r = 0; r < params.runs; r++) {
    const start = performance.now();
    ours = kmeans(grid, { k, seed });
    times.push((performance.now() - start) / 1000);
  }
  const value = median(times);
  log(`  ours: ${value.toFixed(3)} s, ${ours.iterations} iterations`);

  // Same starting centroids for ml-kmeans: with maxIterations 1 the project's kmeans returns
  // the centroids its first assignment used, i.e. its seeded k-means++ initialisation.
  const seeds = kmeans(grid, { k, seed, maxIterations: 1 }).centroids;
  const data = toRows(grid.data, dim); // conversion to number[][] (ml-kmeans' input format) is not timed
  const initialization = toRows(seeds, dim);
  // A short untimed warm-up on a slice, so ml-kmeans is not timed cold while ours was warmed.
  mlKmeans(data.slice(0, 20_000), k, { initialization, maxIterations: 3, tolerance: 0 });
  const start = performance.now();
  // tolerance 0 so ml-kmeans stops only on a fixed point or at the same iteration count.
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
    ratio_meaning: 'baseline / value (speed-up of the project kmeans over ml-kmeans; higher is better)',
    runs: params.runs,
    notes:
      `${pixels} pixels x ${dim} (makeRandomGrid seed ${seed}), k=${k}, seed ${seed}. Project kmeans ` +
      'with its defaults (k-means++ on a 20,000-pixel sample, max 30 iterations, relative inertia ' +
      `tolerance 1e-4), median of ${params.runs} runs after a warm-up. ml-kmeans ran once (after a ` +
      '20,000-row warm-up) from the same initial centroids, with maxIterations = our iteration count ' +
      'and tolerance 0 (its iteration = assign + update; ours ends on an assignment), on number[][] ' +
      'rows built untimed. Both inertias are the nearest-centroid sum of squared distances over all ' +
      'pixels for the returned centroids.',
    extra: {
      pixels,
      iterations: ours.iterations,
      converged: ours.converged,
      baseline_iterations: theirs.iterations,
      baseline_converged: theirs.converged,
      inertia: inertiaOurs,
      baseline_inertia: inertiaTheirs,
      inertia_reported: ours.inertia,
      runs_s: times.map((s) => s.toFixed(3)).join(','),
    },
  };
}
