import type { AnalysisBackend, BackendInfo, BackendPreference } from '../src/lib/analysis/backend.ts';
import type { Place } from '../src/lib/analysis/top-k.ts';
import type { WorkerResult } from '../src/lib/worker-result.ts';

export type { AnalysisBackend, BackendInfo, BackendPreference };

export interface GridTransfer {
  width: number;
  height: number;
  dim: number;
  data: Float32Array;
  valid: Uint8Array;
}

export interface SimilarityResult {
  scores: Float32Array;
  min: number;
  max: number;
  /** Counts of a 64-bin histogram over [min, max], for the legend. */
  histogram: number[];
  places: Place[];
  /** Where it ran (webgpu or cpu). */
  backend?: AnalysisBackend;
}

/** Pixels at or above a score threshold. */
export interface ThresholdInfo {
  threshold: number;
  /** 1 where score >= threshold; width * height bytes. */
  mask: Uint8Array;
  count: number;
  areaKm2: number;
}

export interface SearchRequest {
  /** Pixel indices (row * width + col) of places like the ones wanted: at least one. */
  positives: number[];
  /** Pixel indices of places unlike the ones wanted (few-shot); may be empty. */
  negatives?: number[];
  topK: { k: number; minSeparationPx: number };
  /** With pixelSizeM, also returns the mask and area above this score. */
  threshold?: number;
  /** Pixel side in metres (10 for Sentinel-2 10 m bands). */
  pixelSizeM?: number;
}

export interface SearchResult extends SimilarityResult {
  threshold?: ThresholdInfo;
  backend: AnalysisBackend;
}

export interface ClusterResult {
  labels: Uint8Array;
  k: number;
  inertia: number;
  iterations: number;
  converged: boolean;
  /** Pixels per cluster. */
  counts: number[];
  backend?: AnalysisBackend;
}

export interface PcaResult {
  /** width * height RGBA: components 1-3 as red, green, blue (2-98 % stretch); invalid transparent. */
  rgba: Uint8ClampedArray<ArrayBuffer>;
  /** Fraction of the total variance along each of the three components. */
  explained: [number, number, number];
  samples: number;
  backend: AnalysisBackend;
}

export interface ChangeResult {
  /** Per pixel 1 - cos(embedding at date A, at date B), 0..2; NaN where either is invalid. */
  distance: Float32Array;
  min: number;
  max: number;
  /** 64-bin histogram over [min, max]. */
  histogram: number[];
  backend: AnalysisBackend;
}

/** The analysis worker (embeddings -> answers), as both sides see it through comlink. */
export interface AnalysisWorkerApi {
  /** Where analysis runs (probes WebGPU once); `preference` changes it for later grids. */
  backend(preference?: BackendPreference): Promise<WorkerResult<BackendInfo>>;
  setGrid(grid: GridTransfer): Promise<WorkerResult<number>>;
  /** Similarity to one clicked pixel (kept for the existing UI; search() generalises it). */
  similarity(
    queryIndex: number,
    topK: { k: number; minSeparationPx: number },
  ): Promise<WorkerResult<SimilarityResult>>;
  /** Similarity to the mean of positives (minus the mean of negatives), top places, threshold area. */
  search(request: SearchRequest): Promise<WorkerResult<SearchResult>>;
  /** Threshold mask and area of the last search's scores (for a slider: no recomputation). */
  threshold(threshold: number, pixelSizeM: number): Promise<WorkerResult<ThresholdInfo>>;
  cluster(
    k: number,
    seed: number,
    onIteration: (iteration: number, inertia: number) => void,
  ): Promise<WorkerResult<ClusterResult>>;
  pca(options?: { sampleSize?: number; seed?: number }): Promise<WorkerResult<PcaResult>>;
  /** The same area at another date (same width, height, dim), for change(). */
  setOtherGrid(grid: GridTransfer): Promise<WorkerResult<number>>;
  change(): Promise<WorkerResult<ChangeResult>>;
}
