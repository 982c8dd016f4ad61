import type { ImageGeoref } from '../cog/index.ts';
import { AppError } from '../errors.ts';

/**
 * Pixel sizes a scene can be loaded at, in metres: Sentinel-2's 10 m grid and the sizes of
 * its COG overviews (each half the size of the one before), so a coarse load is a copy of
 * stored overview pixels rather than a resampling.
 */
export const LOAD_RESOLUTIONS = [10, 20, 40, 80, 160] as const;
export type LoadResolution = (typeof LOAD_RESOLUTIONS)[number];
/** The native grid: nothing coarsened. */
export const DEFAULT_LOAD_RESOLUTION: LoadResolution = 10;

export function isLoadResolution(value: unknown): value is LoadResolution {
  return LOAD_RESOLUTIONS.some((r) => r === value);
}

/** The request's load resolution, or a clear error (requests cross a worker boundary unchecked). */
export function checkLoadResolution(value: unknown): LoadResolution {
  if (isLoadResolution(value)) return value;
  const shown =
    typeof value === 'number' || typeof value === 'string' ? String(value).slice(0, 20) : typeof value;
  throw new AppError(
    'bad-input',
    `The load resolution must be ${LOAD_RESOLUTIONS.slice(0, -1).join(', ')} or ${LOAD_RESOLUTIONS.at(-1)} metres; got ${shown}.`,
  );
}

/** Pixel size a load at `resolutionM` gives on data of `nativeM`: never finer than the data. */
export function effectivePixelM(nativeM: number, resolutionM: number): number {
  return Math.max(nativeM, resolutionM);
}

/** Overview sizes are rounded up (GDAL and the pack writer), so their pixels are ~0.5% off 2^k. */
const LEVEL_TOLERANCE = 0.01;

/**
 * The lattice a scene is read on at `resolutionM`, from its reference band's image and
 * overviews (full resolution first, as imagePyramid gives them). At or below the native
 * size: the full-resolution image (a load is never finer than the data). When an overview
 * has that pixel size: the overview itself, so every band with the same pyramid is copied
 * pixel for pixel from its stored overview and nothing is resampled. Otherwise a lattice of
 * exactly `resolutionM` from the image's corner, covering the same extent; bands are then
 * resampled from their nearest finer overview (readBandOnGrid picks it).
 */
export function loadLattice(levels: readonly ImageGeoref[], resolutionM: LoadResolution): ImageGeoref {
  const full = levels[0];
  if (!full) throw new AppError('bad-input', 'The scene has no image to read.');
  const t = full.transform;
  if (resolutionM === DEFAULT_LOAD_RESOLUTION) return full;
  if (full.epsg === 4326)
    throw new AppError(
      'unsupported',
      `A load resolution of ${resolutionM} m needs a grid in metres; this scene is in degrees (EPSG:4326). Load it at its own resolution.`,
    );
  if (resolutionM <= t.resX * (1 + LEVEL_TOLERANCE)) return full;
  const level = levels.find(
    (l) =>
      Math.abs(l.transform.resX / resolutionM - 1) < LEVEL_TOLERANCE &&
      Math.abs(l.transform.resY / resolutionM - 1) < LEVEL_TOLERANCE,
  );
  if (level) return level;
  return {
    epsg: full.epsg,
    transform: { originX: t.originX, originY: t.originY, resX: resolutionM, resY: resolutionM },
    // The same extent, the last row and column partly past it (as an overview's are).
    width: Math.ceil((full.width * t.resX) / resolutionM - 1e-9),
    height: Math.ceil((full.height * t.resY) / resolutionM - 1e-9),
  };
}
