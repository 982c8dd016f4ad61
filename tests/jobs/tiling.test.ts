import { describe, expect, it } from 'vitest';
import { createEmbeddingGrid } from '../../src/lib/embeddings/index.ts';
import { gridBounds } from '../../src/lib/geo/index.ts';
import { cropHalo } from '../../src/lib/jobs/halo-crop.ts';
import { planTiles, tilePixels, withHalo, zoneParts } from '../../src/lib/jobs/tiling.ts';

describe('job tiling on the UTM grid', () => {
  it('tiles of one zone share edges exactly and cover the area box without gaps or overlaps', () => {
    const tiles = planTiles({ bbox: [11.9, 46.5, 12.3, 46.6], tileKm: 5, resolutionM: 10 });
    expect(new Set(tiles.map((t) => t.epsg))).toEqual(new Set([32632, 32633]));
    const zone32 = tiles.filter((t) => t.epsg === 32632);
    for (const t of zone32) {
      expect([t.grid.width, t.grid.height]).toEqual([500, 500]);
      expect(t.grid.transform.originX % 5000).toBe(0);
      expect(t.grid.transform.originY % 5000).toBe(0);
    }
    // A full rectangle of tiles: every column next to the previous one by exactly one tile
    // (east edge = west edge of the neighbour), every (column, row) present once.
    const xs = [...new Set(zone32.map((t) => t.grid.transform.originX))].sort((p, q) => p - q);
    const ys = [...new Set(zone32.map((t) => t.grid.transform.originY))].sort((p, q) => p - q);
    expect(xs.slice(1).map((x, i) => x - xs[i]!)).toEqual(xs.slice(1).map(() => 5000));
    expect(ys.slice(1).map((y, i) => y - ys[i]!)).toEqual(ys.slice(1).map(() => 5000));
    expect(zone32.length).toBe(xs.length * ys.length);
    const east = gridBounds(zone32[0]!.grid)[2];
    expect(zone32.some((t) => gridBounds(t.grid)[0] === east)).toBe(true);
    expect(new Set(zone32.map((t) => t.id)).size).toBe(zone32.length);
    expect(zone32[0]!.id).toMatch(/^32632_\d+_\d+$/);
  });

  it('cuts an area across a zone meridian and the equator into parts of their own zones', () => {
    const parts = zoneParts([5, -1, 7, 1]);
    expect(parts.map((p) => p.epsg)).toEqual([32631, 32731, 32632, 32732]);
    expect(parts[0]!.part).toEqual([5, 0, 6, 1]);
    expect(parts[3]!.part).toEqual([6, -1, 7, 0]);
  });

  it('puts the whole area on one zone when asked (the scene tiles own zone)', () => {
    const tiles = planTiles({ bbox: [12.1, 46.5, 12.3, 46.6], tileKm: 5, resolutionM: 10, epsg: 32632 });
    expect(new Set(tiles.map((t) => t.epsg))).toEqual(new Set([32632]));
    expect(() =>
      planTiles({ bbox: [12.1, 46.5, 12.3, 46.6], tileKm: 5, resolutionM: 10, epsg: 4326 }),
    ).toThrow(/not a UTM zone/);
  });

  it('refuses tile sizes that are not whole pixels or are too large, in words', () => {
    expect(tilePixels(1, 10)).toBe(100);
    expect(tilePixels(0.25, 10)).toBe(25);
    expect(() => tilePixels(1, 30)).toThrow(/not a whole number of 30 m pixels/);
    expect(() => tilePixels(100, 10)).toThrow(/10000 pixels a side/);
  });

  it('grows a tile by its halo and crops the halo off the embeddings again', () => {
    const grid = {
      width: 2,
      height: 2,
      epsg: 32632,
      transform: { originX: 1000, originY: 2000, resX: 10, resY: 10 },
    };
    expect(withHalo(grid, 1)).toEqual({
      width: 4,
      height: 4,
      epsg: 32632,
      transform: { originX: 990, originY: 2010, resX: 10, resY: 10 },
    });
    const data = Float32Array.from({ length: 16 * 2 }, (_, i) => i);
    const valid = Uint8Array.from({ length: 16 }, (_, p) => (p === 5 ? 0 : 1));
    const cropped = cropHalo(createEmbeddingGrid(4, 4, 2, data, valid), 1);
    expect([cropped.width, cropped.height]).toEqual([2, 2]);
    // Pixels (1,1), (2,1), (1,2), (2,2) of the 4 x 4 grid: 5, 6, 9, 10.
    expect([...cropped.data]).toEqual([10, 11, 12, 13, 18, 19, 20, 21]);
    expect([...cropped.valid]).toEqual([0, 1, 1, 1]);
  });
});
