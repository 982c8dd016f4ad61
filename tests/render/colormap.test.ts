import { describe, expect, it } from 'vitest';
import { colormapIndex, colormapRGB, VIRIDIS_LUT } from '../../src/lib/render/colormap.ts';
import { similarityToRgba } from '../../src/lib/render/similarity-image.ts';

describe('viridis', () => {
  it('has 256 entries with the standard end and middle colours', () => {
    expect(VIRIDIS_LUT).toHaveLength(768);
    expect(colormapRGB(0)).toEqual([68, 1, 84]); // #440154
    expect(colormapRGB(0.5)).toEqual([33, 145, 140]); // entry 128, #21918c
    expect(colormapRGB(1)).toEqual([253, 231, 37]); // #fde725
  });

  it('clamps out-of-range and NaN inputs', () => {
    expect(colormapIndex(-3)).toBe(0);
    expect(colormapIndex(Number.NaN)).toBe(0);
    expect(colormapIndex(7)).toBe(255);
  });

  it('gets brighter (green channel rises) along the ramp', () => {
    for (let i = 1; i < 256; i++)
      expect(VIRIDIS_LUT[i * 3 + 1]!).toBeGreaterThanOrEqual(VIRIDIS_LUT[i * 3 - 2]!);
  });
});

describe('similarityToRgba', () => {
  it('colours scores at or above threshold by viridis over [min, max], alpha 220', () => {
    const scores = new Float32Array([Number.NaN, 0.2, 0.5, 0.75, 1, 2]);
    const rgba = similarityToRgba(scores, { threshold: 0.5, min: 0.5, max: 1 });
    expect(rgba).toHaveLength(24);
    expect(Array.from(rgba.subarray(0, 8))).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expect(Array.from(rgba.subarray(8, 12))).toEqual([68, 1, 84, 220]);
    expect(Array.from(rgba.subarray(12, 16))).toEqual([...colormapRGB(0.5), 220]);
    expect(Array.from(rgba.subarray(16, 20))).toEqual([253, 231, 37, 220]);
    expect(Array.from(rgba.subarray(20, 24))).toEqual([253, 231, 37, 220]); // clamped above max
  });

  it('uses the bright end for a degenerate range and reuses an output buffer', () => {
    const out = new Uint8ClampedArray(8).fill(9);
    const rgba = similarityToRgba(new Float32Array([0.9, 0.1]), { threshold: 0.5, min: 0.9, max: 0.9, out });
    expect(rgba).toBe(out);
    expect(Array.from(rgba)).toEqual([253, 231, 37, 220, 0, 0, 0, 0]);
    expect(() => similarityToRgba(new Float32Array(3), { threshold: 0, min: 0, max: 1, out })).toThrow(
      expect.objectContaining({ code: 'bad-input' }),
    );
  });
});
