import { describe, expect, it } from 'vitest';
import { knnPredict, knnPredictJs, trainKnn } from '../../src/lib/classify/knn.ts';
import { wasmKnnAvailable } from '../../src/lib/classify/knn-wasm.ts';
import { logRegPredict, trainLogReg } from '../../src/lib/classify/logreg.ts';
import { blobs, referenceKnn, referenceLogReg, softmax } from './reference.ts';

describe('kNN (cosine)', () => {
  // The JS kernel sums in float64 like the reference: only true near-ties (< 1e-9) may differ.
  // The SIMD kernel sums in float32: similarities within 1e-5, so ties closer than that may.
  for (const [name, predict, margin] of [
    ['WebAssembly SIMD', knnPredict, 1e-5],
    ['plain JS', knnPredictJs, 1e-9],
  ] as const) {
    it(`${name}: gives the reference probabilities for every query except at similarity ties below ${margin}`, () => {
      if (name === 'WebAssembly SIMD') expect(wasmKnnAvailable()).toBe(true);
      const set = blobs(403, 24, 4, 1.5, 3);
      const queries = blobs(150, 24, 4, 2.5, 3).features;
      for (const k of [1, 5, 12]) {
        const model = trainKnn(set, { method: 'knn', k });
        const out = new Float32Array(150 * 4);
        predict(model, queries, 150, out);
        const ref = referenceKnn(set, k, queries, 150);
        let compared = 0;
        for (let q = 0; q < 150; q++) {
          if (ref.margins[q]! < margin) continue;
          compared++;
          for (let c = 0; c < 4; c++) expect(out[q * 4 + c]).toBeCloseTo(ref.probs[q]![c]!, 6);
        }
        expect(compared).toBeGreaterThan(140);
      }
    });
  }

  it('breaks exact ties by the lower label index, as the reference does', () => {
    const set = blobs(8, 3, 2, 0, 1); // zero spread: every label of a class is the same vector
    const model = trainKnn(set, { method: 'knn', k: 3 });
    const out = new Float32Array(2);
    knnPredict(model, set.features.subarray(0, 3), 1, out);
    expect(Array.from(out)).toEqual(
      referenceKnn(set, 3, set.features.subarray(0, 3), 1).probs[0]!.map(Math.fround),
    );
  });

  it('refuses a k outside 1..50', () => {
    expect(() => trainKnn(blobs(10, 2, 2, 1, 1), { method: 'knn', k: 0 })).toThrow(/k must be/);
  });
});

describe('logistic regression', () => {
  it('converges to the same probabilities as plain gradient descent (within 1e-5)', () => {
    const set = blobs(123, 6, 3, 1.2, 9);
    const l2 = 0.05;
    const model = trainLogReg(set, { method: 'logreg', l2, tolerance: 1e-8, maxIterations: 2000 });
    expect(model.converged).toBe(true);
    expect(model.gradientMax).toBeLessThanOrEqual(1e-8);
    const w = referenceLogReg(set, l2, 1e-10);
    const out = new Float32Array(123 * 3);
    logRegPredict(model, set.features, 123, out);
    for (let i = 0; i < 123; i++) {
      const x = Array.from(set.features.subarray(i * 6, i * 6 + 6));
      const p = softmax(w, x);
      for (let c = 0; c < 3; c++) expect(Math.abs(out[i * 3 + c]! - p[c]!)).toBeLessThan(1e-5);
    }
  });

  it('is reproducible: the same labels give bit-identical weights', () => {
    const set = blobs(300, 16, 5, 2, 4);
    const spec = { method: 'logreg' as const, l2: 1e-3, tolerance: 1e-6, maxIterations: 500 };
    expect(Array.from(trainLogReg(set, spec).weights)).toEqual(Array.from(trainLogReg(set, spec).weights));
  });

  it('says when it stopped before the tolerance', () => {
    const model = trainLogReg(blobs(200, 8, 3, 1, 2), {
      method: 'logreg',
      l2: 1e-4,
      tolerance: 1e-12,
      maxIterations: 3,
    });
    expect(model.iterations).toBe(3);
    expect(model.converged).toBe(false);
  });
});
