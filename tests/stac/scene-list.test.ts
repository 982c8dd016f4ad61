import { describe, expect, it } from 'vitest';
import type { BBox } from '../../src/lib/geo/geotransform.ts';
import type { BandKey } from '../../src/lib/stac/bands.ts';
import { areaCoverage } from '../../src/lib/stac/coverage.ts';
import type { BandAsset, SceneItem } from '../../src/lib/stac/scene-item.ts';
import { bestPerMonth, summarizeScenes } from '../../src/lib/stac/scene-list.ts';
import { chooseScene } from '../../src/lib/stac/select-item.ts';

const RGB = ['red', 'green', 'blue'] as const;
const AREA: BBox = [12, 46, 13, 47];

function item(
  id: string,
  ring: [number, number][],
  cloud: number,
  datetime: string,
  tile: string,
  bands: BandKey[] = [...RGB],
): SceneItem {
  const assets: Partial<Record<BandKey, BandAsset>> = {};
  for (const key of bands)
    assets[key] = { key, href: `https://x/${id}/${key}.tif`, scale: 1e-4, offset: 0, nodata: 0, gsd: 10 };
  const xs = ring.map((p) => p[0]);
  const ys = ring.map((p) => p[1]);
  return {
    id,
    collection: 'sentinel-2-c1-l2a',
    datetime,
    cloudCover: cloud,
    epsg: 32632,
    bboxWgs84: [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)],
    processingBaseline: undefined,
    platform: 'sentinel-2a',
    thumbnail: `https://x/${id}/thumb.jpg`,
    footprint: [ring],
    tile,
    assets,
  };
}

const WHOLE: [number, number][] = [
  [11.9, 45.9],
  [13.1, 45.9],
  [13.1, 47.1],
  [11.9, 47.1],
  [11.9, 45.9],
];
const WEST: [number, number][] = [
  [11.9, 45.9],
  [12.5, 45.9],
  [12.5, 47.1],
  [11.9, 47.1],
  [11.9, 45.9],
];
const EAST: [number, number][] = [
  [12.5, 45.9],
  [13.1, 45.9],
  [13.1, 47.1],
  [12.5, 47.1],
  [12.5, 45.9],
];
/** A swath-edge sliver: its bbox covers the whole area, its footprint the lower-left half. */
const SLIVER: [number, number][] = [
  [11.9, 45.9],
  [13.1, 45.9],
  [11.9, 47.1],
  [11.9, 45.9],
];

describe('scene choice from footprints', () => {
  it('coverage comes from the footprint, not the bbox', () => {
    const sliver = item('sliver', SLIVER, 0, '2022-06-01T10:00:00Z', '32TQS');
    expect(areaCoverage([sliver], AREA)).toBeGreaterThan(0.45);
    expect(areaCoverage([sliver], AREA)).toBeLessThan(0.55);
    expect(summarizeScenes([sliver], AREA, RGB)[0]).toMatchObject({
      id: 'sliver',
      cloudCover: 0,
      thumbnail: 'https://x/sliver/thumb.jpg',
      tile: '32TQS',
      missingBands: [],
    });
  });

  it('a pack opened whole: its only scene covers 100%, two halves 50% each (issue 14, item 8)', () => {
    const only = item('only', SLIVER, 0, '2022-06-01T10:00:00Z', '32TQS');
    expect(summarizeScenes([only], 'footprints', RGB)[0]?.coverage).toBe(100);
    const halves = [
      item('west', WEST, 0, '2022-06-01T10:00:00Z', '32TQS'),
      item('east', EAST, 0, '2022-06-02T10:00:00Z', '32TQS'),
    ];
    for (const row of summarizeScenes(halves, 'footprints', RGB)) {
      expect(row.coverage).toBeGreaterThan(45);
      expect(row.coverage).toBeLessThan(55);
    }
  });

  it('a covering scene beats a less cloudy sliver', () => {
    const items = [
      item('sliver', SLIVER, 0, '2022-06-01T10:00:00Z', '32TQS'),
      item('whole', WHOLE, 20, '2022-06-02T10:00:00Z', '32TQT'),
    ];
    expect(chooseScene(items, RGB, AREA).map((i) => i.id)).toEqual(['whole']);
  });

  it('two tiles of one overpass are mosaicked when no single tile covers the area', () => {
    const items = [
      item('west', WEST, 10, '2022-06-05T10:00:00Z', '32TQS'),
      item('east', EAST, 4, '2022-06-05T10:00:00Z', '33TUM'),
      item('west-later', WEST, 0, '2022-06-09T10:00:00Z', '32TQS'),
    ];
    expect(chooseScene(items, RGB, AREA).map((i) => i.id)).toEqual(['east', 'west']);
  });

  it('best per month skips months without a usable scene', () => {
    const items = [
      item('jun', WHOLE, 30, '2022-06-05T10:00:00Z', 'T'),
      item('jun-clear', WHOLE, 2, '2022-06-20T10:00:00Z', 'T'),
      item('jul-no-blue', WHOLE, 0, '2022-07-05T10:00:00Z', 'T', ['red', 'green']),
      item('aug', WHOLE, 9, '2022-08-05T10:00:00Z', 'T'),
    ];
    expect(bestPerMonth(items, AREA, RGB).map((m) => [m.month, m.items.map((i) => i.id)])).toEqual([
      ['2022-06', ['jun-clear']],
      ['2022-08', ['aug']],
    ]);
  });
});
