import { fromArrayBuffer } from 'geotiff';
import { type ImageGeoref, imageGeoref } from '../cog/georef.ts';
import { createEmbeddingGrid, type EmbeddingGrid } from '../embeddings/embedding-grid.ts';
import { AppError } from '../errors.ts';
import { converter } from '../geo/crs.ts';
import { crsToPixel } from '../geo/geotransform.ts';

export interface GeoEmbeddings {
  grid: EmbeddingGrid;
  georef: ImageGeoref;
}

/**
 * Reads a multi-band GeoTIFF of embeddings (one band per dimension, any numeric type) into
 * an EmbeddingGrid. A pixel is valid when every band is finite, none equals GDAL_NODATA and
 * the vector is not all zero.
 */
export async function readEmbeddingsTiff(bytes: ArrayBuffer, what: string): Promise<GeoEmbeddings> {
  let image: Awaited<ReturnType<Awaited<ReturnType<typeof fromArrayBuffer>>['getImage']>>;
  try {
    image = await (await fromArrayBuffer(bytes)).getImage(0);
  } catch (error) {
    throw new AppError(
      'bad-input',
      `${what} is not a readable GeoTIFF: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const georef = imageGeoref(image, what);
  const dim = image.getSamplesPerPixel();
  const { width, height } = georef;
  const nodata = image.getGDALNoData();
  const rasters = (await image.readRasters({ interleave: false })) as unknown as ArrayLike<number>[];
  const pixels = width * height;
  const data = new Float32Array(pixels * dim);
  const valid = new Uint8Array(pixels).fill(1);
  for (let d = 0; d < dim; d++) {
    const band = rasters[d];
    if (!band || band.length !== pixels)
      throw new AppError('bad-input', `${what}: band ${d + 1} is incomplete.`);
    for (let p = 0; p < pixels; p++) {
      const v = band[p]!;
      if (!Number.isFinite(v) || v === nodata) valid[p] = 0;
      data[p * dim + d] = Number.isFinite(v) ? v : 0;
    }
  }
  for (let p = 0; p < pixels; p++) {
    let any = false;
    for (let d = 0; d < dim && !any; d++) any = data[p * dim + d] !== 0;
    if (!any) valid[p] = 0;
  }
  return { grid: createEmbeddingGrid(width, height, dim, data, valid), georef };
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
