import * as Comlink from 'comlink';
import { createEmbeddingGrid, type EmbeddingGrid } from '../src/lib/analysis/embedding-grid.ts';
import { kmeans } from '../src/lib/analysis/kmeans.ts';
import { cosineSimilarity, pixelVector, scoreHistogram } from '../src/lib/analysis/similarity.ts';
import { topKPlaces } from '../src/lib/analysis/top-k.ts';
import { AppError } from '../src/lib/errors.ts';
import { settle } from '../src/lib/worker-result.ts';
import type { AnalysisWorkerApi } from './analysis-api.ts';

let grid: EmbeddingGrid | undefined;

function requireGrid(): EmbeddingGrid {
  if (!grid) throw new AppError('bad-input', 'Compute embeddings first.');
  return grid;
}

// Long k-means runs are cancelled by terminating this worker (the main side owns it and
// keeps the grid), so the loop itself needs no message polling.
const api: AnalysisWorkerApi = {
  setGrid(g) {
    return settle(() => {
      grid = createEmbeddingGrid(g.width, g.height, g.dim, g.data, g.valid);
      return g.width * g.height;
    });
  },
  async similarity(queryIndex, topK) {
    const result = await settle(() => {
      const g = requireGrid();
      if (!Number.isInteger(queryIndex) || queryIndex < 0 || queryIndex >= g.width * g.height) {
        throw new AppError('bad-input', `Pixel ${queryIndex} is outside the scene.`);
      }
      if (!g.valid[queryIndex])
        throw new AppError('bad-input', 'That pixel has no data (nodata or cloud); click a valid pixel.');
      const scores = cosineSimilarity(g, pixelVector(g, queryIndex));
      const hist = scoreHistogram(scores, 64);
      const places = topKPlaces(scores, g.width, g.height, { ...topK, queryIndex });
      return { scores, min: hist.min, max: hist.max, histogram: Array.from(hist.counts), places };
    });
    return result.ok ? Comlink.transfer(result, [result.value.scores.buffer as ArrayBuffer]) : result;
  },
  async cluster(k, seed, onIteration) {
    const result = await settle(() => {
      const g = requireGrid();
      const r = kmeans(g, { k, seed, onProgress: onIteration });
      const counts = new Array<number>(k).fill(0);
      for (const label of r.labels) if (label < k) counts[label] = (counts[label] ?? 0) + 1;
      return {
        labels: r.labels,
        k,
        inertia: r.inertia,
        iterations: r.iterations,
        converged: r.converged,
        counts,
      };
    });
    return result.ok ? Comlink.transfer(result, [result.value.labels.buffer as ArrayBuffer]) : result;
  },
};

Comlink.expose(api);
