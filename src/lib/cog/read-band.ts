import type { GeoTIFF } from 'geotiff';
import { AppError } from '../errors.ts';
import type { GridSpec } from '../geo/geotransform.ts';
import { imagePyramid } from './georef.ts';
import { tiffError } from './open-tiff.ts';
import { type ResampleMethod, resampleToGrid } from './resample.ts';
import { chooseLevel, sourceWindow } from './window.ts';

/** Largest grid the app allocates for one band (refused before any allocation). */
export const MAX_GRID_PIXELS = 36_000_000;

export interface BandReadOptions {
  method: ResampleMethod;
  /** Nodata from the STAC item; the file's own GDAL_NODATA tag is used otherwise. */
  nodata?: number | undefined;
  signal?: AbortSignal;
}

/**
 * Reads one band onto a target grid: picks the overview that matches the grid's resolution,
 * fetches only the window that covers the grid (one pixel of margin for interpolation) and
 * resamples it. Returns the stored values (not yet scaled), NaN where there is no data.
 */
export async function readBandOnGrid(
  tiff: GeoTIFF,
  target: GridSpec,
  what: string,
  options: BandReadOptions,
): Promise<Float32Array> {
  if (target.width * target.height > MAX_GRID_PIXELS) {
    throw new AppError(
      'too-large',
      `The area is ${target.width} x ${target.height} pixels; the limit is ${MAX_GRID_PIXELS.toLocaleString('en')} pixels. Choose a smaller area.`,
    );
  }
  try {
    const levels = await imagePyramid(tiff, what);
    const full = levels[0]!;
    if (full.georef.epsg !== target.epsg) {
      throw new AppError(
        'unsupported',
        `${what} is in EPSG:${full.georef.epsg} but the scene grid is EPSG:${target.epsg}; bands of one scene must share a CRS.`,
      );
    }
    const level =
      levels[
        chooseLevel(
          levels.map((l) => l.georef.transform.resX),
          target.transform.resX,
        )
      ]!;
    const window = sourceWindow(level.georef, target, options.method === 'bilinear' ? 1 : 0);
    if (!window) throw new AppError('bad-input', `${what} does not overlap the chosen area.`);
    if (level.image.getSamplesPerPixel() !== 1) {
      throw new AppError(
        'unsupported',
        `${what} has ${level.image.getSamplesPerPixel()} bands per file; one band per file is expected here.`,
      );
    }
    const fileNodata = level.image.getGDALNoData() ?? full.image.getGDALNoData();
    const rasters = await level.image.readRasters({ window, interleave: false, signal: options.signal });
    const values = (rasters as unknown as ArrayLike<number>[])[0];
    if (!values) throw new AppError('bad-input', `${what} returned no pixel data.`);
    const [x0, y0, x1, y1] = window;
    const t = level.georef.transform;
    return resampleToGrid(
      {
        values,
        width: x1 - x0,
        height: y1 - y0,
        transform: {
          originX: t.originX + x0 * t.resX,
          originY: t.originY - y0 * t.resY,
          resX: t.resX,
          resY: t.resY,
        },
        nodata: options.nodata ?? (fileNodata === null ? undefined : fileNodata),
      },
      target,
      options.method,
    );
  } catch (error) {
    throw tiffError(error, what, options.signal);
  }
}
