import type { BBox } from '../geo/geotransform.ts';
import type { BandKey } from './bands.ts';
import { areaCoverage } from './coverage.ts';
import type { SceneItem } from './scene-item.ts';
import { chooseScene } from './select-item.ts';

/** One row of the scene list the UI shows. */
export interface SceneSummary {
  id: string;
  /** ISO date-time of acquisition. */
  datetime: string;
  /** eo:cloud_cover of the whole tile, percent; undefined when the item has none. */
  cloudCover: number | undefined;
  /** Percent (0..100) of the area the item's footprint covers. */
  coverage: number;
  thumbnail: string | undefined;
  tile: string | undefined;
  platform: string | undefined;
  /** Bands the app needs that this item lacks (empty when it can be opened). */
  missingBands: BandKey[];
}

/** Every item as a list row, newest first. */
export function summarizeScenes(
  items: readonly SceneItem[],
  area: BBox,
  required: readonly BandKey[],
): SceneSummary[] {
  return items
    .map((item) => ({
      id: item.id,
      datetime: item.datetime,
      cloudCover: item.cloudCover,
      coverage: Math.round(areaCoverage([item], area) * 1000) / 10,
      thumbnail: item.thumbnail,
      tile: item.tile,
      platform: item.platform,
      missingBands: required.filter((band) => !item.assets[band]),
    }))
    .sort((a, b) => b.datetime.localeCompare(a.datetime) || a.id.localeCompare(b.id));
}

/** One month's choice in a multi-date request. */
export interface MonthScene {
  /** "2022-06" */
  month: string;
  /** One item, or the tiles of one overpass to mosaic (see chooseScene). */
  items: SceneItem[];
}

/**
 * The best scene of every calendar month (UTC) that has one, oldest first: input for time
 * series (Presto) and for change between two dates. Months whose items all lack the
 * required bands or miss the area are left out, not failed.
 */
export function bestPerMonth(
  items: readonly SceneItem[],
  area: BBox,
  required: readonly BandKey[],
): MonthScene[] {
  const months = new Map<string, SceneItem[]>();
  for (const item of items) {
    const month = item.datetime.slice(0, 7);
    months.set(month, [...(months.get(month) ?? []), item]);
  }
  const out: MonthScene[] = [];
  for (const month of [...months.keys()].sort()) {
    try {
      out.push({ month, items: chooseScene(months.get(month)!, required, area) });
    } catch {
      // No usable item this month: the month is simply absent from the series.
    }
  }
  return out;
}
