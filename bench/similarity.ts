import { cosineSimilarity, makeRandomGrid, pixelVector } from '../src/lib/analysis/index.ts';
import type { EmbeddingGrid } from '../src/lib/embeddings/index.ts';
import { type BenchEntry, median } from './report.ts';

export interface SimilarityParams {
  grid: EmbeddingGrid;
  runs: number;
  seed: number;
}

/**
 * The memory floor: one sequential pass reading every float of the grid. Four accumulators,
 * because a single one makes the loop wait on float-add latency (~4 cycles per value) and
 * would measure the adder, not memory. The sum is returned so the JIT cannot drop the loop.
 */
export function sumFloats(data: Float32Array): number {
  const n = data.length;
  const end4 = n - (n % 4);
  let a = 0;
  let b = 0;
  let c = 0;
  let d = 0;
  let i = 0;
  for (; i < end4; i += 4) {
    a += data[i]!;
    b += data[i + 1]!;
    c += data[i + 2]!;
    d += data[i + 3]!;
  }
  for (; i < n; i++) a += data[i]!;
  return a + b + c + d;
}

/**
 * Gets both loops optimised on small inputs before any timing. Otherwise V8 first optimises
 * them on-stack-replacement style in the middle of a big call, and that OSR code (which on a
 * 1M x 7 grid ran the floor ~3x slower than the normally optimised function) keeps being
 * re-entered by later calls.
 */
function warmUp(dim: number, seed: number): void {
  const small = makeRandomGrid(37, 29, dim, seed);
  const query = pixelVector(small, 5);
  const out = new Float32Array(37 * 29);
  for (let r = 0; r < 300; r++) {
    cosineSimilarity(small, query, out);
    sumFloats(small.data);
  }
}

/** Median wall time of `runs` calls after one untimed warm-up call (JIT tier-up). */
function timeMedian(runs: number, fn: () => void): { medianMs: number; all: number[] } {
  fn();
  const all: number[] = [];
  for (let r = 0; r < runs; r++) {
    const start = performance.now();
    fn();
    all.push(performance.now() - start);
  }
  return { medianMs: median(all), all };
}

export function similarityCpu(params: SimilarityParams): BenchEntry {
  const { grid } = params;
  const pixels = grid.width * grid.height;
  const query = pixelVector(grid, pixels >> 1);
  warmUp(grid.dim, params.seed + 1);
  const scores = new Float32Array(pixels);

  // Results feed an accumulator that is checked below, so neither loop is dead code to the JIT.
  let sink = 0;
  const sim = timeMedian(params.runs, () => {
    cosineSimilarity(grid, query, scores);
    sink += scores[0]!;
  });
  const floor = timeMedian(params.runs, () => {
    sink += sumFloats(grid.data);
  });
  // Also a sanity check: every pixel is valid, so every score and the sum are finite.
  if (!Number.isFinite(sink))
    throw new Error('cosineSimilarity or the floor pass produced a non-finite value');
  const mb = grid.data.byteLength / 2 ** 20;
  return {
    unit: 'ms',
    value: sim.medianMs,
    baseline: { name: 'sequential_sum_floor', value: floor.medianMs, unit: 'ms' },
    ratio: sim.medianMs / floor.medianMs,
    ratio_meaning:
      'value / baseline (similarity time over the memory-read floor; lower is better, goal <= 2)',
    runs: params.runs,
    notes:
      `cosineSimilarity over ${pixels} pixels x ${grid.dim} dims (makeRandomGrid, all valid, reused ` +
      `output buffer), ${mb.toFixed(0)} MiB of float32; baseline sums the same Float32Array in one ` +
      'sequential pass with 4 accumulators. Both loops are first optimised on a small grid (300 calls), ' +
      'then called once untimed on the big one; medians of the timed runs after that.',
    extra: {
      data_mib: mb,
      similarity_gb_per_s: grid.data.byteLength / 1e6 / sim.medianMs,
      floor_gb_per_s: grid.data.byteLength / 1e6 / floor.medianMs,
      similarity_runs_ms: sim.all.map((ms) => ms.toFixed(1)).join(','),
      floor_runs_ms: floor.all.map((ms) => ms.toFixed(1)).join(','),
    },
  };
}
