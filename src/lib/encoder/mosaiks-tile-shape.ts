import { AppError } from '../errors.ts';
import type { MosaiksFilters } from './mosaiks-filters.ts';
import type { PatchGeometry } from './mosaiks-params.ts';

/** Patches along one side of a tile `size` pixels long (valid convolution, then pooling). */
export function patchesAlong(size: number, geometry: PatchGeometry): number {
  const responses = size - geometry.kernel + 1;
  return responses < geometry.pool ? 0 : Math.floor((responses - geometry.pool) / geometry.stride) + 1;
}

/** Checks a tile's shape against the filters; throws AppError('bad-input') naming the mismatch. */
export function checkTile(
  image: Float32Array,
  bands: number,
  height: number,
  width: number,
  filters: Pick<MosaiksFilters, 'bands' | 'kernel'>,
  geometry: PatchGeometry,
): void {
  if (bands !== filters.bands.length) {
    throw new AppError(
      'bad-input',
      `The tile has ${bands} bands; the MOSAIKS filters have ${filters.bands.length}.`,
    );
  }
  if (image.length !== bands * height * width) {
    throw new AppError(
      'bad-input',
      `Expected ${bands * height * width} tile values (${bands} bands x ${height} x ${width} pixels), got ${image.length}.`,
    );
  }
  const least = geometry.pool + geometry.kernel - 1;
  if (height < least || width < least) {
    throw new AppError(
      'bad-input',
      `A MOSAIKS tile must be at least ${least} x ${least} pixels (pool + kernel - 1); got ${height} x ${width}.`,
    );
  }
}
