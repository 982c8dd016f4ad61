/** Per-pixel embeddings as a multi-band GeoTIFF (COG), one band per dimension. */

import { type CogBandInfo, writeCog } from '../cog/index.ts';
import type { EmbeddingGrid } from '../embeddings/index.ts';
import {
  type BandScale,
  INT8_NODATA,
  INT8_SCHEME,
  int8BandScales,
  quantiseInt8,
} from '../embeddings/index.ts';
import { AppError } from '../errors.ts';
import type { GridSpec } from '../geo/index.ts';
import { checkRasterSize } from './raster-checks.ts';

export { INT8_NODATA, INT8_SCHEME, int8BandScales, quantiseInt8 };

export type EmbeddingEncoding = 'float32' | 'int8';

export interface EmbeddingsExport {
  embeddings: EmbeddingGrid;
  grid: GridSpec;
  encoding: EmbeddingEncoding;
  /** Band descriptions, one per dimension; default dim_0, dim_1, ... */
  names?: readonly string[];
  metadata?: Readonly<Record<string, string>>;
  /** The writer's steps done of all (writeCog's onProgress). */
  onProgress?: (done: number, total: number) => void;
}

function float32Bands(grid: EmbeddingGrid): Float32Array[] {
  const { data, valid, dim } = grid;
  const bands = Array.from({ length: dim }, () => new Float32Array(valid.length));
  bands.forEach((band, d) => {
    for (let p = 0; p < valid.length; p++) band[p] = valid[p] === 0 ? Number.NaN : data[p * dim + d]!;
  });
  return bands;
}

function int8Bands(grid: EmbeddingGrid, scales: readonly BandScale[]): Int8Array[] {
  const { data, valid, dim } = grid;
  const bands = Array.from({ length: dim }, () => new Int8Array(valid.length));
  bands.forEach((band, d) => {
    const scale = scales[d]!;
    for (let p = 0; p < valid.length; p++) {
      const x = data[p * dim + d]!;
      band[p] = valid[p] === 0 || !Number.isFinite(x) ? INT8_NODATA : quantiseInt8(x, scale);
    }
  });
  return bands;
}

/**
 * GeoTIFF with one band per embedding dimension, stored band-separate so a reader can fetch
 * single dimensions. float32: nodata NaN. int8: the scheme above, SCALE/OFFSET per band and
 * dataset metadata EMBEDDING_QUANTISATION naming the scheme (readers refuse schemes they do
 * not know instead of guessing a scale).
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
  const scales = encoding === 'int8' ? int8BandScales(embeddings) : undefined;
  const bandInfo: CogBandInfo[] = Array.from({ length: dim }, (_, d) => {
    const description = input.names?.[d] ?? `dim_${d}`;
    const scale = scales?.[d];
    return scale ? { description, scale: scale.scale, offset: scale.offset } : { description };
  });
  const metadata: Record<string, string> = { EMBEDDING_DIMENSIONS: String(dim) };
  if (encoding === 'int8') {
    metadata.EMBEDDING_QUANTISATION = `${INT8_SCHEME}: x = stored * SCALE + OFFSET (each band's GDAL scale/offset); OFFSET = (max + min) / 2 and SCALE = (max - min) / 254 of the band's valid values, so stored spans -127..127 and nothing is clipped; -128 = nodata`;
  }
  return writeCog({
    width: grid.width,
    height: grid.height,
    bands: scales ? int8Bands(embeddings, scales) : float32Bands(embeddings),
    grid,
    nodata: encoding === 'int8' ? INT8_NODATA : Number.NaN,
    overviewResampling: 'average',
    bandInfo,
    metadata: { ...metadata, ...input.metadata },
    ...(input.onProgress ? { onProgress: input.onProgress } : {}),
  });
}
