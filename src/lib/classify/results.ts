/** What the classifier answers: the class map, its confidence and its honest accuracy. */
import type { GridSpec } from '../geo/index.ts';
import type { CurvePoint } from './learning-curve.ts';
import type { AccuracyMetrics } from './metrics.ts';
import type { Suggestion } from './suggest.ts';

/** Area of one class in the map (uncertain pixels apart). */
export interface ClassArea {
  value: number;
  name: string;
  area_km2: number;
  pixels: number;
}

/** An embedding grid with its placement (labels are in WGS84). */
export interface ClassifyGrid {
  grid: GridSpec;
  dim: number;
  data: Float32Array;
  valid: Uint8Array;
}

/** What changes with the confidence threshold alone (a slider: no retraining). */
export interface ThresholdView {
  threshold: number;
  /** Class values, 254 uncertain, 255 nodata. */
  classes: Uint8Array;
  areas: ClassArea[];
  uncertainKm2: number;
}

export interface ClassifyResult extends ThresholdView {
  /** Probability of the chosen class; NaN for nodata. */
  confidence: Float32Array;
  metrics: AccuracyMetrics;
  curve: CurvePoint[];
  folds: number;
  blockSizePx: number;
  /** Threads the class map was predicted on (the device's cores, for large grids). */
  predictionThreads: number;
  labelledPixels: number[];
  leftOut: { outside: number; invalid: number; conflicting: number };
  suggestions: Suggestion[];
}
