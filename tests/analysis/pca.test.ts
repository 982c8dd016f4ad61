import { describe, expect, it } from 'vitest';
import { pcaBasis, projectPixels } from '../../src/lib/analysis/pca.ts';
import { projectionToRgba } from '../../src/lib/analysis/pca-rgb.ts';
import { mulberry32, randomNormal } from '../../src/lib/analysis/random.ts';
import { createEmbeddingGrid } from '../../src/lib/embeddings/index.ts';
import { symmetricEigen } from '../../src/lib/math/index.ts';

describe('symmetricEigen', () => {
  it('diagonalises a known 3x3 matrix', () => {
    // Eigenvalues 4, 2, 1 with eigenvectors (1,1,0)/sqrt2, (1,-1,0)/sqrt2, (0,0,1).
    const m = new Float64Array([3, 1, 0, 1, 3, 0, 0, 0, 1]);
    const { values, vectors } = symmetricEigen(m, 3);
    expect(Array.from(values).map((v) => Number(v.toFixed(12)))).toEqual([4, 2, 1]);
    expect(vectors[0]).toBeCloseTo(Math.SQRT1_2, 12);
    expect(vectors[1]).toBeCloseTo(Math.SQRT1_2, 12);
    expect(Math.abs(vectors[3]!)).toBeCloseTo(Math.SQRT1_2, 12);
    expect(vectors[8]).toBeCloseTo(1, 12);
  });
});

describe('pcaBasis / projectPixels', () => {
  it('finds the axes of data stretched 5, 3 and 1 along known orthogonal directions in 6-D', () => {
    const dim = 6;
    const axes = [
      [1, 1, 0, 0, 0, 0].map((v) => v * Math.SQRT1_2),
      [0, 0, 1, 0, 0, 0],
      [1, -1, 0, 0, 0, 0].map((v) => v * Math.SQRT1_2),
    ];
    const rng = mulberry32(5);
    const pixels = 4000;
    const data = new Float32Array(pixels * dim);
    const valid = new Uint8Array(pixels).fill(1);
    for (let p = 0; p < pixels; p++) {
      const a = [5 * randomNormal(rng), 3 * randomNormal(rng), 1 * randomNormal(rng)];
      for (let d = 0; d < dim; d++) {
        data[p * dim + d] =
          2 + a[0]! * axes[0]![d]! + a[1]! * axes[1]![d]! + a[2]! * axes[2]![d]! + 0.01 * randomNormal(rng);
      }
      if (p % 50 === 0) valid[p] = 0;
    }
    const grid = createEmbeddingGrid(80, 50, dim, data, valid);
    const basis = pcaBasis(grid, { sampleSize: 100_000 });
    for (let j = 0; j < 3; j++) {
      const c = basis.components.subarray(j * dim, j * dim + dim);
      const dot = axes[j]!.reduce((s, v, d) => s + v * c[d]!, 0);
      expect(Math.abs(dot)).toBeGreaterThan(0.999);
    }
    // Sample variances of 3920 normal draws: within ~10 % of 25 and 9.
    expect(Math.abs(basis.variances[0] / 25 - 1)).toBeLessThan(0.1);
    expect(Math.abs(basis.variances[1] / 9 - 1)).toBeLessThan(0.1);
    expect(basis.variances[0]).toBeGreaterThan(basis.variances[1]);
    expect(basis.variances[1]).toBeGreaterThan(basis.variances[2]);
    expect(basis.mean[4]).toBeCloseTo(2, 2);
    const projection = projectPixels(grid, basis);
    expect(Number.isNaN(projection[0]!)).toBe(true);
    // Pixel 1's first coordinate is its offset along the first component.
    const c0 = basis.components.subarray(0, dim);
    const expected = Array.from({ length: dim }, (_, d) => (data[dim + d]! - basis.mean[d]!) * c0[d]!).reduce(
      (a, b) => a + b,
    );
    expect(projection[3]).toBeCloseTo(expected, 4);
    const rgba = projectionToRgba(projection);
    expect(rgba[3]).toBe(0); // invalid pixel transparent
    expect(rgba[7]).toBe(255);
  });

  it('uses a seeded sample: the same seed gives the same basis', () => {
    const rng = mulberry32(1);
    const data = Float32Array.from({ length: 2000 * 4 }, () => randomNormal(rng));
    const grid = createEmbeddingGrid(50, 40, 4, data);
    const a = pcaBasis(grid, { sampleSize: 300, seed: 3 });
    const b = pcaBasis(grid, { sampleSize: 300, seed: 3 });
    expect(a.samples).toBe(300);
    expect(Array.from(a.components)).toEqual(Array.from(b.components));
  });
});
