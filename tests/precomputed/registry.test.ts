import { describe, expect, it } from 'vitest';
import { gridBounds } from '../../src/lib/geo/index.ts';
import { families, PRODUCTS, productFor } from '../../src/lib/precomputed/registry.ts';
import { targetGridFor } from '../../src/lib/precomputed/target-grid.ts';

describe('precomputed registry', () => {
  it('lists each family once and finds its product', () => {
    expect(new Set(families()).size).toBe(PRODUCTS.length);
    expect(families()).toContain('collection');
    expect(productFor('collection').family).toBe('collection');
    for (const p of PRODUCTS) expect(p.title.length).toBeGreaterThan(5);
  });

  it('an unknown family is a clear bad-input naming what there is', () => {
    expect(() => productFor('landsat')).toThrow(/no precomputed product "landsat".*available: .*collection/);
    try {
      productFor('landsat');
    } catch (error) {
      expect((error as { code: string }).code).toBe('bad-input');
    }
  });
});

describe('targetGridFor', () => {
  it('covers the area in the UTM zone of its centre, edges on multiples of the pixel size', () => {
    const grid = targetGridFor([12.1, 46.5, 12.2, 46.56], 10);
    expect(grid.epsg).toBe(32633);
    expect(grid.transform.originX % 10).toBe(0);
    expect(grid.transform.originY % 10).toBe(0);
    const [minX, minY, maxX, maxY] = gridBounds(grid);
    expect(maxX - minX).toBeGreaterThan(7000);
    expect(maxY - minY).toBeGreaterThan(6500);
    expect(targetGridFor([12.1, 46.5, 12.2, 46.56], 40).width).toBe(Math.ceil(grid.width / 4));
  });

  it('refuses an empty area', () => {
    expect(() => targetGridFor([12, 46, 12, 46.1])).toThrow('Choose an area first');
  });
});
