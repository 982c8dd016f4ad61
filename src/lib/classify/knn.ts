/**
 * k-nearest-neighbour classification by cosine similarity. Training rows are stored
 * unit-normalised, so a similarity is one dot product; each query keeps its k best labels in
 * a small sorted array. Class probabilities are the share of the k votes per class.
 * Ties are broken by the lower training index, so results do not depend on scan order.
 */
import { AppError } from '../errors.ts';
import {
  dotErrorBound,
  QUERY_BATCH,
  toFixed,
  type WasmRows,
  wasmKnnAvailable,
  wasmRows,
} from './knn-wasm.ts';
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
 * the WebAssembly SIMD search where the engine has it, else the plain kernel (knnPredictJs).
 * Both give the same result: the SIMD search's fixed-point dots only pick candidates (every
 * row whose dot could be among the k best given the error bound), and the candidates are
 * rescored in float64 exactly as the plain kernel scores them.
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
  const batch = new Int16Array(QUERY_BATCH * rows.dimPad);
  const q = new Float64Array(QUERY_BATCH * dim);
  const bounds = new Float64Array(QUERY_BATCH);
  const approx = new Int32Array(k);
  const candidates = new Int32Array(n);
  const picked = new TopK(k);
  for (let start = 0; start < count; start += QUERY_BATCH) {
    const m = Math.min(QUERY_BATCH, count - start);
    for (let i = 0; i < m; i++) {
      const qi = q.subarray(i * dim, (i + 1) * dim);
      unitQuery(features, (start + i) * dim, qi);
      let l1 = 0;
      for (let d = 0; d < dim; d++) {
        batch[i * rows.dimPad + d] = toFixed(qi[d]!);
        l1 += Math.abs(qi[d]!);
      }
      bounds[i] = 2 * dotErrorBound(l1, rows.rowL1, dim);
    }
    const dots = rows.dots(batch, m);
    for (let i = 0; i < m; i++) {
      const base = i * rows.stride;
      const margin = bounds[i]!;
      // One pass: the k-th best fixed-point dot so far only rises, so a row below it by more
      // than twice the error bound can never be among the k best; keep the others.
      approx.fill(-2147483648);
      let kth = Number.NEGATIVE_INFINITY;
      let found = 0;
      for (let r = 0; r < n; r++) {
        const s = dots[base + r]!;
        if (s < kth - margin) continue;
        candidates[found++] = r;
        if (s <= kth) continue;
        let j = k - 1;
        while (j > 0 && s > approx[j - 1]!) {
          approx[j] = approx[j - 1]!;
          j--;
        }
        approx[j] = s;
        if (approx[k - 1]! > -2147483648) kth = approx[k - 1]!;
      }
      const floor = kth - margin;
      const qi = q.subarray(i * dim, (i + 1) * dim);
      picked.reset();
      for (let c = 0; c < found; c++) {
        const r = candidates[c]!;
        if (dots[base + r]! < floor) continue;
        let exact = 0;
        for (let d = 0, b = r * dim; d < dim; d++) exact += model.rows[b + d]! * qi[d]!;
        picked.offer(exact, r);
      }
      picked.vote(classes, out, (start + i) * C, C);
    }
  }
}

/** q = features[at .. at + dim] / |features[at ..]| in float64 (zero stays zero), as the plain kernel does. */
function unitQuery(features: Float32Array, at: number, q: Float64Array): void {
  let ss = 0;
  for (let d = 0; d < q.length; d++) {
    const v = features[at + d]!;
    q[d] = v;
    ss += v * v;
  }
  const inv = ss > 0 ? 1 / Math.sqrt(ss) : 0;
  for (let d = 0; d < q.length; d++) q[d] = q[d]! * inv;
}

/** The k best (similarity, index) offered, in offer order; a later equal similarity loses. */
class TopK {
  private readonly sim: Float64Array;
  private readonly idx: Int32Array;
  private kth = Number.NEGATIVE_INFINITY;

  constructor(private readonly k: number) {
    this.sim = new Float64Array(k);
    this.idx = new Int32Array(k);
  }

  reset(): void {
    this.sim.fill(Number.NEGATIVE_INFINITY);
    this.idx.fill(-1);
    this.kth = Number.NEGATIVE_INFINITY;
  }

  offer(s: number, i: number): void {
    // Strictly better only: an equal similarity offered later has a higher index and loses.
    if (!(s > this.kth)) return;
    let j = this.k - 1;
    while (j > 0 && s > this.sim[j - 1]!) {
      this.sim[j] = this.sim[j - 1]!;
      this.idx[j] = this.idx[j - 1]!;
      j--;
    }
    this.sim[j] = s;
    this.idx[j] = i;
    this.kth = this.sim[this.k - 1]!;
  }

  /** out[o .. o + C) = share of the k votes per class. */
  vote(classes: Uint8Array, out: Float32Array, o: number, C: number): void {
    out.fill(0, o, o + C);
    const vote = 1 / this.k;
    for (let j = 0; j < this.k; j++) {
      const idx = this.idx[j]!;
      if (idx >= 0) out[o + classes[idx]!]! += vote;
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
