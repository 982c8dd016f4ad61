/** The classify worker (embeddings + labels -> class map, accuracy), as both sides see it through comlink. */
import type {
  ClassifyGrid,
  ClassifyRequest,
  ClassifyResult,
  ClassifyStage,
  LabelState,
  ThresholdView,
} from '../src/lib/classify/index.ts';
import type { WorkerResult } from '../src/lib/worker-result.ts';

export type { ClassifyGrid, ClassifyResult, ThresholdView };

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
