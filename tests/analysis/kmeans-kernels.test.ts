import { describe, expect, it } from 'vitest';
import { kmeans } from '../../src/lib/analysis/kmeans.ts';
import { kmeansParallel } from '../../src/lib/analysis/kmeans-parallel.ts';
import { makeRandomGrid } from '../../src/lib/analysis/random.ts';
import { wasmSimdAvailable } from '../../src/lib/analysis/wasm/wasm-grid.ts';

describe('k-means WebAssembly SIMD kernel', () => {
  it('is available in Node', () => {
    expect(wasmSimdAvailable()).toBe(true);
  });

  for (const [dim, k] of [
    [8, 3],
    [64, 10],
    [12, 20],
  ] as const) {
    it(`matches the float64 JS loop: dim ${dim}, k ${k} (k padded to 4), masked pixels`, () => {
      const grid = makeRandomGrid(67, 31, dim, dim + k); // 2077 pixels, not a multiple of the chunk
      for (let p = 0; p < grid.valid.length; p += 7) grid.valid[p] = 0;
      const options = { k, seed: 5, maxIterations: 3, tolerance: 0 };
      const simd = kmeans(grid, options);
      const js = kmeans(grid, { ...options, kernel: 'js' });
      let diff = 0;
      for (let p = 0; p < js.labels.length; p++) if (js.labels[p] !== simd.labels[p]) diff++;
      // Float32 dot products vs float64 differences: only near-ties may go the other way.
      expect(diff / js.labels.length).toBeLessThan(0.01);
      expect(Math.abs(simd.inertia - js.inertia) / js.inertia).toBeLessThan(1e-4);
      expect(simd.labels[0]).toBe(255);
      expect(simd.iterations).toBe(3);
    });
  }

  it('tests convergence only every checkEvery iterations', () => {
    const grid = makeRandomGrid(30, 30, 8, 1);
    const r = kmeans(grid, { k: 3, seed: 1, checkEvery: 4, maxIterations: 50 });
    expect(r.converged).toBe(true);
    expect(r.iterations % 4).toBe(0);
  });

  it('splits passes across worker threads with the same labels, centroids and inertia', async () => {
    // 40,000 pixels: several kernel chunks per thread; every 11th pixel masked.
    const grid = makeRandomGrid(200, 200, 16, 8);
    for (let p = 0; p < grid.valid.length; p += 11) grid.valid[p] = 0;
    const options = { k: 7, seed: 2, maxIterations: 6, tolerance: 0 };
    // The threads run the Lloyd kernel, every distance every pass, as 'simd-lloyd' does.
    const one = kmeans(grid, { ...options, kernel: 'simd-lloyd' });
    const progress: number[] = [];
    const two = await kmeansParallel(grid, { ...options, threads: 3, onProgress: (i) => progress.push(i) });
    expect(Array.from(two.labels)).toEqual(Array.from(one.labels));
    expect(Array.from(two.centroids)).toEqual(Array.from(one.centroids));
    expect(two.inertia).toBeCloseTo(one.inertia, 6);
    expect(progress).toEqual([1, 2, 3, 4, 5, 6]);
    // Dimension not a multiple of 4: the float64 JS loop, still the right answer.
    const odd = makeRandomGrid(30, 20, 3, 1);
    const r = await kmeansParallel(odd, { ...options, threads: 2 });
    expect(Array.from(r.labels)).toEqual(Array.from(kmeans(odd, { ...options, kernel: 'js' }).labels));
  });
});
