import { describe, expect, it } from 'vitest';
import { LOG_FLOOR, spectralTexture, TEXTURE_RADII } from '../../src/lib/encoder/spectral-texture.ts';

/** Brute-force window standard deviation of the mean log reflectance, valid pixels only. */
function bruteForce(
  bands: Float32Array[],
  valid: Uint8Array,
  width: number,
  height: number,
  r: number,
  x: number,
  y: number,
): number {
  const values: number[] = [];
  for (let yy = Math.max(0, y - r); yy <= Math.min(height - 1, y + r); yy++)
    for (let xx = Math.max(0, x - r); xx <= Math.min(width - 1, x + r); xx++) {
      const p = yy * width + xx;
      if (valid[p] === 0) continue;
      values.push(bands.reduce((s, b) => s + Math.log(Math.max(b[p]!, LOG_FLOOR)), 0) / bands.length);
    }
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  return Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length);
}

describe('spectral texture', () => {
  const width = 23;
  const height = 17;
  let seed = 7;
  const next = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 2 ** 32;
  };
  const bands = [0, 1, 2].map(() => Float32Array.from({ length: width * height }, () => next() * 0.4 - 0.02));
  const valid = Uint8Array.from({ length: width * height }, (_, p) => (p % 9 === 4 ? 0 : 1));

  it('equals the brute-force window std at every pixel, edges and invalid neighbours included', () => {
    const columns = spectralTexture(bands, valid, width, height);
    expect(columns).toHaveLength(TEXTURE_RADII.length);
    TEXTURE_RADII.forEach((r, i) => {
      const column = columns[i]!;
      for (let y = 0; y < height; y++)
        for (let x = 0; x < width; x++) {
          const p = y * width + x;
          if (valid[p] === 0) expect(Number.isNaN(column[p]!)).toBe(true);
          else expect(column[p]).toBeCloseTo(bruteForce(bands, valid, width, height, r, x, y), 5);
        }
    });
  });

  it('is 0 on a uniform surface and larger on a rough one', () => {
    const flat = [new Float32Array(width * height).fill(0.1)];
    const all = new Uint8Array(width * height).fill(1);
    const [smooth] = spectralTexture(flat, all, width, height);
    expect(Math.max(...smooth!)).toBeLessThan(1e-6);
    const [rough] = spectralTexture(bands, all, width, height);
    expect(rough![8 * width + 11]).toBeGreaterThan(0.1);
  });
});
