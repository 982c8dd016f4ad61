import { describe, expect, it } from 'vitest';
import type { BBox } from '../../src/lib/geo/index.ts';
import type { SceneListing } from '../../src/lib/scene/index.ts';
import { YEARLY_MAX_DATES, yearlyMonths } from '../../src/lib/scene/index.ts';
import type { BandKey } from '../../src/lib/stac/bands.ts';
import { areaCoverage } from '../../src/lib/stac/coverage.ts';
import type { BandAsset, SceneItem } from '../../src/lib/stac/scene-item.ts';
import {
  bestPerMonth,
  halfMonthOf,
  type MonthScene,
  summarizeScenes,
} from '../../src/lib/stac/scene-list.ts';
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

  it('yearly mode: 12 months, or up to 24 half-months of those months, oldest first', () => {
    // 14 months of scenes every 5 days, the cloud cover varying so each period has one best.
    const items: SceneItem[] = [];
    for (let day = 0; day < 14 * 30; day += 5) {
      const date = new Date(Date.UTC(2021, 4, 3) + day * 86_400_000).toISOString();
      items.push(item(`s${day}`, WHOLE, (day * 37) % 23, date, 'T'));
    }
    const ids = (scenes: MonthScene[]) =>
      scenes.map((m) => ({ month: m.month, itemIds: m.items.map((i) => i.id) }));
    const listing: SceneListing = {
      scenes: [],
      defaultIds: [],
      months: ids(bestPerMonth(items, AREA, RGB)),
      halfMonths: ids(bestPerMonth(items, AREA, RGB, halfMonthOf)),
    };
    const monthly = yearlyMonths(listing);
    expect(monthly.map((m) => m.month)).toEqual(listing.months.slice(-12).map((m) => m.month));
    const twice = yearlyMonths(listing, 'half-month');
    expect(twice).toHaveLength(YEARLY_MAX_DATES);
    // The same year, each half in date order, each its period's least cloudy scene.
    expect(twice[0]?.month).toBe(`${monthly[0]?.month} (01–15)`);
    expect(twice[1]?.month).toMatch(new RegExp(`^${monthly[0]?.month} \\(16–3[01]\\)$`));
    expect(twice.at(-1)?.month.slice(0, 7)).toBe(monthly.at(-1)?.month);
    const dayOf = (id: string) => items.find((i) => i.id === id)?.datetime ?? '';
    for (const [i, half] of twice.entries()) {
      const [id] = half.itemIds;
      expect(halfMonthOf(dayOf(id ?? ''))).toBe(half.month);
      const rivals = items.filter((it) => halfMonthOf(it.datetime) === half.month);
      expect(Math.min(...rivals.map((r) => r.cloudCover ?? 100))).toBe(
        items.find((it) => it.id === id)?.cloudCover,
      );
      if (i > 0) expect(dayOf(id ?? '') > dayOf(twice[i - 1]?.itemIds[0] ?? '')).toBe(true);
    }
    expect(halfMonthOf('2024-02-20T10:00:00Z')).toBe('2024-02 (16–29)');
  });
});
