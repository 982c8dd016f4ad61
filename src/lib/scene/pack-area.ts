import { AppError } from '../errors.ts';
import type { BBox } from '../geo/geotransform.ts';
import type { SceneItem } from '../stac/scene-item.ts';

/** The WGS84 box around every item of a pack. */
export function packBox(items: readonly SceneItem[]): BBox {
  const boxes = items.map((i) => i.bboxWgs84);
  return [
    Math.min(...boxes.map((b) => b[0])),
    Math.min(...boxes.map((b) => b[1])),
    Math.max(...boxes.map((b) => b[2])),
    Math.max(...boxes.map((b) => b[3])),
  ];
}

const degrees = (box: BBox) => box.map((v) => v.toFixed(4)).join(', ');

/**
 * The part of `area` over the pack, for choosing and listing its scenes. A pack is small and
 * the area may be anything (a link's `bbox=0,40,20,50`): unclipped, scene choice samples the
 * whole area on a coarse grid, finds no sample on a 10 km pack and says "None of the scenes
 * found overlaps the chosen area". (Reading needs no clip: the reader cuts the grid to the
 * rasters.) An area that misses the pack entirely is said as such. `clipped` is true when the
 * area was cut, so the caller can say so.
 */
export function clipAreaToPack(
  area: BBox,
  items: readonly SceneItem[],
  where: string,
): { area: BBox; clipped: boolean } {
  if (items.length === 0) return { area, clipped: false };
  const pack = packBox(items);
  const clipped: BBox = [
    Math.max(area[0], pack[0]),
    Math.max(area[1], pack[1]),
    Math.min(area[2], pack[2]),
    Math.min(area[3], pack[3]),
  ];
  if (!(clipped[0] < clipped[2] && clipped[1] < clipped[3])) {
    throw new AppError(
      'bad-input',
      `The chosen area (${degrees(area)}) lies outside ${where}, which covers ${degrees(pack)}. Choose an area over the pack, or open it whole.`,
    );
  }
  const changed = clipped.some((v, i) => v !== area[i]);
  return { area: clipped, clipped: changed };
}

/** The progress line that says an area was cut to the pack. */
export function clippedMessage(area: BBox): string {
  return `The area reaches beyond the pack; using its part over the pack (${degrees(area)}).`;
}
