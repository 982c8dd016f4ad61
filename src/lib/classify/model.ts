/** One entry point for both classifiers: train, predict rows, classify a whole grid. */
import type { EmbeddingGrid } from '../embeddings/index.ts';
import { AppError, throwIfAborted } from '../errors.ts';
import { type KnnModel, knnPredict, trainKnn } from './knn.ts';
import { type LogRegModel, logRegPredict, trainLogReg } from './logreg.ts';
import { type ClassifierSpec, NO_CLASS, type TrainingSet, UNCERTAIN } from './types.ts';

export type ClassifierModel = KnnModel | LogRegModel;

export function train(set: TrainingSet, spec: ClassifierSpec): ClassifierModel {
  if (set.classCount < 2) throw new AppError('bad-input', 'Define at least two classes to classify.');
  return spec.method === 'knn' ? trainKnn(set, spec) : trainLogReg(set, spec);
}

/** Class probabilities of `count` rows into out[p * classCount ..]. */
export function predictRows(
  model: ClassifierModel,
  features: Float32Array,
  count: number,
  out: Float32Array,
): void {
  if (model.method === 'knn') knnPredict(model, features, count, out);
  else logRegPredict(model, features, count, out);
}

/** Per pixel: the most probable class (NO_CLASS where the embedding is invalid) and its probability. */
export interface ClassMap {
  width: number;
  height: number;
  classCount: number;
  best: Uint8Array;
  /** Probability of the best class; NaN where there is no prediction. */
  confidence: Float32Array;
}

export interface ClassifyOptions {
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
  /** Pixels per prediction batch (progress and cancellation are checked between batches). */
  batch?: number;
}

/** Predicts every valid pixel of the grid. */
export function classifyGrid(
  model: ClassifierModel,
  grid: EmbeddingGrid,
  options: ClassifyOptions = {},
): ClassMap {
  if (grid.dim !== model.dim) {
    throw new AppError(
      'bad-input',
      `The classifier expects ${model.dim}-dimensional embeddings; these have ${grid.dim}.`,
    );
  }
  const { width, height, dim, data, valid } = grid;
  const pixels = width * height;
  const C = model.classCount;
  const batch = options.batch ?? 16_384;
  const best = new Uint8Array(pixels).fill(NO_CLASS);
  const confidence = new Float32Array(pixels).fill(Number.NaN);
  const rows = new Float32Array(batch * dim);
  const probs = new Float32Array(batch * C);
  const index = new Uint32Array(batch);
  for (let start = 0; start < pixels; start += batch) {
    throwIfAborted(options.signal, 'Classification');
    const end = Math.min(pixels, start + batch);
    let m = 0;
    for (let p = start; p < end; p++) {
      if (valid[p] === 0) continue;
      rows.set(data.subarray(p * dim, (p + 1) * dim), m * dim);
      index[m++] = p;
    }
    predictRows(model, rows, m, probs);
    for (let j = 0; j < m; j++) {
      let arg = 0;
      let top = probs[j * C]!;
      for (let c = 1; c < C; c++) {
        const v = probs[j * C + c]!;
        if (v > top) {
          top = v;
          arg = c;
        }
      }
      best[index[j]!] = arg;
      confidence[index[j]!] = top;
    }
    options.onProgress?.(end, pixels);
  }
  return { width, height, classCount: C, best, confidence };
}

/** The class raster to show or export: pixels whose confidence is below `threshold` become UNCERTAIN. */
export function withUncertain(map: ClassMap, threshold: number): Uint8Array {
  const out = map.best.slice();
  if (!(threshold > 0)) return out;
  for (let p = 0; p < out.length; p++)
    if (out[p] !== NO_CLASS && map.confidence[p]! < threshold) out[p] = UNCERTAIN;
  return out;
}
