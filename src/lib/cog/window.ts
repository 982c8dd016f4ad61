import { AppError } from '../errors.ts';
import { type BBox, crsToPixel, type GeoTransform, type GridSpec } from '../geo/index.ts';

/** Integer pixel window [x0, y0, x1, y1) of an image (x1/y1 exclusive, as geotiff.js wants). */
export type PixelWindow = [number, number, number, number];

/**
 * The target grid for an area: the reference image's pixel grid, cut to the pixels that
 * touch the area (snapped outwards) and clipped to the image. The whole image when no area.
 */
export function gridForArea(
  ref: { epsg: number; transform: GeoTransform; width: number; height: number },
  area: BBox | undefined,
): GridSpec {
  const t = ref.transform;
  if (!area) return { width: ref.width, height: ref.height, epsg: ref.epsg, transform: { ...t } };
  const [c0, r0] = crsToPixel(t, area[0], area[3]);
  const [c1, r1] = crsToPixel(t, area[2], area[1]);
  const x0 = Math.max(0, Math.floor(c0 + 1e-9));
  const y0 = Math.max(0, Math.floor(r0 + 1e-9));
  const x1 = Math.min(ref.width, Math.ceil(c1 - 1e-9));
  const y1 = Math.min(ref.height, Math.ceil(r1 - 1e-9));
  if (x1 <= x0 || y1 <= y0) throw new AppError('bad-input', 'The chosen area does not overlap the scene.');
  return {
    width: x1 - x0,
    height: y1 - y0,
    epsg: ref.epsg,
    transform: {
      originX: t.originX + x0 * t.resX,
      originY: t.originY - y0 * t.resY,
      resX: t.resX,
      resY: t.resY,
    },
  };
}

/**
 * The window of a source image (same CRS) that covers a target grid, with `margin` extra
 * pixels for interpolation, clipped to the image. Undefined when they do not overlap.
 */
export function sourceWindow(
  source: { transform: GeoTransform; width: number; height: number },
  target: GridSpec,
  margin = 1,
): PixelWindow | undefined {
  const t = target.transform;
  const [c0, r0] = crsToPixel(source.transform, t.originX, t.originY);
  const [c1, r1] = crsToPixel(
    source.transform,
    t.originX + target.width * t.resX,
    t.originY - target.height * t.resY,
  );
  const x0 = Math.max(0, Math.floor(c0 + 1e-9) - margin);
  const y0 = Math.max(0, Math.floor(r0 + 1e-9) - margin);
  const x1 = Math.min(source.width, Math.ceil(c1 - 1e-9) + margin);
  const y1 = Math.min(source.height, Math.ceil(r1 - 1e-9) + margin);
  return x1 > x0 && y1 > y0 ? [x0, y0, x1, y1] : undefined;
}

/** Index of the coarsest level whose resolution is still at least as fine as `resolution`. */
export function chooseLevel(levelResolutions: readonly number[], resolution: number): number {
  let chosen = 0;
  levelResolutions.forEach((res, index) => {
    if (res <= resolution * 1.001 && res >= (levelResolutions[chosen] ?? 0)) chosen = index;
  });
  return chosen;
}

/**
 * The window as stored in the file: the same for top-down files; for a bottom-up file
 * (`rowsUp`) picture rows [y0, y1) are stored rows [height - y1, height - y0).
 */
export function storedWindow(window: PixelWindow, height: number, rowsUp: boolean | undefined): PixelWindow {
  const [x0, y0, x1, y1] = window;
  return rowsUp ? [x0, height - y1, x1, height - y0] : window;
}

/** Reverses the row order of a row-major block in place (a bottom-up read made top-down). */
export function flipRows(values: { length: number; [index: number]: number }, rowLength: number): void {
  const rows = Math.floor(values.length / rowLength);
  for (let top = 0, bottom = rows - 1; top < bottom; top++, bottom--) {
    for (let i = 0, a = top * rowLength, b = bottom * rowLength; i < rowLength; i++, a++, b++) {
      const t = values[a]!;
      values[a] = values[b]!;
      values[b] = t;
    }
  }
}
