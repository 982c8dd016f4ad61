/** A prediction worker (one range of a grid's pixels), as both sides see it through comlink. */
import type { ClassifierModel, ClassMap } from '../src/lib/classify/index.ts';
import type { WorkerResult } from '../src/lib/worker-result.ts';

export interface PredictRange {
  model: ClassifierModel;
  dim: number;
  /** The range's embeddings (pixels x dim) and validity flags. */
  data: Float32Array;
  valid: Uint8Array;
}

export interface ClassifyPredictWorkerApi {
  predict(
    range: PredictRange,
    onProgress: (done: number) => void,
  ): Promise<WorkerResult<Pick<ClassMap, 'best' | 'confidence'>>>;
}
