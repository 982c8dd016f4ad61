import { describe, expect, it } from 'vitest';
import { crsToPixel, type GeoTransform, gridBounds, pixelToCrs } from '../../src/lib/geo/geotransform.ts';

const t: GeoTransform = { originX: 740350, originY: 5168160, resX: 10, resY: 20 };

describe('pixelToCrs / crsToPixel', () => {
  it('maps pixel corners north-up (y decreases with rows)', () => {
    expect(pixelToCrs(t, 0, 0)).toEqual([740350, 5168160]);
    expect(pixelToCrs(t, 1, 0)).toEqual([740360, 5168160]);
    expect(pixelToCrs(t, 0, 1)).toEqual([740350, 5168140]);
    expect(pixelToCrs(t, 2.5, 3.5)).toEqual([740375, 5168090]);
  });

  it('are inverse to each other', () => {
    for (const [col, row] of [
      [0, 0],
      [1, 1],
      [12.25, 7.75],
      [1058.5, 933.5],
      [-3, -2],
    ] as [number, number][]) {
      const [x, y] = pixelToCrs(t, col, row);
      const [c, r] = crsToPixel(t, x, y);
      expect(c).toBeCloseTo(col, 9);
      expect(r).toBeCloseTo(row, 9);
    }
    const [c, r] = crsToPixel(t, 740355, 5168150);
    expect([c, r]).toEqual([0.5, 0.5]);
    expect(pixelToCrs(t, c, r)).toEqual([740355, 5168150]);
  });

  it('floor() of crsToPixel is the containing pixel', () => {
    const [c, r] = crsToPixel(t, 740379.9, 5168100.1);
    expect(Math.floor(c)).toBe(2);
    expect(Math.floor(r)).toBe(2);
  });
});

describe('gridBounds', () => {
  it('is [minX, minY, maxX, maxY] of the outer pixel edges', () => {
    expect(gridBounds({ width: 1059, height: 934, epsg: 32632, transform: t })).toEqual([
      740350,
      5168160 - 934 * 20,
      740350 + 1059 * 10,
      5168160,
    ]);
    expect(
      gridBounds({
        width: 1,
        height: 1,
        epsg: 4326,
        transform: { originX: -1, originY: 1, resX: 2, resY: 2 },
      }),
    ).toEqual([-1, -1, 1, 1]);
  });
});
