import type { GridSpec } from '../geo/index.ts';

/** Dataset metadata a GeoTIFF carries (model, resolution, date, source: export-metadata.ts). */
type WithMetadata = { metadata?: Record<string, string> };

/** One export job; arrays are copied in (the app keeps its own), results transferred out. */
export type ExportJob =
  | ({
      kind: 'clusters-geotiff';
      labels: Uint8Array;
      grid: GridSpec;
      k: number;
      names: string[];
    } & WithMetadata)
  | { kind: 'clusters-geojson'; labels: Uint8Array; grid: GridSpec; k: number; names: string[] }
  | ({
      kind: 'similarity-geotiff';
      scores: Float32Array;
      grid: GridSpec;
      query: { col: number; row: number };
    } & WithMetadata)
  | { kind: 'threshold-geojson'; scores: Float32Array; grid: GridSpec; threshold: number }
  | ({
      kind: 'embeddings-geotiff';
      data: Float32Array;
      valid: Uint8Array;
      dim: number;
      grid: GridSpec;
      encoding: 'float32' | 'int8';
      names: string[];
    } & WithMetadata);

export interface ExportOutput {
  bytes: Uint8Array;
  mimeType: string;
  /** A line for the user, e.g. "4 clusters, 12.3 km² above the threshold". */
  summary: string;
}
