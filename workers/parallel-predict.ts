/**
 * The class map of a grid predicted on several threads: one classify-predict worker per
 * range, started here and terminated here whatever happens. Embeddings in a
 * SharedArrayBuffer (a cross-origin-isolated page) reach the workers without a copy;
 * otherwise each worker gets a copy of its own range only.
 */
import * as Comlink from 'comlink';
import type { ClassifierModel, ClassMap } from '../src/lib/classify/index.ts';
import { joinClassMaps, rangeGrid, splitPixels } from '../src/lib/classify/index.ts';
import type { EmbeddingGrid } from '../src/lib/embeddings/index.ts';
import { unwrap } from '../src/lib/worker-result.ts';
import type { ClassifyPredictWorkerApi, PredictRange } from './classify-predict-api.ts';

export async function predictInParallel(
  model: ClassifierModel,
  grid: EmbeddingGrid,
  threads: number,
  onProgress: (done: number, total: number) => void,
): Promise<ClassMap> {
  const pixels = grid.width * grid.height;
  const ranges = splitPixels(pixels, threads);
  const shared = typeof SharedArrayBuffer === 'function' && grid.data.buffer instanceof SharedArrayBuffer;
  const workers = ranges.map(
    () =>
      new Worker(new URL('./classify-predict.worker.ts', import.meta.url), {
        type: 'module',
        name: 'classify-predict',
      }),
  );
  const done = ranges.map(() => 0);
  try {
    const parts = await Promise.all(
      ranges.map(async (range, i) => {
        const remote = Comlink.wrap<ClassifyPredictWorkerApi>(workers[i]!);
        const view = rangeGrid(grid, range);
        const data = shared ? view.data : view.data.slice();
        const valid = view.valid.slice();
        const message: PredictRange = { model, dim: grid.dim, data, valid };
        const transfers = shared ? [valid.buffer] : [data.buffer, valid.buffer];
        const result = await remote.predict(
          Comlink.transfer(message, transfers),
          Comlink.proxy((n: number) => {
            done[i] = n;
            onProgress(
              done.reduce((a, b) => a + b, 0),
              pixels,
            );
          }),
        );
        return unwrap(result);
      }),
    );
    return joinClassMaps(grid.width, grid.height, model.classCount, ranges, parts);
  } finally {
    for (const worker of workers) worker.terminate();
  }
}
