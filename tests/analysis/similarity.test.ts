import { describe, expect, it } from 'vitest';
import { makeRandomGrid } from '../../src/lib/analysis/random.ts';
import {
  cosineSimilarity,
  cosineSimilarityNormed,
  pixelInverseNorms,
  pixelVector,
  scoreHistogram,
} from '../../src/lib/analysis/similarity.ts';
import { topKPlaces } from '../../src/lib/analysis/top-k.ts';
import { countValid, createEmbeddingGrid, normalizeEmbeddings } from '../../src/lib/embeddings/index.ts';

// 3x2 grid of 2-D vectors (row-major):
//   p0 (1, 0)      p1 (0, 2)  [not unit]   p2 (0.6, 0.8)
//   p3 (-1, 0)     p4 invalid             p5 (0.8, -0.6)
function smallGrid() {
  const data = new Float32Array([1, 0, 0, 2, 0.6, 0.8, -1, 0, 9, 9, 0.8, -0.6]);
  const valid = new Uint8Array([1, 1, 1, 1, 0, 1]);
  return createEmbeddingGrid(3, 2, 2, data, valid);
}

describe('createEmbeddingGrid', () => {
  it('rejects mismatched sizes with bad-input', () => {
    expect(() => createEmbeddingGrid(3, 2, 2, new Float32Array(11))).toThrow(
      expect.objectContaining({ code: 'bad-input' }),
    );
    expect(() => createEmbeddingGrid(3, 2, 2, undefined, new Uint8Array(5))).toThrow(
      expect.objectContaining({ code: 'bad-input' }),
    );
    expect(() => createEmbeddingGrid(0, 2, 2)).toThrow(expect.objectContaining({ code: 'bad-input' }));
    expect(() => createEmbeddingGrid(3, 2, 1.5)).toThrow(expect.objectContaining({ code: 'bad-input' }));
  });

  it('defaults to all-valid zeros and normalises, invalidating zero vectors', () => {
    const grid = createEmbeddingGrid(2, 1, 2, new Float32Array([3, 4, 0, 0]));
    expect(countValid(grid)).toBe(2);
    normalizeEmbeddings(grid);
    expect(Array.from(grid.data)).toEqual([Math.fround(0.6), Math.fround(0.8), 0, 0]);
    expect(Array.from(grid.valid)).toEqual([1, 0]);
  });
});

