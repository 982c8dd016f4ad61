import { AppError } from '../errors.ts';
import type { BBox } from '../geo/geotransform.ts';
import type { BandKey } from './bands.ts';
import type { SceneItem } from './scene-item.ts';

/** Fraction of `area` covered by `bbox` (both WGS84 [w, s, e, n]); planar, fine at scene scale. */
export function bboxCoverage(bbox: BBox, area: BBox): number {
  const w = Math.max(0, Math.min(bbox[2], area[2]) - Math.max(bbox[0], area[0]));
  const h = Math.max(0, Math.min(bbox[3], area[3]) - Math.max(bbox[1], area[1]));
  const areaSize = (area[2] - area[0]) * (area[3] - area[1]);
  return areaSize > 0 ? (w * h) / areaSize : 0;
}

/**
 * The scene to open: among items that hold the required bands and cover the area (when one
 * is given), the least cloudy; ties go to the more recent. Items without a cloud cover sort last.
 */
export function chooseBestItem(items: SceneItem[], required: readonly BandKey[], area?: BBox): SceneItem {
  const usable = items.filter((item) => required.every((band) => item.assets[band]));
  if (usable.length === 0) {
    const first = items[0];
    const missing = first ? required.filter((band) => !first.assets[band]) : required;
    throw new AppError(
      'bad-input',
      `No scene has the bands the encoder needs (missing: ${missing.join(', ')}).`,
    );
  }
  const coverage = (item: SceneItem) => (area ? bboxCoverage(item.bboxWgs84, area) : 1);
  const best = Math.max(...usable.map(coverage));
  const covering = usable.filter((item) => coverage(item) >= Math.min(0.99, best));
  covering.sort(
    (a, b) => (a.cloudCover ?? 101) - (b.cloudCover ?? 101) || b.datetime.localeCompare(a.datetime),
  );
  return covering[0]!;
}
