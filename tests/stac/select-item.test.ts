import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/lib/errors.ts';
import type { BBox } from '../../src/lib/geo/index.ts';
import type { BandKey } from '../../src/lib/stac/bands.ts';
import type { BandAsset, SceneItem } from '../../src/lib/stac/scene-item.ts';
import { bboxCoverage, chooseBestItem } from '../../src/lib/stac/select-item.ts';

const RGB = ['red', 'green', 'blue'] as const;

function item(
  id: string,
  bbox: BBox,
  cloudCover: number | undefined,
  datetime: string,
  bands: BandKey[] = [...RGB],
): SceneItem {
  const assets: Partial<Record<BandKey, BandAsset>> = {};
  for (const key of bands) {
    assets[key] = { key, href: `https://x/${id}/${key}.tif`, scale: 0.0001, offset: 0, nodata: 0, gsd: 10 };
  }
  return {
    id,
    collection: 'sentinel-2-c1-l2a',
    datetime,
    cloudCover,
    epsg: 32632,
    bboxWgs84: bbox,
    processingBaseline: undefined,
    platform: undefined,
    thumbnail: undefined,
    assets,
  };
}

const AREA: BBox = [12.0, 46.0, 12.2, 46.2];
const FULL: BBox = [11.5, 45.5, 12.5, 46.5];
const HALF: BBox = [12.1, 45.5, 13.0, 46.5];

describe('bboxCoverage', () => {
  it('is the covered fraction of the area', () => {
    expect(bboxCoverage(FULL, AREA)).toBe(1);
    expect(bboxCoverage(HALF, AREA)).toBeCloseTo(0.5, 12);
    expect(bboxCoverage([0, 0, 2, 2], [1, 1, 3, 3])).toBe(0.25);
    expect(bboxCoverage([0, 0, 1, 1], [2, 2, 3, 3])).toBe(0);
    expect(bboxCoverage([0, 0, 1, 1], [1, 0, 2, 1])).toBe(0);
    expect(bboxCoverage(FULL, [12, 46, 12, 46])).toBe(0);
  });
});

describe('chooseBestItem', () => {
  it('takes the least cloudy among the items that cover the area', () => {
    const items = [
      item('clear-but-half', HALF, 0.5, '2022-06-10T10:00:00Z'),
      item('cloudy-full', FULL, 30, '2022-06-11T10:00:00Z'),
      item('best', FULL, 5, '2022-06-12T10:00:00Z'),
      item('unknown-cloud', FULL, undefined, '2022-06-13T10:00:00Z'),
    ];
    expect(chooseBestItem(items, RGB, AREA).id).toBe('best');
    // Without an area every item counts as covering: the clearest wins.
    expect(chooseBestItem(items, RGB).id).toBe('clear-but-half');
  });

  it('breaks ties by the more recent date and sorts unknown cloud cover last', () => {
    const items = [
      item('older', FULL, 5, '2022-06-01T10:00:00Z'),
      item('newer', FULL, 5, '2022-06-20T10:00:00Z'),
      item('unknown', FULL, undefined, '2022-06-30T10:00:00Z'),
    ];
    expect(chooseBestItem(items, RGB, AREA).id).toBe('newer');
    expect(
      chooseBestItem(
        [
          item('unknown', FULL, undefined, '2022-06-30T10:00:00Z'),
          item('cloudy', FULL, 99, '2022-06-01T10:00:00Z'),
        ],
        RGB,
      ).id,
    ).toBe('cloudy');
  });

  it('falls back to the best coverage there is when nothing covers the area fully', () => {
    const items = [
      item('quarter', [12.1, 46.1, 13, 47], 1, '2022-06-01T10:00:00Z'),
      item('half-a', HALF, 20, '2022-06-02T10:00:00Z'),
      item('half-b', HALF, 10, '2022-06-03T10:00:00Z'),
    ];
    expect(chooseBestItem(items, RGB, AREA).id).toBe('half-b');
  });

  it('skips items without the required bands', () => {
    const items = [
      item('no-blue', FULL, 0, '2022-06-01T10:00:00Z', ['red', 'green']),
      item('rgb', FULL, 50, '2022-06-01T10:00:00Z'),
    ];
    expect(chooseBestItem(items, RGB, AREA).id).toBe('rgb');
  });

  it('names the missing bands when no item has them', () => {
    let caught: unknown;
    try {
      chooseBestItem(
        [item('rg', FULL, 0, '2022-06-01T10:00:00Z', ['red', 'green', 'nir'])],
        [...RGB, 'swir16'],
      );
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(AppError);
    expect((caught as AppError).code).toBe('bad-input');
    expect((caught as AppError).message).toContain('missing: blue, swir16');
    expect(() => chooseBestItem([], RGB)).toThrow(/missing: red, green, blue/);
  });
});
