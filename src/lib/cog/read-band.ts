import type { GeoTIFF, Pool } from 'geotiff';
import { AppError } from '../errors.ts';
import { type GridSpec, gridBounds, transformBBox } from '../geo/index.ts';
import { imagePyramid } from './georef.ts';
import { checkReadable } from './guards.ts';
import { type ResampleMethod, resampleReprojected, resampleToGrid } from './resample.ts';
import { tiffError } from './tiff-error.ts';
import { chooseLevel, flipRows, sourceWindow, storedWindow } from './window.ts';

/** Largest grid the app allocates for one band (refused before any allocation). */
export const MAX_GRID_PIXELS = 36_000_000;

export interface BandReadOptions {
  method: ResampleMethod;
  /** Nodata from the STAC item; the file's own GDAL_NODATA tag is used otherwise. */
  nodata?: number | undefined;
  signal?: AbortSignal | undefined;
  /** geotiff.js decoder pool: tiles are decompressed in worker threads. */
  pool?: Pool | undefined;
  /** Band (sample) of a multi-band file, 0-based; single-band files need none. */
  sample?: number | undefined;
}

/**
 * The target grid as seen from a source CRS: the same extent, and the pixel size it has
 * there (to choose the overview level). Same CRS: the grid itself.
 */
function gridInSource(target: GridSpec, sourceEpsg: number): GridSpec {
  if (target.epsg === sourceEpsg) return target;
  const [minX, minY, maxX, maxY] = transformBBox(gridBounds(target), target.epsg, sourceEpsg);
  const resX = (maxX - minX) / target.width;
  const resY = (maxY - minY) / target.height;
  return {
    width: target.width,
    height: target.height,
    epsg: sourceEpsg,
    transform: { originX: minX, originY: maxY, resX, resY },
  };
}

/**
 * Reads one band onto a target grid: picks the overview that matches the grid's resolution,
 * fetches only the tiles of the window that covers the grid (one pixel of margin for
 * interpolation) and resamples it, reprojecting when the file is in another CRS than the
 * grid. Returns the stored values (not yet scaled), NaN where there is no data.
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
    const seen = gridInSource(target, full.georef.epsg);
    const level =
      levels[
        chooseLevel(
          levels.map((l) => l.georef.transform.resX),
          seen.transform.resX,
        )
      ]!;
    const window = sourceWindow(level.georef, seen, options.method === 'bilinear' ? 1 : 0);
    if (!window) throw new AppError('bad-input', `${what} does not overlap the chosen area.`);
    checkReadable(level.image, window, what);
    const samples = level.image.getSamplesPerPixel();
    const sample = options.sample ?? 0;
    if (sample >= samples || (options.sample === undefined && samples !== 1)) {
      throw new AppError(
        'unsupported',
        options.sample === undefined
          ? `${what} has ${samples} bands per file; say which band each one is.`
          : `${what} has ${samples} band(s); band ${sample + 1} does not exist.`,
      );
    }
    const fileNodata = level.image.getGDALNoData() ?? full.image.getGDALNoData();
    let rasters: unknown;
    try {
      rasters = await level.image.readRasters({
        window: storedWindow(window, level.georef.height, level.georef.rowsUp),
        samples: [sample],
        interleave: false,
        signal: options.signal,
        ...(options.pool ? { pool: options.pool } : {}),
      });
    } catch (error) {
      throw tiffError(error, what, options.signal, 'pixels');
    }
    const values = (rasters as unknown as ArrayLike<number>[])[0];
    if (!values) throw new AppError('bad-input', `${what} returned no pixel data.`);
    // A bottom-up file (positive y pixel size) returns its window's rows south first.
    if (level.georef.rowsUp)
      flipRows(values as unknown as { length: number; [i: number]: number }, window[2] - window[0]);
    const [x0, y0, x1, y1] = window;
    const t = level.georef.transform;
    const block = {
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
    };
    return full.georef.epsg === target.epsg
      ? resampleToGrid(block, target, options.method)
      : resampleReprojected(block, full.georef.epsg, target, options.method);
  } catch (error) {
    throw tiffError(error, what, options.signal);
  }
}
