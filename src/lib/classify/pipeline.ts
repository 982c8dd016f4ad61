/**
 * The whole classification of one grid, as the app's worker and the CLI both run it: labels
 * to pixels, spatial block CV and its learning curve, the final model on every label, the
 * class map with its confidence.
 */
import type { EmbeddingGrid } from '../embeddings/index.ts';
import { AppError } from '../errors.ts';
import { type CurvePoint, learningCurve } from './learning-curve.ts';
import { type ClassifierModel, type ClassMap, classifyGrid, train } from './model.ts';
import { type CvResult, crossValidate, defaultBlockSize } from './spatial-cv.ts';
import { buildTrainingSet, type TrainingSetReport } from './training-set.ts';
import type { ClassifierSpec, LabelState } from './types.ts';

export interface ClassifyRequest {
  spec: ClassifierSpec;
  /** Block side in pixels; default defaultBlockSize(width, height). */
  blockSizePx?: number;
  folds?: number;
  seed?: number;
  /** Skip the learning curve (it trains one model per step and fold). */
  learningCurve?: boolean;
}

export type ClassifyStage = 'cross-validation' | 'learning-curve' | 'training' | 'prediction';

export interface ClassifyOutcome {
  training: TrainingSetReport;
  cv: CvResult;
  curve: CurvePoint[];
  model: ClassifierModel;
  map: ClassMap;
  seed: number;
}

export interface PipelineOptions {
  onProgress?: (stage: ClassifyStage, done: number, total: number) => void;
  signal?: AbortSignal;
}

/** Everything before the class map: training set, spatial CV, learning curve, the final model. */
export type ClassifyPreparation = Omit<ClassifyOutcome, 'map'>;

/**
 * The steps before predicting the grid. The app's worker then predicts the grid on several
 * threads (classify-predict workers); the CLI and tests call runClassification for all of it.
 */
export function prepareClassification(
  grid: EmbeddingGrid,
  labels: LabelState,
  request: ClassifyRequest,
  options: PipelineOptions = {},
): ClassifyPreparation {
  const training = buildTrainingSet(grid, labels);
  const missing = labels.classes.filter((_, i) => (training.perClass[i] ?? 0) === 0).map((c) => c.name);
  if (missing.length > 0) {
    throw new AppError(
      'bad-input',
      `No usable labelled pixel for ${missing.map((m) => `"${m}"`).join(', ')} on these embeddings: label it inside the scene (on valid pixels) or delete the class.`,
    );
  }
  const seed = request.seed ?? 1;
  const cvOptions = {
    width: grid.width,
    height: grid.height,
    blockSizePx: request.blockSizePx ?? defaultBlockSize(grid.width, grid.height),
    folds: request.folds ?? 5,
    seed,
    ...(options.signal ? { signal: options.signal } : {}),
  };
  const progress = (stage: ClassifyStage) => (done: number, total: number) =>
    options.onProgress?.(stage, done, total);
  const cv = crossValidate(training.set, request.spec, {
    ...cvOptions,
    onProgress: progress('cross-validation'),
  });
  const curve =
    request.learningCurve === false
      ? []
      : learningCurve(training.set, request.spec, { ...cvOptions, onProgress: progress('learning-curve') });
  options.onProgress?.('training', 0, 1);
  const model = train(training.set, request.spec);
  options.onProgress?.('training', 1, 1);
  return { training, cv, curve, model, seed };
}

export function runClassification(
  grid: EmbeddingGrid,
  labels: LabelState,
  request: ClassifyRequest,
  options: PipelineOptions = {},
): ClassifyOutcome {
  const prepared = prepareClassification(grid, labels, request, options);
  const map = classifyGrid(prepared.model, grid, {
    onProgress: (done, total) => options.onProgress?.('prediction', done, total),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  return { ...prepared, map };
}
