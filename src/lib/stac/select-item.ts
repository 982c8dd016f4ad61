import { AppError } from '../errors.ts';
import type { BBox } from '../geo/index.ts';
import type { BandKey } from './bands.ts';
import { areaCoverage } from './coverage.ts';
import type { SceneItem } from './scene-item.ts';

export { bboxCoverage } from './coverage.ts';

/** Coverage at or above this counts as "covers the area" (footprints are sampled, see coverage.ts). */
export const FULL_COVERAGE = 0.99;

function usableItems(items: SceneItem[], required: readonly BandKey[]): SceneItem[] {
  const usable = items.filter((item) => required.every((band) => item.assets[band]));
  if (usable.length === 0) {
    const first = items[0];
    const missing = first ? required.filter((band) => !first.assets[band]) : required;
    throw new AppError(
      'bad-input',
      `No scene has the bands the encoder needs (missing: ${missing.join(', ')}${first ? ` in ${first.id}` : ''}).`,
    );
  }
  return usable;
}

const byCloudThenRecent = (a: SceneItem, b: SceneItem) =>
  (a.cloudCover ?? 101) - (b.cloudCover ?? 101) || b.datetime.localeCompare(a.datetime);

/**
 * The scene to open: among items that hold the required bands and cover the area (when one
 * is given), the least cloudy; ties go to the more recent. Items without a cloud cover sort last.
 */
export function chooseBestItem(items: SceneItem[], required: readonly BandKey[], area?: BBox): SceneItem {
  return chooseScene(items, required, area)[0]!;
}

/** Acquisition day plus platform: tiles of one overpass, which can be mosaicked seamlessly. */
export function overpassKey(item: SceneItem): string {
  return `${item.datetime.slice(0, 10)}|${item.platform ?? ''}`;
}

/**
 * The item(s) to open for an area. One item when some item covers the area: the least
 * cloudy of those. Otherwise the tiles of one overpass (same day and platform) whose union
 * covers the most, least cloudy first: the area spans MGRS tiles and is mosaicked, not cut.
 */
export function chooseScene(items: SceneItem[], required: readonly BandKey[], area?: BBox): SceneItem[] {
  const usable = usableItems(items, required);
  if (!area) return [[...usable].sort(byCloudThenRecent)[0]!];
  const covering = usable.filter((item) => areaCoverage([item], area) >= FULL_COVERAGE);
  if (covering.length) return [covering.sort(byCloudThenRecent)[0]!];
  const groups = new Map<string, SceneItem[]>();
  for (const item of usable) {
    if (areaCoverage([item], area) === 0) continue;
    const key = overpassKey(item);
    // One item per MGRS tile and overpass (reprocessed duplicates: keep the least cloudy).
    const group = groups.get(key) ?? [];
    const twin = group.findIndex((g) => g.tile !== undefined && g.tile === item.tile);
    if (twin < 0) group.push(item);
    else if (byCloudThenRecent(item, group[twin]!) < 0) group[twin] = item;
    groups.set(key, group);
  }
  const ranked = [...groups.values()]
    .map((group) => ({ group: group.sort(byCloudThenRecent), coverage: areaCoverage(group, area) }))
    .sort(
      (a, b) =>
        // More of the area first (1 % counts as the same), then the least cloudy.
        (Math.abs(b.coverage - a.coverage) > 0.01 ? b.coverage - a.coverage : 0) ||
        meanCloud(a.group) - meanCloud(b.group),
    );
  const best = ranked[0];
  if (!best) throw new AppError('not-found', 'None of the scenes found overlaps the chosen area.');
  return best.group;
}

function meanCloud(items: readonly SceneItem[]): number {
  return items.reduce((sum, i) => sum + (i.cloudCover ?? 101), 0) / Math.max(1, items.length);
}
