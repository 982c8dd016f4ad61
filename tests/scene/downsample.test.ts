import { describe, expect, it } from 'vitest';
import { downsampleScene } from '../../src/lib/scene/downsample.ts';
import type { Scene } from '../../src/lib/scene/scene.ts';

function scene(width: number, height: number, values: number[], valid: number[]): Scene {
  return {
    id: 's',
    title: 's',
    datetime: '2022-06-01T00:00:00Z',
    source: 'pack',
    grid: { width, height, epsg: 32632, transform: { originX: 1000, originY: 2000, resX: 10, resY: 10 } },
    bands: ['red'],
    reflectance: [Float32Array.from(values)],
    valid: Uint8Array.from(valid),
    validFraction: valid.filter(Boolean).length / valid.length,
    maskDescription: 'nodata only',
  };
}

describe('downsampleScene', () => {
  it('averages the valid pixels of each block and keeps the origin', () => {
    // 3 x 2 pixels, factor 2: blocks [0,1 | 3,4] and [2 | 5] (partial at the right edge).
    const s = downsampleScene(scene(3, 2, [1, 2, 3, 4, 5, 6], [1, 1, 1, 1, 0, 1]), 2);
    expect([s.grid.width, s.grid.height]).toEqual([2, 1]);
    expect(s.grid.transform).toEqual({ originX: 1000, originY: 2000, resX: 20, resY: 20 });
    expect(Array.from(s.reflectance[0]!)).toEqual([Math.fround((1 + 2 + 4) / 3), (3 + 6) / 2]);
    expect(Array.from(s.valid)).toEqual([1, 1]);
  });

  it('marks a block invalid when fewer than half its pixels are valid', () => {
    const s = downsampleScene(scene(2, 2, [1, 2, 3, 4], [1, 0, 0, 0]), 2);
    expect(Array.from(s.valid)).toEqual([0]);
    expect(s.validFraction).toBe(0);
  });

  it('returns the scene itself for factor 1 and refuses nonsense', () => {
    const s = scene(1, 1, [1], [1]);
    expect(downsampleScene(s, 1)).toBe(s);
    expect(() => downsampleScene(s, 0)).toThrow(/whole number/);
  });
});