describe('cosineSimilarity', () => {
  it('gives the known cosines on a 3x2 grid, NaN for the invalid pixel', () => {
    const grid = smallGrid();
    const fromP0 = cosineSimilarity(grid, pixelVector(grid, 0));
    const expected0 = [1, 0, 0.6, -1, Number.NaN, 0.8];
    const fromP2 = cosineSimilarity(grid, pixelVector(grid, 2));
    const expected2 = [0.6, 0.8, 1, -0.6, Number.NaN, 0];
    for (let i = 0; i < 6; i++) {
      if (i === 4) {
        expect(fromP0[i]).toBeNaN();
        expect(fromP2[i]).toBeNaN();
        continue;
      }
      expect(fromP0[i]).toBeCloseTo(expected0[i]!, 6);
      expect(fromP2[i]).toBeCloseTo(expected2[i]!, 6);
    }
    expect(fromP0[0]).toBe(1);
    expect(fromP2[2]).toBe(1);
  });

  it('scores every query pixel 1 against itself within 1e-12, and stays in [-1, 1]', () => {
    const grid = makeRandomGrid(20, 10, 7, 42);
    const out = new Float32Array(200);
    for (const index of [0, 17, 123, 199]) {
      const scores = cosineSimilarity(grid, pixelVector(grid, index), out);
      expect(scores).toBe(out);
      expect(Math.abs(scores[index]! - 1)).toBeLessThanOrEqual(1e-12);
      for (const s of scores) expect(Math.abs(s)).toBeLessThanOrEqual(1);
    }
  });

  it('with the norms computed once (the worker path): the same scores, their range, the same top 10 and histogram', () => {
    const grid = makeRandomGrid(40, 30, 13, 9);
    grid.valid[7] = 0;
    grid.data.fill(0, 11 * 13, 12 * 13); // an all-zero vector: no score
    const inverse = pixelInverseNorms(grid);
    for (const index of [0, 123, 1199]) {
      const query = pixelVector(grid, index);
      const plain = cosineSimilarity(grid, query);
      const fast = cosineSimilarityNormed(grid, query, inverse);
      expect(fast.scores[index]).toBe(1);
      let min = Number.POSITIVE_INFINITY;
      let max = Number.NEGATIVE_INFINITY;
      for (let i = 0; i < plain.length; i++) {
        if (Number.isNaN(plain[i]!)) {
          expect(fast.scores[i]).toBeNaN();
          continue;
        }
        // float64 sums either way: at most one float32 rounding apart.
        expect(Math.abs(fast.scores[i]! - plain[i]!)).toBeLessThanOrEqual(1.2e-7);
        min = Math.min(min, fast.scores[i]!);
        max = Math.max(max, fast.scores[i]!);
      }
      expect([fast.min, fast.max]).toEqual([min, max]);
      expect(scoreHistogram(fast.scores, 64, fast)).toEqual(scoreHistogram(fast.scores, 64));
      const options = { k: 10, minSeparationPx: 3, queryIndex: index };
      expect(topKPlaces(fast.scores, 40, 30, { ...options, range: fast })).toEqual(
        topKPlaces(fast.scores, 40, 30, options),
      );
    }
    expect(inverse[7]).toBeNaN();
    expect(inverse[11]).toBeNaN();
    expect(() => cosineSimilarityNormed(grid, new Float32Array(13), inverse)).toThrow(
      expect.objectContaining({ code: 'bad-input' }),
    );
    expect(() => cosineSimilarityNormed(grid, pixelVector(grid, 0), inverse.subarray(1))).toThrow(
      expect.objectContaining({ code: 'bad-input' }),
    );
  });

  it('validates the query and output sizes', () => {
    const grid = smallGrid();
    expect(() => cosineSimilarity(grid, new Float32Array(3))).toThrow(
      expect.objectContaining({ code: 'bad-input' }),
    );
    expect(() => cosineSimilarity(grid, new Float32Array(2))).toThrow(
      expect.objectContaining({ code: 'bad-input' }),
    );
    expect(() => cosineSimilarity(grid, new Float32Array([1, 0]), new Float32Array(5))).toThrow(
      expect.objectContaining({ code: 'bad-input' }),
    );
  });
});

describe('pixelVector', () => {
  it('copies the vector and refuses invalid or out-of-range pixels', () => {
    const grid = smallGrid();
    const v = pixelVector(grid, 1);
    expect(Array.from(v)).toEqual([0, 2]);
    v[0] = 5;
    expect(grid.data[2]).toBe(0);
    expect(() => pixelVector(grid, 4)).toThrow(expect.objectContaining({ code: 'bad-input' }));
    expect(() => pixelVector(grid, 6)).toThrow(expect.objectContaining({ code: 'bad-input' }));
  });
});

describe('scoreHistogram', () => {
  it('bins finite scores over [min, max] and ignores NaN', () => {
    const h = scoreHistogram(new Float32Array([-1, -0.5, 0, 0.5, 1, Number.NaN]), 4);
    expect(h.min).toBe(-1);
    expect(h.max).toBe(1);
    expect(Array.from(h.counts)).toEqual([1, 1, 1, 2]);
  });

  it('handles constant and empty score maps', () => {
    expect(Array.from(scoreHistogram(new Float32Array([0.5, 0.5]), 3).counts)).toEqual([2, 0, 0]);
    const empty = scoreHistogram(new Float32Array([Number.NaN]), 3);
    expect(empty.min).toBeNaN();
    expect(Array.from(empty.counts)).toEqual([0, 0, 0]);
  });
});
