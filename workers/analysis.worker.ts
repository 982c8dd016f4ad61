import * as Comlink from 'comlink';
import {
  AnalysisEngine,
  type BackendPreference,
  chooseAnalysisBackend,
  projectionToRgba,
  scoreHistogram,
  thresholdMask,
  topKPlaces,
} from '../src/lib/analysis/index.ts';
import { createEmbeddingGrid, type EmbeddingGrid } from '../src/lib/embeddings/index.ts';
import { AppError } from '../src/lib/errors.ts';
import { sharedGpu } from '../src/lib/gpu/index.ts';
import { settle } from '../src/lib/worker-result.ts';
import type { AnalysisWorkerApi, GridTransfer, SearchRequest, SearchResult } from './analysis-api.ts';

let engine: AnalysisEngine | undefined;
let preference: BackendPreference = 'auto';

function requireEngine(): AnalysisEngine {
  if (!engine) throw new AppError('bad-input', 'Compute embeddings first.');
  return engine;
}

function toGrid(g: GridTransfer): EmbeddingGrid {
  return createEmbeddingGrid(g.width, g.height, g.dim, g.data, g.valid);
}

async function search(request: SearchRequest): Promise<SearchResult> {
  const e = requireEngine();
  const { width, height } = e.grid;
  const picks = { positives: request.positives, negatives: request.negatives ?? [] };
  const { scores, min, max } = await e.rankedSimilarity(picks);
  const range = { min, max };
  const hist = scoreHistogram(scores, 64, range);
  const queryIndex = request.positives.length === 1 ? request.positives[0] : undefined;
  const places = topKPlaces(scores, width, height, { ...request.topK, queryIndex, range });
  const { threshold, pixelSizeM } = request;
  const result: SearchResult = {
    // The engine keeps no reference to its answer: it goes to the main thread as it is
    // (transferred, not copied).
    scores,
    min: hist.min,
    max: hist.max,
    histogram: Array.from(hist.counts),
    places,
    backend: e.info.backend,
  };
  if (threshold !== undefined && pixelSizeM !== undefined) {
    result.threshold = { threshold, ...thresholdMask(scores, threshold, pixelSizeM) };
  }
  return result;
}

// Long runs are cancelled by terminating this worker (the main side owns it and keeps the
// grid), so the loops themselves need no message polling.
const api: AnalysisWorkerApi = {
  backend(next) {
    return settle(async () => {
      if (next) preference = next;
      if (engine && next) {
        const grid = engine.grid;
        engine.dispose();
        engine = new AnalysisEngine(grid, { probe: await sharedGpu(), preference });
      }
      return engine?.info ?? chooseAnalysisBackend(await sharedGpu(), preference);
    });
  },
  setGrid(g) {
    return settle(async () => {
      const grid = toGrid(g);
      engine?.dispose();
      const created = new AnalysisEngine(grid, { probe: await sharedGpu(), preference });
      engine = created;
      // The pixels' norms for the first click, once this answer has gone (a click that comes
      // first waits for them, as it would have computed them anyway).
      setTimeout(() => {
        if (engine === created) created.prepareSimilarity();
      }, 0);
      return g.width * g.height;
    });
  },
  async search(request) {
    const result = await settle(() => search(request));
    if (!result.ok) return result;
    const buffers = [result.value.scores.buffer as ArrayBuffer];
    if (result.value.threshold) buffers.push(result.value.threshold.mask.buffer as ArrayBuffer);
    return Comlink.transfer(result, buffers);
  },
  async cluster(k, seed, onIteration) {
    const result = await settle(async () => {
      const e = requireEngine();
      const r = await e.kmeans({ k, seed, onProgress: onIteration });
      const counts = new Array<number>(k).fill(0);
      for (const label of r.labels) if (label < k) counts[label] = (counts[label] ?? 0) + 1;
      return {
        labels: r.labels,
        k,
        inertia: r.inertia,
        iterations: r.iterations,
        converged: r.converged,
        changedShare:
          r.changed /
          Math.max(
            1,
            counts.reduce((a, b) => a + b, 0),
          ),
        counts,
        backend: e.info.backend,
      };
    });
    return result.ok ? Comlink.transfer(result, [result.value.labels.buffer as ArrayBuffer]) : result;
  },
  async pca(options = {}) {
    const result = await settle(async () => {
      const e = requireEngine();
      const { basis, projection } = await e.pca(options);
      const share = (v: number): number => (basis.totalVariance > 0 ? v / basis.totalVariance : 0);
      return {
        rgba: projectionToRgba(projection),
        explained: [share(basis.variances[0]), share(basis.variances[1]), share(basis.variances[2])] as [
          number,
          number,
          number,
        ],
        samples: basis.samples,
        backend: e.info.backend,
      };
    });
    return result.ok ? Comlink.transfer(result, [result.value.rgba.buffer]) : result;
  },
  setOtherGrid(g) {
    return settle(() => {
      requireEngine().setOther(toGrid(g));
      return g.width * g.height;
    });
  },
  async change() {
    const result = await settle(async () => {
      const e = requireEngine();
      const distance = await e.change();
      const hist = scoreHistogram(distance, 64);
      return {
        distance,
        min: hist.min,
        max: hist.max,
        histogram: Array.from(hist.counts),
        backend: e.info.backend,
      };
    });
    return result.ok ? Comlink.transfer(result, [result.value.distance.buffer as ArrayBuffer]) : result;
  },
};

Comlink.expose(api);
