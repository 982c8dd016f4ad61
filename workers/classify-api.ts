/** The classify worker (embeddings + labels -> class map, accuracy), as both sides see it through comlink. */
import type { CurvePoint } from '../src/lib/classify/learning-curve.ts';
import type { AccuracyMetrics } from '../src/lib/classify/metrics.ts';
import type { ClassifyRequest, ClassifyStage } from '../src/lib/classify/pipeline.ts';
import type { Suggestion } from '../src/lib/classify/suggest.ts';
import type { LabelState } from '../src/lib/classify/types.ts';
import type { ClassArea } from '../src/lib/export/classification-report.ts';
import type { GridSpec } from '../src/lib/geo/geotransform.ts';
import type { WorkerResult } from '../src/lib/worker-result.ts';

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
  labelledPixels: number[];
  leftOut: { outside: number; invalid: number; conflicting: number };
  suggestions: Suggestion[];
}

export interface ClassifyWorkerApi {
  setGrid(grid: ClassifyGrid): Promise<WorkerResult<number>>;
  classify(
    labels: LabelState,
    request: ClassifyRequest,
    threshold: number,
    onProgress: (stage: ClassifyStage, done: number, total: number) => void,
  ): Promise<WorkerResult<ClassifyResult>>;
  threshold(threshold: number): Promise<WorkerResult<ThresholdView>>;
}
