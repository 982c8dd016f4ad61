import * as Comlink from 'comlink';
import type { LabelState } from '../src/lib/classify/index.ts';
import {
  type ClassMap,
  classifyGrid,
  predictionThreads,
  prepareClassification,
  suggestLabels,
  withUncertain,
} from '../src/lib/classify/index.ts';
import { createEmbeddingGrid, type EmbeddingGrid } from '../src/lib/embeddings/index.ts';
import { AppError } from '../src/lib/errors.ts';
import { classAreas } from '../src/lib/export/index.ts';
import type { GridSpec } from '../src/lib/geo/index.ts';
import { settle } from '../src/lib/worker-result.ts';
import type { ClassifyWorkerApi, ThresholdView } from './classify-api.ts';
import { predictInParallel } from './parallel-predict.ts';

let grid: EmbeddingGrid | undefined;
let spec: GridSpec | undefined;
let last: { map: ClassMap; labels: LabelState } | undefined;

function view(map: ClassMap, labels: LabelState, threshold: number, at: GridSpec): ThresholdView {
  if (!(threshold >= 0 && threshold <= 1))
    throw new AppError('bad-input', `The confidence threshold must be 0..1, got ${threshold}.`);
  const classes = withUncertain(map, threshold);
  const classDefs = labels.classes.map((c, value) => ({ value, name: c.name, colour: c.colour }));
  const { areas, uncertainKm2 } = classAreas(classes, at, classDefs);
  return { threshold, classes, areas, uncertainKm2 };
}

// Cancelling terminates this worker (the main side keeps the grid and sends it again).
const api: ClassifyWorkerApi = {
  setGrid(g) {
    return settle(() => {
      grid = createEmbeddingGrid(g.grid.width, g.grid.height, g.dim, g.data, g.valid, {
        epsg: g.grid.epsg,
        transform: g.grid.transform,
      });
      spec = g.grid;
      last = undefined;
      return g.grid.width * g.grid.height;
    });
  },
  classify(labels, request, threshold, onProgress) {
    return settle(async () => {
      if (!grid || !spec) throw new AppError('bad-input', 'Compute embeddings first.');
      const prepared = prepareClassification(grid, labels, request, { onProgress });
      // The grid's pixels are independent: predict them on every core the device offers.
      const threads = predictionThreads(grid.width * grid.height, navigator.hardwareConcurrency);
      const predictProgress = (done: number, total: number) => onProgress('prediction', done, total);
      const map =
        threads > 1
          ? await predictInParallel(prepared.model, grid, threads, predictProgress)
          : classifyGrid(prepared.model, grid, { onProgress: predictProgress });
      const outcome = { ...prepared, map };
      last = { map: outcome.map, labels };
      const result = {
        ...view(outcome.map, labels, threshold, spec),
        confidence: outcome.map.confidence,
        metrics: outcome.cv.metrics,
        curve: outcome.curve,
        folds: outcome.cv.folds,
        blockSizePx: outcome.cv.blockSizePx,
        predictionThreads: threads,
        labelledPixels: outcome.training.perClass,
        leftOut: {
          outside: outcome.training.outside,
          invalid: outcome.training.invalid,
          conflicting: outcome.training.conflicting,
        },
        suggestions: suggestLabels(
          outcome.map,
          spec,
          10,
          Math.max(10, Math.round(Math.max(spec.width, spec.height) / 20)),
        ),
      };
      return Comlink.transfer(result, [result.classes.buffer]);
    });
  },
  threshold(threshold) {
    return settle(() => {
      if (!last || !spec) throw new AppError('bad-input', 'Classify first.');
      const v = view(last.map, last.labels, threshold, spec);
      return Comlink.transfer(v, [v.classes.buffer]);
    });
  },
};

Comlink.expose(api);
