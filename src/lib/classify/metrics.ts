/** Accuracy figures from true and predicted classes: confusion matrix, overall, balanced, per class. */
import { AppError } from '../errors.ts';

export interface ClassScores {
  /** null where undefined (no pixel predicted as / labelled as the class). */
  precision: number | null;
  recall: number | null;
  f1: number | null;
  /** Labelled pixels of the class among those evaluated. */
  support: number;
}

export interface AccuracyMetrics {
  /** confusion[true][predicted] pixel counts. */
  confusion: number[][];
  evaluated: number;
  overall: number;
  /** Mean recall over the classes that have labels. */
  balanced: number;
  perClass: ClassScores[];
}

export function accuracyMetrics(
  truth: ArrayLike<number>,
  predicted: ArrayLike<number>,
  classCount: number,
): AccuracyMetrics {
  if (truth.length !== predicted.length)
    throw new AppError('internal', 'truth and predictions differ in length');
  const C = classCount;
  const confusion = Array.from({ length: C }, () => new Array<number>(C).fill(0));
  let correct = 0;
  for (let i = 0; i < truth.length; i++) {
    const t = truth[i]!;
    const p = predicted[i]!;
    if (t >= C || p >= C) throw new AppError('internal', `class ${Math.max(t, p)} is outside 0..${C - 1}`);
    confusion[t]![p]!++;
    if (t === p) correct++;
  }
  const perClass: ClassScores[] = [];
  let recallSum = 0;
  let present = 0;
  for (let c = 0; c < C; c++) {
    const tp = confusion[c]![c]!;
    const support = confusion[c]!.reduce((a, b) => a + b, 0);
    let predictedAs = 0;
    for (let t = 0; t < C; t++) predictedAs += confusion[t]![c]!;
    const precision = predictedAs > 0 ? tp / predictedAs : null;
    const recall = support > 0 ? tp / support : null;
    const f1 =
      precision !== null && recall !== null
        ? precision + recall > 0
          ? (2 * precision * recall) / (precision + recall)
          : 0
        : null;
    if (recall !== null) {
      recallSum += recall;
      present++;
    }
    perClass.push({ precision, recall, f1, support });
  }
  const n = truth.length;
  return {
    confusion,
    evaluated: n,
    overall: n > 0 ? correct / n : 0,
    balanced: present > 0 ? recallSum / present : 0,
    perClass,
  };
}
