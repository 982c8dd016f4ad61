import * as Comlink from 'comlink';
import { classifyGrid } from '../src/lib/classify/index.ts';
import { createEmbeddingGrid } from '../src/lib/embeddings/index.ts';
import { settle } from '../src/lib/worker-result.ts';
import type { ClassifyPredictWorkerApi } from './classify-predict-api.ts';

// Started by the classify worker, one per thread; it terminates them when done or cancelled.
const api: ClassifyPredictWorkerApi = {
  predict(range, onProgress) {
    return settle(() => {
      const pixels = range.valid.length;
      const grid = createEmbeddingGrid(pixels, 1, range.dim, range.data, range.valid);
      const map = classifyGrid(range.model, grid, { onProgress: (done) => onProgress(done) });
      const part = { best: map.best, confidence: map.confidence };
      return Comlink.transfer(part, [part.best.buffer, part.confidence.buffer]);
    });
  },
};

Comlink.expose(api);
