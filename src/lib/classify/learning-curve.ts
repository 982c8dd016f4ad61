/**
 * Learning curve: spatial-CV accuracy against the number of labels per class the models
 * were trained with (labels drawn at random, seeded, from each training fold). Test folds are
 * always complete, so points differ only in how much the model learnt from.
 */

import { throwIfAborted } from '../errors.ts';
import { mulberry32, randomInt } from '../math/index.ts';
import { accuracyMetrics } from './metrics.ts';
import { assignFolds, type CvOptions, foldIndices, predictHeldOut } from './spatial-cv.ts';
import type { ClassifierSpec, TrainingSet } from './types.ts';

export interface CurvePoint {
  labelsPerClass: number;
  overall: number;
  balanced: number;
}

const STEPS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000];

/** Keeps at most `perClass` label groups of each class from `indices` (seeded). */
function limitGroups(set: TrainingSet, indices: readonly number[], perClass: number, seed: number): number[] {
  const groupsByClass = new Map<number, Set<number>>();
  for (const i of indices) {
    const list = groupsByClass.get(set.classes[i]!) ?? new Set<number>();
    list.add(set.groups[i]!);
    groupsByClass.set(set.classes[i]!, list);
  }
  const rng = mulberry32(seed);
  const keep = new Set<number>();
  for (const [, groups] of [...groupsByClass].sort((a, b) => a[0] - b[0])) {
    const pool = [...groups].sort((a, b) => a - b);
    for (let j = 0; j < Math.min(perClass, pool.length); j++) {
      const r = j + randomInt(rng, pool.length - j);
      [pool[j], pool[r]] = [pool[r]!, pool[j]!];
      keep.add(pool[j]!);
    }
  }
  return indices.filter((i) => keep.has(set.groups[i]!));
}

export function learningCurve(set: TrainingSet, spec: ClassifierSpec, options: CvOptions): CurvePoint[] {
  const assignment = assignFolds(set, options);
  const groupsPerClass = Array.from({ length: set.classCount }, () => new Set<number>());
  set.classes.forEach((c, i) => {
    groupsPerClass[c]!.add(set.groups[i]!);
  });
  const most = Math.max(...groupsPerClass.map((s) => s.size));
  const steps = [...STEPS.filter((s) => s < most), most];
  const points: CurvePoint[] = [];
  steps.forEach((perClass, si) => {
    const truth: number[] = [];
    const predicted: number[] = [];
    for (let f = 0; f < assignment.folds; f++) {
      throwIfAborted(options.signal, 'The learning curve');
      const { train: trainAll, test } = foldIndices(assignment, f);
      const trainIdx = limitGroups(set, trainAll, perClass, options.seed + 7919 * (si + 1) + f);
      if (trainIdx.length === 0 || test.length === 0) continue;
      const out = predictHeldOut(set, spec, trainIdx, test);
      test.forEach((i, j) => {
        truth.push(set.classes[i]!);
        predicted.push(out[j]!);
      });
    }
    const m = accuracyMetrics(truth, predicted, set.classCount);
    points.push({ labelsPerClass: perClass, overall: m.overall, balanced: m.balanced });
    options.onProgress?.(si + 1, steps.length);
  });
  return points;
}
