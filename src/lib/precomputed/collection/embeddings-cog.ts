import type { GeoTIFFImage, Pool } from 'geotiff';
import type { ReadContext } from '../../cog/index.ts';
import {
  checkReadable,
  chooseLevel,
  type ImageGeoref,
  imagePyramid,
  openTiff,
  type PixelWindow,
  tiffError,
} from '../../cog/index.ts';
import { AppError, throwIfAborted } from '../../errors.ts';
import { converter, type GridSpec, gridBounds, transformBBox } from '../../geo/index.ts';

/**
 * One embeddings GeoTIFF as the app and the CLI export it (src/lib/export/embeddings-geotiff.ts):
 * one band per dimension, float32 (nodata NaN) or int8 (SCALE/OFFSET per band, nodata -128),
 * band descriptions and EMBEDDING_DIMENSIONS in its GDAL metadata. Opened over HTTP range
 * requests: only the header now, only the tiles of an area later.
 */
export interface EmbeddingsCog {
  url: string;
  dim: number;
  bandNames: string[];
  /** Physical value = stored * scale + offset, per band (1 and 0 when the file has none). */
  scales: Float64Array;
  offsets: Float64Array;
  nodata: number | null;
  dataType: 'float32' | 'int8';
  /** The MODEL metadata item (the CLI writes it), when present. */
  model: string | undefined;
  georef: ImageGeoref;
  levels: { image: GeoTIFFImage; georef: ImageGeoref }[];
}

/** Where the embeddings land: pixel p owns data[p * dim ..]; valid[p] set once a source filled it. */
export interface EmbeddingsTarget {
  grid: GridSpec;
  dim: number;
  data: Float32Array;
  valid: Uint8Array;
}

/** Bands read per readRasters call: bounds the decoded window's memory (16 bands of float32). */
const BANDS_PER_READ = 16;

function notEmbeddings(what: string, detail: string): AppError {
  return new AppError(
    'bad-input',
    `${what} is not an embeddings file: ${detail}. Choose an embeddings GeoTIFF (one band per dimension, as the app's and \`npm run cli -- embed\`'s exports write) or a STAC collection of them.`,
  );
}

function finiteOr(text: unknown, fallback: number): number {
  const n = typeof text === 'string' ? Number(text) : Number.NaN;
  return Number.isFinite(n) ? n : fallback;
}

/** Opens the file and checks, from its header alone, that it holds embeddings. */
export async function openEmbeddingsCog(url: string, ctx: ReadContext, what = url): Promise<EmbeddingsCog> {
  const tiff = await openTiff({ kind: 'url', url }, ctx.signal, ctx);
  const levels = await imagePyramid(tiff, what);
  const full = levels[0]!;
  const image = full.image;
  const bands = image.getSamplesPerPixel();
  const format = image.getSampleFormat();
  const bits = image.getBitsPerSample();
  if (bands < 2) throw notEmbeddings(what, `it has ${bands} band, embeddings have one band per dimension`);
  const dataType = format === 3 && bits === 32 ? 'float32' : format === 2 && bits === 8 ? 'int8' : undefined;
  if (!dataType)
    throw notEmbeddings(
      what,
      `it stores ${bits}-bit ${format === 1 ? 'unsigned integers' : format === 2 ? 'signed integers' : 'floats'} (an image's reflectances or labels?), embeddings are float32 or int8`,
    );
  let dataset: Record<string, unknown>;
  const perBand: Record<string, unknown>[] = [];
  try {
    dataset = (await image.getGDALMetadata(null)) ?? {};
    for (let d = 0; d < bands; d++) perBand.push((await image.getGDALMetadata(d)) ?? {});
  } catch (error) {
    throw tiffError(error, what, ctx.signal);
  }
  const declared = dataset.EMBEDDING_DIMENSIONS;
  if (declared !== undefined && Number(declared) !== bands)
    throw notEmbeddings(what, `its metadata says ${String(declared)} dimensions but it has ${bands} bands`);
  const nodata = image.getGDALNoData();
  return {
    url,
    dim: bands,
    bandNames: perBand.map((m, d) => (typeof m.DESCRIPTION === 'string' ? m.DESCRIPTION : `dim_${d}`)),
    scales: Float64Array.from(perBand, (m) => finiteOr(m.SCALE, 1)),
    offsets: Float64Array.from(perBand, (m) => finiteOr(m.OFFSET, 0)),
    nodata: dataType === 'int8' ? (nodata ?? -128) : nodata,
    dataType,
    model: typeof dataset.MODEL === 'string' ? dataset.MODEL : undefined,
    georef: full.georef,
    levels,
  };
}

/** The overview whose pixels are closest to (not coarser than) the target's, seen in the file's CRS. */
function levelFor(cog: EmbeddingsCog, target: GridSpec): { image: GeoTIFFImage; georef: ImageGeoref } {
  let res = target.transform.resX;
  if (target.epsg !== cog.georef.epsg) {
    const [minX, , maxX] = transformBBox(gridBounds(target), target.epsg, cog.georef.epsg);
    res = (maxX - minX) / target.width;
  }
  const index = chooseLevel(
    cog.levels.map((l) => l.georef.transform.resX),
    res,
  );
  return cog.levels[index]!;
}

