import { describe, expect, it } from 'vitest';
import { learningCurve } from '../../src/lib/classify/learning-curve.ts';
import { accuracyMetrics } from '../../src/lib/classify/metrics.ts';
import {
  assignFolds,
  crossValidate,
  defaultBlockSize,
  foldIndices,
} from '../../src/lib/classify/spatial-cv.ts';
import type { TrainingSet } from '../../src/lib/classify/types.ts';

const W = 100;
const H = 100;
const BLOCK = 20;

/**
 * Labels whose embedding identifies their 20 x 20 block and whose class is random per block:
 * a model that saw a label of the same block predicts it perfectly, one that did not can only
 * guess. So accuracy near 100% means leakage, near 50% (two classes) means none.
 */
function blockIdentitySet(seed: number): TrainingSet {
  let s = seed;
  const rnd = () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s / 2 ** 32;
  };
  const dim = 16;
  const blocks = (W / BLOCK) * (H / BLOCK);
  const blockVec = Array.from({ length: blocks }, () => Array.from({ length: dim }, () => rnd() - 0.5));
  const blockClass = Array.from({ length: blocks }, () => (rnd() < 0.5 ? 0 : 1));
  const pixels: number[] = [];
  for (let i = 0; i < blocks * 6; i++) {
    const b = i % blocks;
    const col = (b % (W / BLOCK)) * BLOCK + Math.floor(rnd() * BLOCK);
    const row = Math.floor(b / (W / BLOCK)) * BLOCK + Math.floor(rnd() * BLOCK);
    pixels.push(row * W + col);
  }
  const n = pixels.length;
  const features = new Float32Array(n * dim);
  const classes = new Uint8Array(n);
  pixels.forEach((p, i) => {
    const b = Math.floor(Math.floor(p / W) / BLOCK) * (W / BLOCK) + Math.floor((p % W) / BLOCK);
    classes[i] = blockClass[b]!;
    for (let d = 0; d < dim; d++) features[i * dim + d] = blockVec[b]![d]! + 0.01 * (rnd() - 0.5);
  });
  return {
    dim,
    classCount: 2,
    features,
    classes,
    pixels: Uint32Array.from(pixels),
    groups: Uint32Array.from(pixels, (_, i) => i),
  };
}

describe('spatial block cross-validation', () => {
  const options = { width: W, height: H, blockSizePx: BLOCK, folds: 5, seed: 1 };

  it('never puts a block in both the training and the test side of a fold', () => {
    const set = blockIdentitySet(7);
    const a = assignFolds(set, options);
    expect(a.folds).toBe(5);
    for (let f = 0; f < a.folds; f++) {
      const { train, test } = foldIndices(a, f);
      const testBlocks = new Set(test.map((i) => a.block[i]));
      expect(train.some((i) => testBlocks.has(a.block[i]!))).toBe(false);
      expect(test.length).toBeGreaterThan(0);
    }
  });

  it('does not leak: labels that identify their block score at chance, not 100%', () => {
    const set = blockIdentitySet(7);
    const cv = crossValidate(set, { method: 'knn', k: 1 }, options);
    expect(cv.metrics.overall).toBeLessThan(0.8);
    // The same data, split at random pixel by pixel, is the leak the block split prevents.
    const leaky = crossValidate(set, { method: 'knn', k: 1 }, { ...options, blockSizePx: 1 });
    expect(leaky.metrics.overall).toBeGreaterThan(0.99);
  });

  it('keeps the pixels of one label (a polygon) in one fold', () => {
    const set = blockIdentitySet(3);
    // Pretend every 6 consecutive samples are one polygon spanning several blocks.
    const grouped = { ...set, groups: Uint32Array.from(set.groups, (_, i) => Math.floor(i / 6)) };
    const a = assignFolds(grouped, options);
    for (let i = 0; i < grouped.groups.length; i++) {
      expect(a.fold[i]).toBe(a.fold[Math.floor(i / 6) * 6]);
    }
  });

  it('is seeded: the same seed gives the same folds, another seed others', () => {
    const set = blockIdentitySet(5);
    expect(Array.from(assignFolds(set, options).fold)).toEqual(Array.from(assignFolds(set, options).fold));
    expect(Array.from(assignFolds(set, { ...options, seed: 2 }).fold)).not.toEqual(
      Array.from(assignFolds(set, options).fold),
    );
  });

  it('says so when every label lies in one block', () => {
    const set = blockIdentitySet(5);
    expect(() => assignFolds(set, { ...options, blockSizePx: 100 })).toThrow(/one block/);
  });

  it('sizes the default block to the scene', () => {
    expect(defaultBlockSize(1000, 600)).toBe(200);
    expect(defaultBlockSize(10, 10)).toBe(4);
  });

  it('draws a learning curve that rises with labels per class on separable data', () => {
    const set = blockIdentitySet(11);
    // Make the class, not the block, decide the embedding: accuracy should reach 1.
    const dim = set.dim;
    for (let i = 0; i < set.classes.length; i++)
      for (let d = 0; d < dim; d++)
        set.features[i * dim + d] = (d === set.classes[i] ? 1 : 0) + 0.3 * Math.sin(i * 7 + d);
    const curve = learningCurve(set, { method: 'knn', k: 1 }, options);
    expect(curve[0]!.labelsPerClass).toBe(1);
    expect(curve.at(-1)!.overall).toBeGreaterThan(0.95);
    expect(curve.map((p) => p.labelsPerClass)).toEqual(
      [...curve.map((p) => p.labelsPerClass)].sort((a, b) => a - b),
    );
  });
});

describe('accuracy metrics', () => {
  it('computes confusion, overall and balanced accuracy and per-class scores', () => {
    const truth = [0, 0, 0, 0, 1, 1, 2];
    const pred = [0, 0, 0, 1, 1, 0, 2];
    const m = accuracyMetrics(truth, pred, 4);
    expect(m.confusion).toEqual([
      [3, 1, 0, 0],
      [1, 1, 0, 0],
      [0, 0, 1, 0],
      [0, 0, 0, 0],
    ]);
    expect(m.overall).toBeCloseTo(5 / 7, 12);
    expect(m.balanced).toBeCloseTo((3 / 4 + 1 / 2 + 1) / 3, 12);
    expect(m.perClass[0]).toEqual({ precision: 3 / 4, recall: 3 / 4, f1: 3 / 4, support: 4 });
    expect(m.perClass[1]!.precision).toBe(1 / 2);
    expect(m.perClass[3]).toEqual({ precision: null, recall: null, f1: null, support: 0 });
  });
});
