import { AppError } from '../errors.ts';
import type { BBox } from '../geo/index.ts';
import type { SceneItem } from '../stac/index.ts';

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

/** The part of `box` inside `within`; undefined when they do not overlap. */
export function boxWithin(box: BBox, within: BBox): BBox | undefined {
  const cut: BBox = [
    Math.max(box[0], within[0]),
    Math.max(box[1], within[1]),
    Math.min(box[2], within[2]),
    Math.min(box[3], within[3]),
  ];
  return cut[0] < cut[2] && cut[1] < cut[3] ? cut : undefined;
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
  const clipped = boxWithin(area, pack);
  if (!clipped) {
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
