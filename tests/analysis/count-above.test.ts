import { describe, expect, it } from 'vitest';
import { countAtOrAbove, thresholdMask } from '../../src/lib/analysis/threshold.ts';

describe("countAtOrAbove (the panels' area above the threshold slider)", () => {
  it('counts scores at or above the threshold, never NaN, as thresholdMask does', () => {
    const scores = Float32Array.from([0.1, 0.5, Number.NaN, 0.9, 0.5, -1, 1]);
    expect(countAtOrAbove(scores, 0.5)).toBe(4);
    expect(countAtOrAbove(scores, 2)).toBe(0);
    expect(countAtOrAbove(scores, -Infinity)).toBe(6);
    expect(countAtOrAbove(new Float32Array(0), 0)).toBe(0);
    for (const t of [-1, 0, 0.3, 0.5, 0.95])
      expect(countAtOrAbove(scores, t)).toBe(thresholdMask(scores, t, 10).count);
  });
});
