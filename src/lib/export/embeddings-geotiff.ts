/** Per-pixel embeddings as a multi-band GeoTIFF (COG), one band per dimension. */

import { type CogBandInfo, writeCog } from '../cog/writer/cog-writer.ts';
import type { EmbeddingGrid } from '../embeddings/embedding-grid.ts';
import { AppError } from '../errors.ts';
import type { GridSpec } from '../geo/geotransform.ts';
import { checkRasterSize } from './raster-checks.ts';

/**
 * The int8 scheme: stored = round(clamp(x, -1, 1) * 127), so stored values are -127..127 and
 * x ≈ stored / 127 (band SCALE 1/127, OFFSET 0, which GDAL applies as "unscale"); -128 marks
 * pixels without an embedding. Like AlphaEarth's int8 embeddings it costs one byte per
 * dimension with -128 as nodata, but it is linear (AlphaEarth's is not), and the largest
 * rounding error is 1/254 ≈ 0.004 per dimension, fine for unit vectors' components.
 */
export const INT8_SCALE = 1 / 127;
export const INT8_NODATA = -128;

export type EmbeddingEncoding = 'float32' | 'int8';

export interface EmbeddingsExport {
  embeddings: EmbeddingGrid;
  grid: GridSpec;
  encoding: EmbeddingEncoding;
  /** Band descriptions, one per dimension; default dim_0, dim_1, ... */
  names?: readonly string[];
  metadata?: Readonly<Record<string, string>>;
}

export function quantiseInt8(x: number): number {
  return Math.round(Math.min(1, Math.max(-1, x)) * 127);
}

/** One width*height band per dimension; invalid or non-finite values become nodata. */
function bandsOf(grid: EmbeddingGrid, encoding: EmbeddingEncoding): Float32Array[] | Int8Array[] {
  const { data, valid, dim } = grid;
  const pixels = valid.length;
  if (encoding === 'float32') {
    const bands = Array.from({ length: dim }, () => new Float32Array(pixels));
    bands.forEach((band, d) => {
      for (let p = 0; p < pixels; p++) band[p] = valid[p] === 0 ? Number.NaN : data[p * dim + d]!;
    });
    return bands;
  }
  const bands = Array.from({ length: dim }, () => new Int8Array(pixels));
  bands.forEach((band, d) => {
    for (let p = 0; p < pixels; p++) {
      const x = data[p * dim + d]!;
      band[p] = valid[p] === 0 || !Number.isFinite(x) ? INT8_NODATA : quantiseInt8(x);
    }
  });
  return bands;
}

/**
 * GeoTIFF with one band per embedding dimension, stored band-separate so a reader can fetch
 * single dimensions. float32: nodata NaN. int8: the scheme above, with SCALE/OFFSET per band
 * and dataset metadata EMBEDDING_QUANTISATION describing it.
 */
export function embeddingsToGeoTiff(input: EmbeddingsExport): Uint8Array {
  const { embeddings, grid, encoding } = input;
  checkRasterSize('The embedding grid', embeddings.valid.length, grid);
  if (embeddings.width !== grid.width || embeddings.height !== grid.height) {
    throw new AppError('bad-input', 'The embeddings were computed on a different grid than the scene.');
  }
  if (encoding !== 'float32' && encoding !== 'int8') {
    throw new AppError('bad-input', `Unknown embedding encoding '${String(encoding)}'.`);
  }
  const { dim } = embeddings;
  if (input.names !== undefined && input.names.length !== dim) {
    throw new AppError('bad-input', `${input.names.length} band names were given for ${dim} dimensions.`);
  }
  const bandInfo: CogBandInfo[] = Array.from({ length: dim }, (_, d) => {
    const description = input.names?.[d] ?? `dim_${d}`;
    return encoding === 'int8' ? { description, scale: INT8_SCALE, offset: 0 } : { description };
  });
  const metadata: Record<string, string> = { EMBEDDING_DIMENSIONS: String(dim) };
  if (encoding === 'int8') {
    metadata.EMBEDDING_QUANTISATION =
      'int8: stored = round(clamp(x, -1, 1) * 127); x = stored / 127; -128 = nodata';
  }
  return writeCog({
    width: grid.width,
    height: grid.height,
    bands: bandsOf(embeddings, encoding),
    grid,
    nodata: encoding === 'int8' ? INT8_NODATA : Number.NaN,
    overviewResampling: 'average',
    bandInfo,
    metadata: { ...metadata, ...input.metadata },
  });
}
