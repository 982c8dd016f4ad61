/**
 * Raster to polygons: every label's pixels dissolved into polygons whose edges are exactly
 * the pixel edges (no marching-squares corner cutting). No npm package does this: d3-contour
 * and marchingsquares cut pixel corners diagonally, and the turf tools work on vectors.
 */
import { AppError } from '../errors.ts';
import { labelComponents } from './components.ts';
import { type PixelRing, ringArea2, traceRings } from './trace-rings.ts';

export type { PixelRing } from './trace-rings.ts';

/** Outer ring (counter-clockwise on the map) followed by its holes (clockwise). */
export type PixelPolygon = PixelRing[];

export interface LabelPolygons {
  label: number;
  /** One polygon per 4-connected patch of the label. */
  polygons: PixelPolygon[];
}

function checkRaster(labels: Uint8Array, width: number, height: number): void {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new AppError('bad-input', `Raster size must be positive integers, got ${width} x ${height}.`);
  }
  if (labels.length !== width * height) {
    throw new AppError(
      'bad-input',
      `Label raster has ${labels.length} pixels; ${width} x ${height} needs ${width * height}.`,
    );
  }
}

/**
 * Polygons of every label present except `nodata`, in ascending label order. Holes are
 * matched to outer rings through the 4-connected component both bound, not by geometry.
 */
export function vectoriseLabels(
  labels: Uint8Array,
  width: number,
  height: number,
  nodata = 255,
): LabelPolygons[] {
  checkRaster(labels, width, height);
  const components = labelComponents(labels, width, height, nodata);
  // Patch root pixel -> 1 + patch index. Patches are numbered as their first ring is met,
  // which is in reading order of their top-left pixel.
  const slot = new Int32Array(labels.length);
  const outers: (PixelRing | undefined)[] = [];
  const holes: PixelRing[][] = [];
  const patchLabel: number[] = [];
  traceRings(labels, width, height, nodata, (label, pixel, ring) => {
    const root = components.root(pixel);
    let patch = slot[root]! - 1;
    if (patch < 0) {
      patch = outers.length;
      slot[root] = patch + 1;
      outers.push(undefined);
      holes.push([]);
      patchLabel.push(label);
    }
    if (ringArea2(ring) > 0) holes[patch]!.push(ring);
    else if (outers[patch])
      throw new AppError('internal', `Two outer rings for one patch of label ${label}.`);
    else outers[patch] = ring;
  });
  const byLabel = new Map<number, PixelPolygon[]>();
  outers.forEach((outer, patch) => {
    const label = patchLabel[patch]!;
    if (!outer) throw new AppError('internal', `A patch of label ${label} has holes but no outer ring.`);
    const polygon = [outer, ...holes[patch]!];
    const list = byLabel.get(label);
    if (list) list.push(polygon);
    else byLabel.set(label, [polygon]);
  });
  return [...byLabel.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([label, list]) => ({ label, polygons: list }));
}

/** Polygons of the pixels where `mask` is non-zero (a binary raster). */
export function vectoriseMask(mask: Uint8Array, width: number, height: number): PixelPolygon[] {
  checkRaster(mask, width, height);
  const labels = new Uint8Array(mask.length);
  for (let p = 0; p < mask.length; p++) labels[p] = mask[p] === 0 ? 255 : 0;
  return vectoriseLabels(labels, width, height, 255)[0]?.polygons ?? [];
}
