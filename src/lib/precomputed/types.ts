import type { EmbeddingGrid } from '../embeddings/index.ts';
import type { BBox, GridSpec } from '../geo/index.ts';

/**
 * Published (precomputed) embedding products read as a source, side by side with the
 * on-device encoders. One folder per family (`aef/`, `tessera/`, `collection/`) implements
 * `PrecomputedProduct`; `registry.ts` lists them. Everything here is pure TypeScript that
 * runs in the browser (worker) and in the CLI alike.
 */

/** Families this app reads. `collection` = a STAC ItemCollection of embedding COGs. */
export type PrecomputedFamily = 'aef' | 'tessera' | 'collection';

/** What a user asks for: a product, a year, an area, and the grid to deliver it on. */
export interface PrecomputedRequest {
  family: PrecomputedFamily;
  /** Base URL of the product (a setting; the public mirror by default). For `collection`, the ItemCollection's URL. */
  baseUrl: string;
  /** Calendar year (AEF, TESSERA); ignored by families without years. */
  year?: number;
  /**
   * The grid to deliver on: pixels of the target are filled by nearest resampling from
   * whichever source tiles/zones cover them, so an area crossing tiles or UTM zones comes
   * back as one seamless grid. Build it with `targetGridFor()`.
   */
  grid: GridSpec;
}

/** Progress of a read, in the units a user can follow. */
export interface PrecomputedProgress {
  /** 'index' while finding files/chunks; 'read' while fetching and decoding. */
  stage: 'index' | 'read';
  done: number;
  total: number;
  bytes: number;
}

/** Before loading: what it will cost. */
export interface PrecomputedEstimate {
  pixels: number;
  dim: number;
  /** Source files (AEF tiles, Zarr shards, collection items) the area touches. */
  files: number;
  /** Bytes to fetch (compressed, upper bound from tile/chunk counts). */
  bytes: number;
  requests: number;
  /** Years found at this base URL (a collection's item dates), when the product says so. */
  years?: number[];
}

export interface PrecomputedReadOptions {
  signal?: AbortSignal;
  onProgress?: (p: PrecomputedProgress) => void;
  /** fetch to use (tests count bytes through it); defaults to globalThis.fetch. */
  fetch?: typeof globalThis.fetch;
}

/** The result: embeddings on the requested grid plus where they came from. */
export interface PrecomputedResult {
  embeddings: EmbeddingGrid;
  /** Short product label for legends, file names and metadata, e.g. "AlphaEarth 2022". */
  label: string;
  /** Source files read (URLs), for provenance in exports and sessions. */
  sources: string[];
  /** Band names in order (e.g. A00..A63), for exports. */
  bandNames: string[];
  /** Requests and bytes actually fetched (benchmarks and the ≤1.1× read test). */
  fetched: { requests: number; bytes: number };
}

/** One family: estimate before loading, then read. Errors are AppError with a clear message. */
export interface PrecomputedProduct {
  family: PrecomputedFamily;
  /** Human name, e.g. "AlphaEarth Foundations (Satellite Embedding V1)". */
  title: string;
  dim: number;
  /** Default public base URL (a setting the user can change). */
  defaultBaseUrl: string;
  /** Years the product publishes; undefined when it has no years. */
  years?: readonly number[];
  /**
   * The product's own grid for an area (WGS84 [west, south, east, north]; none = all of it):
   * its CRS and pixel alignment, so a read needs no resampling. Products without one use
   * `targetGridFor()` (precomputed/target-grid.ts).
   */
  nativeGrid?(
    req: Omit<PrecomputedRequest, 'grid'> & { area?: BBox | undefined },
    opts?: PrecomputedReadOptions,
  ): Promise<GridSpec>;
  estimate(req: PrecomputedRequest, opts?: PrecomputedReadOptions): Promise<PrecomputedEstimate>;
  read(req: PrecomputedRequest, opts?: PrecomputedReadOptions): Promise<PrecomputedResult>;
}
