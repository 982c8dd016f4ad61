import { describe, expect, it } from 'vitest';
import {
  initialCentroids,
  kmeans,
  kmeansSettings,
  updateCentroids,
  validMembers,
} from '../../src/lib/analysis/kmeans.ts';
import type { Assigner } from '../../src/lib/analysis/kmeans-assign.ts';
import { createBoundedAssigner } from '../../src/lib/analysis/kmeans-bounds.ts';
import { makeRandomGrid, mulberry32, randomNormal } from '../../src/lib/analysis/random.ts';
import { createWasmAssigner } from '../../src/lib/analysis/wasm/wasm-assigner.ts';
import { createEmbeddingGrid, type EmbeddingGrid } from '../../src/lib/embeddings/index.ts';

/**
 * Embedding-like data: `clusters` random directions, each pixel one of them plus Gaussian
 * noise of `spread` per value, unit-normalised; every 9th pixel masked.
 */
function clusteredGrid(width: number, height: number, dim: number, clusters: number, seed: number) {
  const rng = mulberry32(seed);
  const centres = Array.from({ length: clusters }, () =>
    Array.from({ length: dim }, () => randomNormal(rng)),
  );
  const data = new Float32Array(width * height * dim);
  const valid = new Uint8Array(width * height);
  const spread = 0.6;
  for (let p = 0; p < width * height; p++) {
    valid[p] = p % 9 === 4 ? 0 : 1;
    const centre = centres[Math.floor(rng() * clusters)]!;
    let ss = 0;
    for (let d = 0; d < dim; d++) {
      const x = centre[d]! + spread * randomNormal(rng);
      data[p * dim + d] = x;
      ss += x * x;
    }
    for (let d = 0; d < dim; d++) data[p * dim + d] = data[p * dim + d]! / Math.sqrt(ss);
  }
  return createEmbeddingGrid(width, height, dim, data, valid);
}

/** The same pixels in a grid of its own (each grid gets its own WebAssembly working memory). */
function copyOf(grid: EmbeddingGrid): EmbeddingGrid {
  return createEmbeddingGrid(grid.width, grid.height, grid.dim, grid.data.slice(), grid.valid.slice());
}

interface Run {
  assigner: Assigner;
  sums: Float64Array;
  counts: Uint32Array;
}

/**
 * Lloyd passes driven by the first run's centroid updates: every run assigns with the very
 * same centroids each pass, and `check` compares them after each.
 */
function lockstep(
  grid: EmbeddingGrid,
  k: number,
  passes: number,
  assigners: Assigner[],
  check: (pass: number, results: { inertia: number; changed: number }[], runs: Run[]) => void,
): void {
  const members = validMembers(grid, k);
  const centroids = initialCentroids(grid, members, kmeansSettings({ k, seed: 7 }));
  const runs = assigners.map((assigner) => ({
    assigner,
    sums: new Float64Array(k * grid.dim),
    counts: new Uint32Array(k),
  }));
  for (let pass = 1; pass <= passes; pass++) {
    const results = runs.map((r) => r.assigner.assign(centroids, r.sums, r.counts));
    check(pass, results, runs);
    updateCentroids(centroids, runs[0]!.sums, runs[0]!.counts);
  }
}

function relative(a: number, b: number): number {
  return Math.abs(a - b) / Math.abs(b);
}

