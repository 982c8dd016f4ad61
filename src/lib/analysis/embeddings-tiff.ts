import { fromArrayBuffer, type GeoTIFFImage } from 'geotiff';
import {
  checkTiffStructure,
  type ImageGeoref,
  imageGeoref,
  MAX_GRID_PIXELS,
  tiffError,
} from '../cog/index.ts';
import {
  type BandScale,
  createEmbeddingGrid,
  type EmbeddingGrid,
  type Int8Scheme,
  int8SchemeOf,
} from '../embeddings/index.ts';
import { AppError } from '../errors.ts';
import { converter, crsToPixel } from '../geo/index.ts';

export interface GeoEmbeddings {
  grid: EmbeddingGrid;
  georef: ImageGeoref;
  /** How the file stored the values: floats, or one of the known int8 schemes (de-quantised). */
  storage: 'float' | Int8Scheme;
}

/** Fewer bands than this cannot be embeddings (a similarity map, a single Sentinel-2 band). */
const MIN_EMBEDDING_BANDS = 2;
/** More bands than any encoder writes: a header claiming more is corrupt, refused before allocating. */
const MAX_EMBEDDING_BANDS = 4096;

/**
 * Refuses files that are images rather than embeddings before their pixels are read: a one-band
 * file, or unsigned integers (reflectances, labels); embeddings are floats or the app's int8.
 */
function checkEmbeddingBands(image: GeoTIFFImage, what: string): void {
  const bands = image.getSamplesPerPixel();
  const format = image.getSampleFormat();
  const bits = image.getBitsPerSample();
  const kind =
    format === 3
      ? `${bits}-bit float`
      : format === 2
        ? `${bits}-bit signed integer`
        : `${bits}-bit unsigned integer`;
  if (bands < MIN_EMBEDDING_BANDS)
    throw new AppError(
      'bad-input',
      `${what} has ${bands} band (${kind}); embeddings have one band per dimension (at least ${MIN_EMBEDDING_BANDS}). Is this an embeddings file written by the app or \`npm run cli -- embed\`?`,
    );
  if (format !== 3 && !(format === 2 && bits === 8))
    throw new AppError(
      'bad-input',
      `${what} stores ${kind} values; embeddings are float32 (or the app's int8). Is this an image rather than embeddings?`,
    );
}

/**
 * Each band's SCALE/OFFSET (GDAL's GetScale/GetOffset; 1 and 0 when absent) and, for int8, the
 * scheme the file names. An int8 file must name a scheme this app knows: reading AlphaEarth's
 * non-linear int8, or int8 without metadata, with a guessed scale would silently distort every
 * similarity.
 */
async function bandScales(
  image: GeoTIFFImage,
  dim: number,
  what: string,
): Promise<{ scales: BandScale[]; storage: GeoEmbeddings['storage'] }> {
  const dataset = (await image.getGDALMetadata()) ?? {};
  const scales: BandScale[] = [];
  for (let d = 0; d < dim; d++) {
    const band = (await image.getGDALMetadata(d)) ?? {};
    const scale = band.SCALE === undefined ? 1 : Number(band.SCALE);
    const offset = band.OFFSET === undefined ? 0 : Number(band.OFFSET);
    if (!Number.isFinite(scale) || !Number.isFinite(offset) || scale === 0)
      throw new AppError(
        'bad-input',
        `${what}: band ${d + 1} has an unusable scale/offset (${String(band.SCALE).slice(0, 24)}, ${String(band.OFFSET).slice(0, 24)}).`,
      );
    scales.push({ scale, offset });
  }
  if (image.getSampleFormat() !== 2) return { scales, storage: 'float' };
  const named = dataset.EMBEDDING_QUANTISATION;
  const scheme = int8SchemeOf(typeof named === 'string' ? named : undefined);
  if (!scheme)
    throw new AppError(
      'bad-input',
      `${what} stores int8 embeddings ${typeof named === 'string' ? `quantised as "${named.slice(0, 60)}", a scheme this app does not know` : 'without EMBEDDING_QUANTISATION metadata'}, so their scale cannot be trusted. Export them as float32, or as int8 by this app or \`npm run cli -- embed --encoding int8\`.`,
    );
  return { scales, storage: scheme };
}

/**
 * Reads a multi-band GeoTIFF of embeddings (one band per dimension, float or the app's int8)
 * into an EmbeddingGrid, de-quantised with each band's SCALE/OFFSET as GDAL would. A pixel is
 * valid when every band is finite, none equals GDAL_NODATA and the vector is not all zero.
 */
export async function readEmbeddingsTiff(bytes: ArrayBuffer, what: string): Promise<GeoEmbeddings> {
  let image: GeoTIFFImage;
  let georef: ImageGeoref;
  let rasters: ArrayLike<number>[];
  let nodata: number | null;
  let scaling: { scales: BandScale[]; storage: GeoEmbeddings['storage'] };
  try {
    checkTiffStructure(new Uint8Array(bytes), bytes.byteLength, what);
    image = await (await fromArrayBuffer(bytes)).getImage(0);
    georef = imageGeoref(image, what);
    checkEmbeddingBands(image, what);
    nodata = image.getGDALNoData();
  } catch (error) {
    throw tiffError(error, what);
  }
  const dim = image.getSamplesPerPixel();
  const { width, height } = georef;
  if (width * height > MAX_GRID_PIXELS || dim > MAX_EMBEDDING_BANDS) {
    throw new AppError(
      'too-large',
      `${what} claims ${width} x ${height} pixels of ${dim} bands; the limit is ${MAX_GRID_PIXELS.toLocaleString('en')} pixels of at most ${MAX_EMBEDDING_BANDS} bands.`,
    );
  }
  try {
    scaling = await bandScales(image, dim, what);
    rasters = (await image.readRasters({ interleave: false })) as unknown as ArrayLike<number>[];
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw tiffError(error, what, undefined, 'pixels');
  }
  const pixels = width * height;
  const data = new Float32Array(pixels * dim);
  const valid = new Uint8Array(pixels).fill(1);
  for (let d = 0; d < dim; d++) {
    const band = rasters[d];
    if (!band || band.length !== pixels)
      throw new AppError('bad-input', `${what}: band ${d + 1} is incomplete.`);
    const { scale, offset } = scaling.scales[d]!;
    for (let p = 0; p < pixels; p++) {
      const v = band[p]!;
      if (!Number.isFinite(v) || v === nodata) {
        valid[p] = 0;
        data[p * dim + d] = 0;
      } else data[p * dim + d] = v * scale + offset;
    }
  }
  for (let p = 0; p < pixels; p++) {
    if (valid[p] === 0) continue;
    let any = false;
    for (let d = 0; d < dim && !any; d++) any = data[p * dim + d] !== 0;
    if (!any) valid[p] = 0;
  }
  return { grid: createEmbeddingGrid(width, height, dim, data, valid), georef, storage: scaling.storage };
}

/** Pixel index (row * width + col) of a WGS84 longitude/latitude; bad-input when outside. */
export function pixelAt(georef: ImageGeoref, lon: number, lat: number): number {
  const [x, y] = converter(4326, georef.epsg)([lon, lat]);
  const [fc, fr] = crsToPixel(georef.transform, x, y);
  const col = Math.floor(fc);
  const row = Math.floor(fr);
  if (!(col >= 0 && col < georef.width && row >= 0 && row < georef.height)) {
    throw new AppError(
      'bad-input',
      `${lon},${lat} is outside the embeddings (${georef.width}x${georef.height} pixels).`,
    );
  }
  return row * georef.width + col;
}