/**
 * Nearest source pixel (at `georef`) of every target pixel still without embeddings; -1 where
 * the file does not cover it. Pixel centres are projected exactly when the CRSs differ, so an
 * area across UTM zones takes each pixel from the file that holds it.
 */
function nearestSources(
  georef: ImageGeoref,
  target: EmbeddingsTarget,
): { source: Int32Array; window: PixelWindow } | undefined {
  const { grid, valid } = target;
  const t = grid.transform;
  const s = georef.transform;
  const toSource = converter(grid.epsg, georef.epsg);
  const same = grid.epsg === georef.epsg;
  const source = new Int32Array(grid.width * grid.height).fill(-1);
  let x0 = Number.POSITIVE_INFINITY;
  let y0 = Number.POSITIVE_INFINITY;
  let x1 = -1;
  let y1 = -1;
  for (let row = 0; row < grid.height; row++) {
    const y = t.originY - (row + 0.5) * t.resY;
    for (let col = 0; col < grid.width; col++) {
      const p = row * grid.width + col;
      if (valid[p] !== 0) continue;
      const x = t.originX + (col + 0.5) * t.resX;
      const [sx, sy] = same ? [x, y] : toSource([x, y]);
      const c = Math.floor((sx - s.originX) / s.resX);
      const r = Math.floor((s.originY - sy) / s.resY);
      if (c < 0 || r < 0 || c >= georef.width || r >= georef.height) continue;
      source[p] = r * georef.width + c;
      if (c < x0) x0 = c;
      if (c > x1) x1 = c;
      if (r < y0) y0 = r;
      if (r > y1) y1 = r;
    }
  }
  return x1 < 0 ? undefined : { source, window: [x0, y0, x1 + 1, y1 + 1] };
}

/**
 * Fills the target's pixels that this file covers and that no earlier file filled (nearest
 * resampling, de-quantised with the file's SCALE/OFFSET). Only the tiles of the covered window
 * are fetched. A pixel is valid when every band is finite and not nodata, and not all zero.
 * Returns the number of pixels taken from this file.
 */
export async function readCogInto(
  cog: EmbeddingsCog,
  target: EmbeddingsTarget,
  options: { signal?: AbortSignal | undefined; pool?: Pool | undefined; onBands?: (done: number) => void },
): Promise<number> {
  if (cog.dim !== target.dim)
    throw new AppError(
      'bad-input',
      `${cog.url} holds ${cog.dim}-dimensional embeddings; the others read for this area have ${target.dim}.`,
    );
  const level = levelFor(cog, target.grid);
  const found = nearestSources(level.georef, target);
  if (!found) return 0;
  const [x0, y0, x1] = found.window;
  const ww = x1 - x0;
  checkReadable(level.image, found.window, cog.url);
  const { data, valid, dim } = target;
  const { source } = found;
  // Window-relative source index of each covered pixel, and its running validity.
  const pixels: number[] = [];
  const offsets: number[] = [];
  for (let p = 0; p < source.length; p++) {
    const s = source[p]!;
    if (s < 0) continue;
    pixels.push(p);
    offsets.push((Math.floor(s / level.georef.width) - y0) * ww + ((s % level.georef.width) - x0));
  }
  const ok = new Uint8Array(pixels.length).fill(1);
  const chunky = level.image.getFileDirectory().getValue('PlanarConfiguration') !== 2;
  const step = chunky ? dim : BANDS_PER_READ;
  for (let b0 = 0; b0 < dim; b0 += step) {
    throwIfAborted(options.signal, `Reading ${cog.url}`);
    const samples = Array.from({ length: Math.min(step, dim - b0) }, (_, i) => b0 + i);
    let bands: ArrayLike<number>[];
    try {
      bands = (await level.image.readRasters({
        window: found.window,
        samples,
        interleave: false,
        signal: options.signal,
        ...(options.pool ? { pool: options.pool } : {}),
      })) as unknown as ArrayLike<number>[];
    } catch (error) {
      throw tiffError(error, cog.url, options.signal, 'pixels');
    }
    samples.forEach((d, i) => {
      const band = bands[i]!;
      const scale = cog.scales[d]!;
      const offset = cog.offsets[d]!;
      for (let k = 0; k < pixels.length; k++) {
        const v = band[offsets[k]!]!;
        if (!Number.isFinite(v) || v === cog.nodata) ok[k] = 0;
        data[pixels[k]! * dim + d] = Number.isFinite(v) ? v * scale + offset : 0;
      }
    });
    options.onBands?.(b0 + samples.length);
  }
  let taken = 0;
  for (let k = 0; k < pixels.length; k++) {
    const base = pixels[k]! * dim;
    let any = false;
    for (let d = 0; d < dim && !any; d++) any = data[base + d] !== 0;
    if (ok[k] && any) {
      valid[pixels[k]!] = 1;
      taken++;
    } else data.fill(0, base, base + dim);
  }
  return taken;
}
