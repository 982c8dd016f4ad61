import type { AnalysisBackend } from './backend.ts';
import type { Place } from './top-k.ts';

// The analysis domain types: a grid as it crosses to the worker, requests and answers. The
// worker protocol (workers/analysis-api.ts) composes them; the app imports them from here.

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
  /** Share (0..1) of the valid pixels that changed cluster in the last pass; 0 when converged. */
  changedShare?: number;
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
