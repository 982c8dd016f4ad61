import { describe, expect, it } from 'vitest';
import { averageRanks, similarityAgreement } from '../../src/lib/analysis/agreement.ts';
import { mulberry32 } from '../../src/lib/math/index.ts';

/** Textbook Spearman: rank with ties averaged by an O(n^2) count, then Pearson of the ranks. */
function referenceSpearman(x: number[], y: number[]): number {
  const rank = (v: number[]) =>
    v.map((a) => v.filter((b) => b < a).length + (v.filter((b) => b === a).length + 1) / 2);
  const rx = rank(x);
  const ry = rank(y);
  const mean = (v: number[]) => v.reduce((s, t) => s + t, 0) / v.length;
  const mx = mean(rx);
  const my = mean(ry);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  rx.forEach((_, i) => {
    sxy += (rx[i]! - mx) * (ry[i]! - my);
    sxx += (rx[i]! - mx) ** 2;
    syy += (ry[i]! - my) ** 2;
  });
  return sxy / Math.sqrt(sxx * syy);
}

describe('similarity agreement', () => {
  it('ranks with ties averaged', () => {
    expect(Array.from(averageRanks(Float32Array.from([10, 20, 20, 5, 20, -3, -0.5, 0, -0])))).toEqual([
      6, 8, 8, 5, 8, 1, 2, 3.5, 3.5,
    ]);
  });

  it('matches the textbook Spearman on random maps with ties and nodata', () => {
    const rng = mulberry32(7);
    const w = 23;
    const h = 17;
    const a = new Float32Array(w * h);
    const b = new Float32Array(w * h);
    for (let p = 0; p < w * h; p++) {
      // Coarse values make ties common; b follows a with noise.
      a[p] = Math.round(rng() * 20) / 20;
      b[p] = Math.round((a[p]! + rng() * 0.5) * 10) / 10;
      if (rng() < 0.1) a[p] = Number.NaN;
      if (rng() < 0.1) b[p] = Number.NaN;
    }
    const both = [...a.keys()].filter((p) => !Number.isNaN(a[p]!) && !Number.isNaN(b[p]!));
    const want = referenceSpearman(
      both.map((p) => a[p]!),
      both.map((p) => b[p]!),
    );
    const got = similarityAgreement(a, b, w, h);
    expect(got.pixels).toBe(both.length);
    expect(got.spearman).toBeCloseTo(want, 12);
    expect(got.spearman).toBeGreaterThan(0.3);
  });

  it('is 1 for a monotone transform and -1 for a reversal', () => {
    const a = Float32Array.from({ length: 400 }, (_, i) => Math.sin(i * 0.37));
    const squashed = a.map((v) => Math.exp(3 * v));
    const reversed = a.map((v) => -v);
    expect(similarityAgreement(a, squashed, 20, 20).spearman).toBeCloseTo(1, 12);
    expect(similarityAgreement(a, reversed, 20, 20).spearman).toBeCloseTo(-1, 12);
  });

  it('counts shared top-10 places within the radius, over pixels valid in both', () => {
    const w = 100;
    const h = 100;
    const a = new Float32Array(w * h).fill(0);
    const b = new Float32Array(w * h).fill(0);
    // Ten peaks in A; B has the first six within 3 px, the others far away.
    for (let i = 0; i < 10; i++) {
      const col = 5 + i * 10;
      a[20 * w + col] = 1 - i * 0.01;
      if (i < 6) b[(20 + 3) * w + col] = 1 - i * 0.01;
      else b[80 * w + col] = 1 - i * 0.01;
    }
    const got = similarityAgreement(a, b, w, h);
    expect(got.k).toBe(10);
    expect(got.topA).toHaveLength(10);
    expect(got.shared).toBe(6);
    // A's peak is nodata in B: no longer one of A's places.
    b[20 * w + 5] = Number.NaN;
    expect(similarityAgreement(a, b, w, h).topA).not.toContain(20 * w + 5);
  });

  it('refuses maps of different grids', () => {
    expect(() => similarityAgreement(new Float32Array(4), new Float32Array(6), 2, 2)).toThrow(
      'same 2 x 2 grid',
    );
  });
});
