import { describe, expect, it } from 'vitest';
import { defaultThreshold } from '../../src/lib/state/default-threshold.ts';

describe('defaultThreshold', () => {
  it('keeps the top share of a uniform distribution', () => {
    // 10 bins over [0, 1], 10 pixels each: the top 15% starts at 0.85.
    expect(defaultThreshold(new Array(10).fill(10), 0, 1, 0.15)).toBeCloseTo(0.85, 10);
  });

  it('follows a skewed distribution', () => {
    // Everything in the last bin [0.9, 1]: the top 50% starts half-way through it.
    expect(defaultThreshold([0, 0, 0, 0, 0, 0, 0, 0, 0, 100], 0, 1, 0.5)).toBeCloseTo(0.95, 10);
  });

  it('falls back to the minimum for empty or flat maps', () => {
    expect(defaultThreshold([0, 0], -1, 1)).toBe(-1);
    expect(defaultThreshold([5], 1, 1)).toBe(1);
  });
});
