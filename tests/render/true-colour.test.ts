import { describe, expect, it } from 'vitest';
import { bandPercentiles, trueColourRgba } from '../../src/lib/render/true-colour.ts';

/** 0, 0.001, ..., 1.000: 1001 values, so the p-th percentile is p / 100. */
const ramp = Float32Array.from({ length: 1001 }, (_, i) => i / 1000);

describe('bandPercentiles', () => {
  it('finds percentiles of a known ramp to within a histogram bin', () => {
    const all = new Uint8Array(1001).fill(1);
    const { lo, hi } = bandPercentiles(ramp, all, 2, 98);
    expect(lo).toBeCloseTo(0.02, 3);
    expect(hi).toBeCloseTo(0.98, 3);
    const whole = bandPercentiles(ramp, all, 0, 100);
    expect(whole.lo).toBeCloseTo(0, 6);
    expect(whole.hi).toBeCloseTo(1, 6);
  });

  it('uses only valid, finite pixels', () => {
    const values = Float32Array.from(ramp);
    values[5] = Number.NaN;
    const valid = Uint8Array.from(ramp, (v) => (v <= 0.5 ? 1 : 0));
    const { lo, hi } = bandPercentiles(values, valid, 10, 90);
    expect(lo).toBeCloseTo(0.05, 2);
    expect(hi).toBeCloseTo(0.45, 2);
    expect(bandPercentiles(values, new Uint8Array(1001), 2, 98).lo).toBeNaN();
  });
});

describe('trueColourRgba', () => {
  it('stretches each band linearly between its percentiles; invalid pixels transparent', () => {
    const valid = new Uint8Array(1001).fill(1);
    valid[500] = 0;
    const half = ramp.map((v) => v / 2); // green spans [0, 0.5]: its own stretch
    const { rgba, stretch } = trueColourRgba(ramp, half, ramp, valid);
    expect(stretch.red.lo).toBeCloseTo(0.02, 2); // 1000 valid values: one fewer than the ramp
    expect(stretch.green.hi).toBeCloseTo(0.49, 2);
    const px = (i: number) => Array.from(rgba.subarray(i * 4, i * 4 + 4));
    expect(px(0)).toEqual([0, 0, 0, 255]); // below the 2nd percentile: clamped to 0
    expect(px(1000)).toEqual([255, 255, 255, 255]); // above the 98th: clamped to 255
    expect(px(500)).toEqual([0, 0, 0, 0]);
    const mid = px(250); // 0.25 -> (0.25 - 0.02) / 0.96 * 255 = 61.1
    expect(mid[0]).toBeGreaterThanOrEqual(60);
    expect(mid[0]).toBeLessThanOrEqual(62);
    expect(mid[1]).toBe(mid[0]);
  });

  it('accepts a fixed stretch and validates inputs', () => {
    const band = new Float32Array([0, 0.1, 0.2, Number.NaN]);
    const stretch = { red: { lo: 0, hi: 0.2 }, green: { lo: 0, hi: 0.2 }, blue: { lo: 0, hi: 0.2 } };
    const { rgba } = trueColourRgba(band, band, band, new Uint8Array(4).fill(1), { stretch });
    expect(Array.from(rgba)).toEqual([0, 0, 0, 255, 128, 128, 128, 255, 255, 255, 255, 255, 0, 0, 0, 0]);
    const bad = expect.objectContaining({ code: 'bad-input' });
    expect(() => trueColourRgba(band, band, new Float32Array(3), new Uint8Array(4))).toThrow(bad);
    expect(() =>
      trueColourRgba(band, band, band, new Uint8Array(4), { lowPercentile: 50, highPercentile: 50 }),
    ).toThrow(bad);
  });
});
