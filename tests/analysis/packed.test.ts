import { describe, expect, it } from 'vitest';
import { fromHalf, packEmbeddings, toHalf, unpackEmbeddings } from '../../src/lib/analysis/packed.ts';
import { makeRandomGrid } from '../../src/lib/analysis/random.ts';
import { cosineSimilarity, pixelVector } from '../../src/lib/analysis/similarity.ts';

describe('packed embeddings', () => {
  it('converts half precision exactly where it can', () => {
    expect(toHalf(1)).toBe(0x3c00);
    expect(toHalf(-2)).toBe(0xc000);
    expect(toHalf(65504)).toBe(0x7bff);
    expect(toHalf(1e6)).toBe(0x7c00);
    expect(toHalf(2 ** -24)).toBe(1);
    for (const x of [0, 1, -0.5, 0.333251953125, 2 ** -20, 1000]) expect(fromHalf(toHalf(x))).toBe(x);
    expect(Number.isNaN(fromHalf(toHalf(Number.NaN)))).toBe(true);
  });

  for (const [dtype, tol] of [
    ['float32', 0],
    ['float16', 1e-3],
    ['int8', 1e-2],
  ] as const) {
    it(`${dtype}: round trip keeps similarity within ${tol}`, () => {
      const grid = makeRandomGrid(20, 10, 64, 2);
      grid.valid[3] = 0;
      const packed = packEmbeddings(grid, dtype);
      const back = unpackEmbeddings(20, 10, 64, packed, grid.valid, {
        epsg: 32632,
        transform: { originX: 0, originY: 0, resX: 10, resY: 10 },
      });
      expect(back.georef?.epsg).toBe(32632);
      const q = pixelVector(grid, 7);
      const a = cosineSimilarity(grid, q);
      const b = cosineSimilarity(back, q);
      let max = 0;
      for (let i = 0; i < a.length; i++)
        if (!Number.isNaN(a[i]!)) max = Math.max(max, Math.abs(a[i]! - b[i]!));
      expect(max).toBeLessThanOrEqual(tol);
      expect(Number.isNaN(b[3]!)).toBe(true);
    });
  }
});
