import { describe, expect, it } from 'vitest';
import { knnPredict, knnPredictJs, trainKnn } from '../../src/lib/classify/knn.ts';
import { wasmKnnAvailable } from '../../src/lib/classify/knn-wasm.ts';
import { logRegPredict, trainLogReg } from '../../src/lib/classify/logreg.ts';
import { blobs, referenceKnn, referenceLogReg, softmax } from './reference.ts';

describe('kNN (cosine)', () => {
  // Both kernels score the winners in float64 like the reference: only true near-ties (< 1e-9)
  // may differ. (The SIMD kernel's fixed-point dots only choose which rows to rescore.)
  for (const [name, predict, margin] of [
    ['WebAssembly SIMD', knnPredict, 1e-9],
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

  it('SIMD search equals the plain kernel exactly, even among labels closer than its fixed-point error', () => {
    expect(wasmKnnAvailable()).toBe(true);
    // 600 labels in 40 tight bunches: inside a bunch similarities differ by about the int16
    // dots' error (~1e-4), so the fixed-point order is wrong there and only the exact rescoring
    // of every row within twice the error bound orders them (with no margin this test fails).
    const base = blobs(40, 64, 5, 1.5, 21);
    const jitter = blobs(600, 64, 5, 1, 22);
    const features = new Float32Array(600 * 64);
    const classes = new Uint8Array(600);
    for (let i = 0; i < 600; i++) {
      const b = i % 40;
      for (let d = 0; d < 64; d++)
        features[i * 64 + d] = base.features[b * 64 + d]! + jitter.features[i * 64 + d]! * 3e-4;
      classes[i] = jitter.classes[i]!;
    }
    const set = { ...base, features, classes };
    const queries = blobs(300, 64, 5, 1.5, 23).features;
    for (const k of [1, 7, 50]) {
      const model = trainKnn(set, { method: 'knn', k });
      const simd = new Float32Array(300 * 5);
      const js = new Float32Array(300 * 5);
      knnPredict(model, queries, 300, simd);
      knnPredictJs(model, queries, 300, js);
      expect(Array.from(simd)).toEqual(Array.from(js));
    }
  });

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
