/** The classify worker (embeddings + labels -> class map, accuracy), as both sides see it through comlink. */
import type { ClassifyRequest, ClassifyStage } from '../src/lib/classify/pipeline.ts';
import type { ClassifyGrid, ClassifyResult, ThresholdView } from '../src/lib/classify/results.ts';
import type { LabelState } from '../src/lib/classify/types.ts';
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