describe('k-means with Elkan bounds (WebAssembly SIMD)', () => {
  for (const [name, dim, k, grid] of [
    ['clustered', 64, 10, clusteredGrid(67, 31, 64, 14, 3)],
    ['clustered', 128, 10, clusteredGrid(67, 31, 128, 8, 4)],
    ['isotropic', 64, 10, makeRandomGrid(67, 31, 64, 5)],
    ['clustered', 12, 3, clusteredGrid(41, 23, 12, 5, 6)],
    ['clustered', 8, 13, clusteredGrid(41, 23, 8, 20, 7)],
    ['isotropic', 4, 20, makeRandomGrid(41, 23, 4, 8)],
    // more members than one kernel call takes (65,536)
    ['isotropic', 8, 5, makeRandomGrid(300, 230, 8, 9)],
  ] as const) {
    it(`labels every pass exactly as Lloyd with every distance: ${name}, dim ${dim}, k ${k}`, () => {
      for (let p = 0; p < grid.valid.length; p += 11) grid.valid[p] = 0;
      const reference = copyOf(grid);
      const bounded = createBoundedAssigner(grid, validMembers(grid, k));
      const every = createBoundedAssigner(reference, validMembers(reference, k), false);
      const lloyd = createWasmAssigner(copyOf(grid), validMembers(grid, k));
      let skipped = false;
      lockstep(grid, k, 12, [bounded, every, lloyd], (pass, [b, e, l], runs) => {
        // The same kernel scoring every centroid: identical labels, sums, counts, inertia.
        expect(Array.from(bounded.labels), `pass ${pass}`).toEqual(Array.from(every.labels));
        expect(Array.from(runs[0]!.sums)).toEqual(Array.from(runs[1]!.sums));
        expect(b!.inertia).toBe(e!.inertia);
        expect(b!.changed).toBe(e!.changed);
        // The Lloyd kernel (f32 sums folded per chunk, distances summed in f32): the same
        // labels and counts, sums and inertia equal to rounding.
        expect(Array.from(bounded.labels), `pass ${pass}`).toEqual(Array.from(lloyd.labels));
        expect(Array.from(runs[0]!.counts)).toEqual(Array.from(runs[2]!.counts));
        expect(relative(b!.inertia, l!.inertia)).toBeLessThan(1e-6);
        // (f32 sums over chunks of members: an error of a few 2^-24 per member summed)
        for (let i = 0; i < k * dim; i++) {
          const members = runs[0]!.counts[Math.floor(i / dim)]!;
          expect(Math.abs(runs[0]!.sums[i]! - runs[2]!.sums[i]!)).toBeLessThanOrEqual(1e-6 * members);
        }
        if (pass > 3 && bounded.scoresPerMember() < every.scoresPerMember() / 2) skipped = true;
      });
      expect(every.scoresPerMember()).toBe(k);
      // The bounds do rule centroids out (otherwise the test above proves little).
      expect(skipped).toBe(true);
    });
  }

  it('gives exact distances for re-seeding', () => {
    const grid = clusteredGrid(30, 20, 16, 4, 9);
    const members = validMembers(grid, 5);
    const bounded = createBoundedAssigner(grid, members);
    const lloyd = createWasmAssigner(copyOf(grid), members);
    lockstep(grid, 5, 4, [bounded, lloyd], () => {
      const fromBounds = bounded.distances();
      const fromLloyd = lloyd.distances();
      for (let j = 0; j < members.length; j++) expect(fromBounds[j]!).toBeCloseTo(fromLloyd[j]!, 5);
    });
  });

  it('re-seeds an empty cluster as the float64 loop does', () => {
    // The 1-D case of kmeans.test.ts (a cluster empties after the first update), in 4-D.
    const values = [11, 10, 2, 10, 5, 6];
    const data = new Float32Array(values.flatMap((v) => [v, 0, 0, 0]));
    const grid = createEmbeddingGrid(6, 1, 4, data);
    const options = { k: 3, seed: 11815 };
    const bounded = kmeans(grid, options);
    const js = kmeans(copyOf(grid), { ...options, kernel: 'js' });
    expect(Array.from(bounded.labels)).toEqual(Array.from(js.labels));
    expect(new Set(bounded.labels).size).toBe(3);
    expect(bounded.converged).toBe(true);
    expect(bounded.inertia).toBeCloseTo(js.inertia, 9);
  });

  for (const dim of [64, 128]) {
    it(`kmeans(): same result as the Lloyd kernel and the float64 loop, dim ${dim}, masked`, () => {
      const grid = clusteredGrid(53, 39, dim, 12, dim);
      const options = { k: 10, seed: 3, maxIterations: 20, tolerance: 0 };
      const progress: number[] = [];
      const auto = kmeans(grid, { ...options, onProgress: (_, inertia) => progress.push(inertia) });
      const lloyd = kmeans(copyOf(grid), { ...options, kernel: 'simd-lloyd' });
      const js = kmeans(copyOf(grid), { ...options, kernel: 'js' });
      expect(auto.iterations).toBe(lloyd.iterations);
      expect(progress).toHaveLength(auto.iterations);
      for (const other of [lloyd, js]) {
        // Only near-ties (float32 scores, sums rounded differently) may go the other way.
        const differ = auto.labels.filter((l, p) => l !== other.labels[p]).length;
        expect(differ / auto.labels.length).toBeLessThan(1e-3);
        expect(relative(auto.inertia, other.inertia)).toBeLessThan(1e-6);
      }
      expect(auto.labels[4]).toBe(255);
      expect(auto.labels.every((l, p) => (grid.valid[p] ? l < 10 : l === 255))).toBe(true);
    });
  }
});
