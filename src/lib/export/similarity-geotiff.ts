/** A similarity heat map as a Float32 GeoTIFF (COG) of cosine similarity scores. */

import { writeCog } from '../cog/index.ts';
import type { GridSpec } from '../geo/index.ts';
import { checkRasterSize } from './raster-checks.ts';

export interface SimilarityExport {
  /** width * height cosine similarities in [-1, 1]; NaN = no data. */
  scores: Float32Array;
  grid: GridSpec;
  /** The clicked pixel the scores compare against. */
  query?: { col: number; row: number };
  metadata?: Readonly<Record<string, string>>;
}

/** Float32 scores, nodata NaN, band description "cosine_similarity", the query as metadata. */
export function similarityToGeoTiff(input: SimilarityExport): Uint8Array {
  const { scores, grid, query } = input;
  checkRasterSize('The similarity map', scores.length, grid);
  const queryItems: Record<string, string> = {};
  if (query) {
    queryItems.QUERY_COL = String(query.col);
    queryItems.QUERY_ROW = String(query.row);
  }
  return writeCog({
    width: grid.width,
    height: grid.height,
    data: scores,
    grid,
    nodata: Number.NaN,
    overviewResampling: 'average',
    bandInfo: [{ description: 'cosine_similarity' }],
    metadata: { ...queryItems, ...input.metadata },
  });
}
