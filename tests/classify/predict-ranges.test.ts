import { describe, expect, it } from 'vitest';
import { makeRandomGrid } from '../../src/lib/analysis/index.ts';
import { classifyGrid, train } from '../../src/lib/classify/model.ts';
import {
  joinClassMaps,
  predictionThreads,
  rangeGrid,
  splitPixels,
} from '../../src/lib/classify/predict-ranges.ts';
import { blobs } from './reference.ts';

describe('prediction on several threads: ranges', () => {
  it('splits pixels into contiguous, covering, near-equal ranges', () => {
    const ranges = splitPixels(1001, 4);
    expect(ranges[0]!.start).toBe(0);
    expect(ranges.at(-1)!.end).toBe(1001);
    for (let i = 1; i < ranges.length; i++) expect(ranges[i]!.start).toBe(ranges[i - 1]!.end);
    const sizes = ranges.map((r) => r.end - r.start);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    expect(splitPixels(2, 5)).toHaveLength(2);
  });

  it('uses one thread for small grids and at most the cores for large ones', () => {
    expect(predictionThreads(10_000, 8)).toBe(1);
    expect(predictionThreads(1_000_000, 2)).toBe(2);
    expect(predictionThreads(1_000_000, 64)).toBe(8);
    expect(predictionThreads(1_000_000, Number.NaN)).toBe(1);
  });

  it('classifying the ranges apart and joining them equals classifying the grid whole (kNN and logreg)', () => {
    const set = blobs(300, 16, 3, 1.2, 5);
    const grid = makeRandomGrid(37, 23, 16, 9);
    for (let p = 0; p < grid.valid.length; p += 7) grid.valid[p] = 0;
    for (const spec of [
      { method: 'knn', k: 5 },
      { method: 'logreg', l2: 1e-3, tolerance: 1e-6, maxIterations: 300 },
    ] as const) {
      const model = train(set, spec);
      const whole = classifyGrid(model, grid);
      const ranges = splitPixels(37 * 23, 3);
      const parts = ranges.map((r) => classifyGrid(model, rangeGrid(grid, r)));
      const joined = joinClassMaps(37, 23, 3, ranges, parts);
      expect(joined.best).toEqual(whole.best);
      expect(joined.confidence).toEqual(whole.confidence);
    }
  });

  it('refuses parts of the wrong size', () => {
    expect(() =>
      joinClassMaps(
        2,
        1,
        2,
        [{ start: 0, end: 2 }],
        [{ best: new Uint8Array(1), confidence: new Float32Array(1) }],
      ),
    ).toThrow(/wrong size/);
  });
});
