/**
 * Spatial block cross-validation. The scene is cut into square blocks; blocks (never single
 * pixels) are dealt to folds at random (seeded), and a label goes wholly to the fold of the
 * block its pixels' centre lies in. The model that predicts a fold never saw a label of that
 * fold's blocks, so neighbouring, near-identical pixels cannot inflate the accuracy as a
 * random split would.
 */

import { AppError, throwIfAborted } from '../errors.ts';
import { mulberry32, randomInt } from '../math/index.ts';
import { type AccuracyMetrics, accuracyMetrics } from './metrics.ts';
import { predictRows, train } from './model.ts';
import { subset } from './training-set.ts';
import type { ClassifierSpec, TrainingSet } from './types.ts';

export interface CvOptions {
  /** Width of the grid the training set's pixel indices refer to. */
  width: number;
  height: number;
  /** Block side in pixels. */
  blockSizePx: number;
  folds: number;
  seed: number;
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

/** A block side that cuts the scene into about 5 x 5 blocks (at least 4 pixels). */
export function defaultBlockSize(width: number, height: number): number {
  return Math.max(4, Math.round(Math.max(width, height) / 5));
}

export interface FoldAssignment {
  /** Fold of each sample. */
  fold: Int32Array;
  /** Block of each sample (row-major block index). */
  block: Int32Array;
  folds: number;
}

/** Folds per sample; fewer folds than asked when the labels lie in fewer blocks. */
export function assignFolds(
  set: TrainingSet,
  options: Omit<CvOptions, 'onProgress' | 'signal'>,
): FoldAssignment {
  const { width, height, blockSizePx: b, seed } = options;
  if (!Number.isInteger(b) || b < 1)
    throw new AppError('bad-input', `The block size must be a whole number of pixels >= 1, got ${b}.`);
  if (!Number.isInteger(options.folds) || options.folds < 2)
    throw new AppError('bad-input', `Cross-validation needs at least 2 folds, got ${options.folds}.`);
  const n = set.classes.length;
  // Centre of each label group's pixels.
  const sums = new Map<number, [number, number, number]>();
  for (let i = 0; i < n; i++) {
    const p = set.pixels[i]!;
    const s = sums.get(set.groups[i]!) ?? [0, 0, 0];
    s[0] += p % width;
    s[1] += Math.floor(p / width);
    s[2]++;
    sums.set(set.groups[i]!, s);
  }
  const blocksX = Math.ceil(width / b);
  const blockOfGroup = new Map<number, number>();
  for (const [group, [sx, sy, count]] of sums) {
    const col = Math.min(width - 1, Math.floor(sx / count));
    const row = Math.min(height - 1, Math.floor(sy / count));
    blockOfGroup.set(group, Math.floor(row / b) * blocksX + Math.floor(col / b));
  }
  const occupied = [...new Set(blockOfGroup.values())].sort((x, y) => x - y);
  if (occupied.length < 2) {
    throw new AppError(
      'bad-input',
      'All labels lie in one block: label more places, or choose smaller blocks.',
    );
  }
  const folds = Math.min(options.folds, occupied.length);
  const rng = mulberry32(seed);
  for (let i = occupied.length - 1; i > 0; i--) {
    const j = randomInt(rng, i + 1);
    [occupied[i], occupied[j]] = [occupied[j]!, occupied[i]!];
  }
  const foldOfBlock = new Map(occupied.map((blk, i) => [blk, i % folds]));
  const fold = new Int32Array(n);
  const block = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const blk = blockOfGroup.get(set.groups[i]!)!;
    block[i] = blk;
    fold[i] = foldOfBlock.get(blk)!;
  }
  return { fold, block, folds };
}

export interface CvResult {
  metrics: AccuracyMetrics;
  /** Held-out prediction of each sample. */
  predicted: Uint8Array;
  folds: number;
  blockSizePx: number;
}

/** Indices of samples in / not in fold f. */
export function foldIndices(assignment: FoldAssignment, f: number): { train: number[]; test: number[] } {
  const trainIdx: number[] = [];
  const testIdx: number[] = [];
  assignment.fold.forEach((v, i) => {
    (v === f ? testIdx : trainIdx).push(i);
  });
  return { train: trainIdx, test: testIdx };
}

/** Held-out predictions of `test` from a model trained on `trainIdx` only. */
export function predictHeldOut(
  set: TrainingSet,
  spec: ClassifierSpec,
  trainIdx: readonly number[],
  test: readonly number[],
): Uint8Array {
  const model = train(subset(set, trainIdx), spec);
  const held = subset(set, test);
  const C = set.classCount;
  const probs = new Float32Array(test.length * C);
  predictRows(model, held.features, test.length, probs);
  const out = new Uint8Array(test.length);
  for (let j = 0; j < test.length; j++) {
    let arg = 0;
    for (let c = 1; c < C; c++) if (probs[j * C + c]! > probs[j * C + arg]!) arg = c;
    out[j] = arg;
  }
  return out;
}

export function crossValidate(set: TrainingSet, spec: ClassifierSpec, options: CvOptions): CvResult {
  const assignment = assignFolds(set, options);
  const predicted = new Uint8Array(set.classes.length);
  for (let f = 0; f < assignment.folds; f++) {
    throwIfAborted(options.signal, 'Cross-validation');
    const { train: trainIdx, test } = foldIndices(assignment, f);
    const out = predictHeldOut(set, spec, trainIdx, test);
    test.forEach((i, j) => {
      predicted[i] = out[j]!;
    });
    options.onProgress?.(f + 1, assignment.folds);
  }
  return {
    metrics: accuracyMetrics(set.classes, predicted, set.classCount),
    predicted,
    folds: assignment.folds,
    blockSizePx: options.blockSizePx,
  };
}
