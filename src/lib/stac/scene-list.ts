import type { BBox } from '../geo/index.ts';
import type { BandKey } from './bands.ts';
import { areaCoverage, footprintShare } from './coverage.ts';
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

/**
 * Every item as a list row, newest first. `area`: the area searched, which coverage is
 * measured against; 'footprints' (a pack opened whole): the ground all items cover together.
 */
export function summarizeScenes(
  items: readonly SceneItem[],
  area: BBox | 'footprints',
  required: readonly BandKey[],
): SceneSummary[] {
  const extent = area === 'footprints' ? unionBox(items) : area;
  const share = (item: SceneItem) =>
    area === 'footprints' ? footprintShare(item, items, extent) : areaCoverage([item], extent);
  return items
    .map((item) => ({
      id: item.id,
      datetime: item.datetime,
      cloudCover: item.cloudCover,
      coverage: Math.round(share(item) * 1000) / 10,
      thumbnail: item.thumbnail,
      tile: item.tile,
      platform: item.platform,
      missingBands: required.filter((band) => !item.assets[band]),
    }))
    .sort((a, b) => b.datetime.localeCompare(a.datetime) || a.id.localeCompare(b.id));
}

/** The WGS84 box around every item (the world when there is none). */
export function unionBox(items: readonly SceneItem[]): BBox {
  if (items.length === 0) return [-180, -90, 180, 90];
  const boxes = items.map((i) => i.bboxWgs84);
  return [
    Math.min(...boxes.map((b) => b[0])),
    Math.min(...boxes.map((b) => b[1])),
    Math.max(...boxes.map((b) => b[2])),
    Math.max(...boxes.map((b) => b[3])),
  ];
}

/** One month's (or half-month's) choice in a multi-date request. */
export interface MonthScene {
  /** "2022-06", or "2022-06 (01–15)" for a half-month */
  month: string;
  /** One item, or the tiles of one overpass to mosaic (see chooseScene). */
  items: SceneItem[];
}

/** A period's key and label for a UTC datetime: its calendar month, "2022-06". */
export const monthOf = (datetime: string): string => datetime.slice(0, 7);

/**
 * Its half of a calendar month, "2022-06 (01–15)" or "2022-06 (16–30)" (labels that sort in
 * date order): Sentinel-2 passes every 5 days, 2–3 times a half-month, so a year of scenes
 * gives up to 24 such dates.
 */
export function halfMonthOf(datetime: string): string {
  const month = datetime.slice(0, 7);
  if (Number(datetime.slice(8, 10)) <= 15) return `${month} (01–15)`;
  const last = new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 0)).getUTCDate();
  return `${month} (16–${last})`;
}

/**
 * The best scene of every period (`periodOf`: calendar month by default) that has one, oldest
 * first: input for time series (Presto, Galileo-nano) and for change between two dates.
 * Periods whose items all lack the required bands or miss the area are left out, not failed.
 */
export function bestPerMonth(
  items: readonly SceneItem[],
  area: BBox,
  required: readonly BandKey[],
  periodOf: (datetime: string) => string = monthOf,
): MonthScene[] {
  const periods = new Map<string, SceneItem[]>();
  for (const item of items) {
    const period = periodOf(item.datetime);
    periods.set(period, [...(periods.get(period) ?? []), item]);
  }
  const out: MonthScene[] = [];
  for (const period of [...periods.keys()].sort()) {
    try {
      out.push({ month: period, items: chooseScene(periods.get(period)!, required, area) });
    } catch {
      // No usable item this period: it is simply absent from the series.
    }
  }
  return out;
}
