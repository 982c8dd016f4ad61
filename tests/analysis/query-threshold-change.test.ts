import { describe, expect, it } from 'vitest';
import { changeMap } from '../../src/lib/analysis/change.ts';
import { queryVector } from '../../src/lib/analysis/query.ts';
import { cosineSimilarity } from '../../src/lib/analysis/similarity.ts';
import { pixelAreaKm2, thresholdMask } from '../../src/lib/analysis/threshold.ts';
import { createEmbeddingGrid } from '../../src/lib/embeddings/index.ts';

// 4 x 1 grid of 2-D vectors: (1,0), (0,3), (1,1), invalid.
const grid = () =>
  createEmbeddingGrid(4, 1, 2, new Float32Array([1, 0, 0, 3, 1, 1, 5, 5]), new Uint8Array([1, 1, 1, 0]));
const bad = expect.objectContaining({ code: 'bad-input' });

describe('queryVector', () => {
  it('one positive is that pixel, so similarity is exact cosine to it', () => {
    const g = grid();
    const s = cosineSimilarity(g, queryVector(g, { positives: [0] }));
    expect(s[0]).toBeCloseTo(1, 12);
    expect(s[1]).toBeCloseTo(0, 12);
    expect(s[2]).toBeCloseTo(Math.SQRT1_2, 7);
    expect(Number.isNaN(s[3]!)).toBe(true);
  });

  it('averages unit-normalised positives (length does not weigh) and subtracts negatives', () => {
    const g = grid();
    // (1,0) and (0,3)/3 -> mean (0.5, 0.5): points at pixel 2.
    expect(cosineSimilarity(g, queryVector(g, { positives: [0, 1] }))[2]).toBeCloseTo(1, 7);
    // (1,1)/sqrt2 - (0,1) = (0.707, -0.293): more like pixel 0 than pixel 1.
    const q = queryVector(g, { positives: [2], negatives: [1] });
    expect(q[0]).toBeCloseTo(Math.SQRT1_2, 6);
    expect(q[1]).toBeCloseTo(Math.SQRT1_2 - 1, 6);
    const s = cosineSimilarity(g, q);
    expect(s[0]!).toBeGreaterThan(s[2]!);
    expect(s[1]!).toBeLessThan(0);
  });

  it('refuses no positives, invalid picks and picks that cancel out', () => {
    const g = grid();
    expect(() => queryVector(g, { positives: [] })).toThrow(bad);
    expect(() => queryVector(g, { positives: [3] })).toThrow(/no embedding/);
    expect(() => queryVector(g, { positives: [9] })).toThrow(bad);
    expect(() => queryVector(g, { positives: [0], negatives: [0] })).toThrow(/cancel out/);
  });
});

describe('thresholdMask', () => {
  it('masks scores >= threshold, never NaN, with area from the pixel size', () => {
    const scores = new Float32Array([0.2, 0.9, Number.NaN, 0.5, 0.95]);
    const r = thresholdMask(scores, 0.5, 10);
    expect(Array.from(r.mask)).toEqual([0, 1, 0, 1, 1]);
    expect(r.count).toBe(3);
    expect(r.areaKm2).toBeCloseTo(3e-4, 15); // 3 pixels of 100 m^2
    expect(pixelAreaKm2(1000)).toBe(1);
    expect(() => thresholdMask(scores, 0.5, 0)).toThrow(bad);
    expect(() => thresholdMask(scores, Number.NaN, 10)).toThrow(bad);
  });
});

describe('changeMap', () => {
  it('is the per-pixel cosine distance, NaN where either date is invalid', () => {
    const a = createEmbeddingGrid(3, 1, 2, new Float32Array([1, 0, 1, 0, 0, 2]), new Uint8Array([1, 1, 1]));
    const b = createEmbeddingGrid(3, 1, 2, new Float32Array([2, 0, 0, 1, 0, -1]), new Uint8Array([1, 1, 0]));
    const d = changeMap(a, b);
    expect(d[0]).toBeCloseTo(0, 12); // same direction, different length
    expect(d[1]).toBeCloseTo(1, 12); // orthogonal
    expect(Number.isNaN(d[2]!)).toBe(true);
    const c = createEmbeddingGrid(1, 1, 2, new Float32Array([1, 0]));
    const e = createEmbeddingGrid(1, 1, 2, new Float32Array([-1, 0]));
    expect(changeMap(c, e)[0]).toBe(2);
    expect(() => changeMap(a, c)).toThrow(bad);
  });
});
