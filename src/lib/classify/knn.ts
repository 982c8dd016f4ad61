/**
 * k-nearest-neighbour classification by cosine similarity. Training rows are stored
 * unit-normalised, so a similarity is one dot product; each query keeps its k best labels in
 * a small sorted array. Class probabilities are the share of the k votes per class.
 * Ties are broken by the lower training index, so results do not depend on scan order.
 */
import { AppError } from '../errors.ts';
import { QUERY_BATCH, type WasmRows, wasmKnnAvailable, wasmRows } from './knn-wasm.ts';
import { type KnnSpec, MAX_K, type TrainingSet } from './types.ts';

export interface KnnModel {
  method: 'knn';
  k: number;
  dim: number;
  classCount: number;
  /** n * dim unit-length rows (all-zero rows stay zero and never win). */
  rows: Float32Array;
  classes: Uint8Array;
}

export function trainKnn(set: TrainingSet, spec: KnnSpec): KnnModel {
  if (!Number.isInteger(spec.k) || spec.k < 1 || spec.k > MAX_K) {
    throw new AppError('bad-input', `k must be a whole number from 1 to ${MAX_K}, got ${spec.k}.`);
  }
  const n = set.classes.length;
  if (n === 0) throw new AppError('bad-input', 'There are no labelled pixels to learn from.');
  const { dim } = set;
  const rows = new Float32Array(set.features.length);
  for (let i = 0; i < n; i++) {
    let ss = 0;
    for (let d = 0; d < dim; d++) ss += set.features[i * dim + d]! ** 2;
    const inv = ss > 0 ? 1 / Math.sqrt(ss) : 0;
    for (let d = 0; d < dim; d++) rows[i * dim + d] = set.features[i * dim + d]! * inv;
  }
  return {
    method: 'knn',
    k: Math.min(spec.k, n),
    dim,
    classCount: set.classCount,
    rows,
    classes: set.classes.slice(),
  };
}

const wasmCache = new WeakMap<KnnModel, WasmRows>();

/**
 * Probabilities of `count` query rows (features[q * dim ..], any length) into out[q * C ..]:
 * the WebAssembly SIMD kernel where the engine has it, else the plain one (knnPredictJs).
 */
export function knnPredict(model: KnnModel, features: Float32Array, count: number, out: Float32Array): void {
  if (!wasmKnnAvailable()) {
    knnPredictJs(model, features, count, out);
    return;
  }
  let rows = wasmCache.get(model);
  if (!rows) {
    rows = wasmRows(model.rows, model.classes.length, model.dim);
    wasmCache.set(model, rows);
  }
  const { k, dim, classes, classCount: C } = model;
  const n = classes.length;
  const batch = new Float32Array(QUERY_BATCH * dim);
  const bestSim = new Float64Array(k);
  const bestIdx = new Int32Array(k);
  const vote = 1 / k;
  for (let start = 0; start < count; start += QUERY_BATCH) {
    const m = Math.min(QUERY_BATCH, count - start);
    for (let i = 0; i < m; i++) {
      const p = (start + i) * dim;
      let ss = 0;
      for (let d = 0; d < dim; d++) ss += features[p + d]! ** 2;
      const inv = ss > 0 ? 1 / Math.sqrt(ss) : 0;
      for (let d = 0; d < dim; d++) batch[i * dim + d] = features[p + d]! * inv;
    }
    const sims = rows.dots(batch, m);
    for (let i = 0; i < m; i++) {
      const base = i * rows.stride;
      bestSim.fill(Number.NEGATIVE_INFINITY);
      bestIdx.fill(-1);
      let kth = Number.NEGATIVE_INFINITY;
      for (let r = 0; r < n; r++) {
        const s = sims[base + r]!;
        // Strictly better only: an equal similarity later in the list has a higher index and loses.
        if (!(s > kth)) continue;
        let j = k - 1;
        while (j > 0 && s > bestSim[j - 1]!) {
          bestSim[j] = bestSim[j - 1]!;
          bestIdx[j] = bestIdx[j - 1]!;
          j--;
        }
        bestSim[j] = s;
        bestIdx[j] = r;
        kth = bestSim[k - 1]!;
      }
      const o = (start + i) * C;
      out.fill(0, o, o + C);
      for (let j = 0; j < k; j++) {
        const idx = bestIdx[j]!;
        if (idx >= 0) out[o + classes[idx]!]! += vote;
      }
    }
  }
}

/**
 * The plain-JS kernel: four training rows share each pass over the query (four independent
 * sums in flight, each still summed in d order, so each similarity is what a one-row loop
 * computes, in float64).
 */
export function knnPredictJs(
  model: KnnModel,
  features: Float32Array,
  count: number,
  out: Float32Array,
): void {
  const { k, dim, rows, classes, classCount: C } = model;
  const n = classes.length;
  const q = new Float64Array(dim);
  const bestSim = new Float64Array(k + 1);
  const bestIdx = new Int32Array(k + 1);
  const vote = 1 / k;
  for (let p = 0; p < count; p++) {
    let ss = 0;
    for (let d = 0; d < dim; d++) {
      const v = features[p * dim + d]!;
      q[d] = v;
      ss += v * v;
    }
    const inv = ss > 0 ? 1 / Math.sqrt(ss) : 0;
    for (let d = 0; d < dim; d++) q[d] = q[d]! * inv;
    bestSim.fill(Number.NEGATIVE_INFINITY);
    bestIdx.fill(-1);
    let kth = Number.NEGATIVE_INFINITY;
    const offer = (s: number, i: number) => {
      // Strictly better only: an equal similarity seen later has a higher index and loses.
      if (!(s > kth)) return;
      let j = k - 1;
      while (j > 0 && s > bestSim[j - 1]!) {
        bestSim[j] = bestSim[j - 1]!;
        bestIdx[j] = bestIdx[j - 1]!;
        j--;
      }
      bestSim[j] = s;
      bestIdx[j] = i;
      kth = bestSim[k - 1]!;
    };
    let i = 0;
    for (; i + 4 <= n; i += 4) {
      const b0 = i * dim;
      const b1 = b0 + dim;
      const b2 = b1 + dim;
      const b3 = b2 + dim;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let d = 0; d < dim; d++) {
        const v = q[d]!;
        s0 += rows[b0 + d]! * v;
        s1 += rows[b1 + d]! * v;
        s2 += rows[b2 + d]! * v;
        s3 += rows[b3 + d]! * v;
      }
      offer(s0, i);
      offer(s1, i + 1);
      offer(s2, i + 2);
      offer(s3, i + 3);
    }
    for (; i < n; i++) {
      let s = 0;
      for (let d = 0, b = i * dim; d < dim; d++) s += rows[b + d]! * q[d]!;
      offer(s, i);
    }
    const o = p * C;
    out.fill(0, o, o + C);
    for (let j = 0; j < k; j++) {
      const idx = bestIdx[j]!;
      if (idx >= 0) out[o + classes[idx]!]! += vote;
    }
  }
}
