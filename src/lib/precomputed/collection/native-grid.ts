import { AppError } from '../../errors.ts';
import { type BBox, type GridSpec, gridBounds, transformBBox } from '../../geo/index.ts';
import type { CollectionItem } from './item-collection.ts';

function overlap(a: BBox, b: BBox): number {
  const w = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
  const h = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
  return w > 0 && h > 0 ? w * h : 0;
}

/**
 * The collection's own grid for an area: the CRS and pixel lattice of the item the area
 * overlaps most (tiles of one collection share them, so reading needs no resampling), cut to
 * the area snapped outwards and to the items' extent. Without an area: all items of that CRS.
 */
export function collectionGrid(items: readonly CollectionItem[], area: BBox | undefined): GridSpec {
  const scored = items.map((item) => {
    const bounds = gridBounds(item.grid);
    const seen = area ? transformBBox(area, 4326, item.grid.epsg) : bounds;
    return { item, bounds, seen, score: overlap(bounds, seen) };
  });
  const best = scored.reduce((a, b) => (b.score > a.score ? b : a));
  if (!(best.score > 0))
    throw new AppError('bad-input', 'No embeddings of this collection cover the chosen area.');
  const { epsg, transform: t } = best.item.grid;
  // The items' extent in the chosen CRS: the grid never reaches past every item.
  const extent = scored
    .map((s) => (s.item.grid.epsg === epsg ? s.bounds : transformBBox(s.bounds, s.item.grid.epsg, epsg)))
    .reduce((a, b) => [
      Math.min(a[0], b[0]),
      Math.min(a[1], b[1]),
      Math.max(a[2], b[2]),
      Math.max(a[3], b[3]),
    ]);
  const seen = area ? best.seen : extent;
  const minX = Math.max(seen[0], extent[0]);
  const minY = Math.max(seen[1], extent[1]);
  const maxX = Math.min(seen[2], extent[2]);
  const maxY = Math.min(seen[3], extent[3]);
  const c0 = Math.floor((minX - t.originX) / t.resX + 1e-9);
  const c1 = Math.ceil((maxX - t.originX) / t.resX - 1e-9);
  const r0 = Math.floor((t.originY - maxY) / t.resY + 1e-9);
  const r1 = Math.ceil((t.originY - minY) / t.resY - 1e-9);
  return {
    width: Math.max(1, c1 - c0),
    height: Math.max(1, r1 - r0),
    epsg,
    transform: {
      originX: t.originX + c0 * t.resX,
      originY: t.originY - r0 * t.resY,
      resX: t.resX,
      resY: t.resY,
    },
  };
}
