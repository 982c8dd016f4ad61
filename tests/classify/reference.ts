/**
 * Plain, obvious reference implementations the fast classifiers are checked against:
 * float64 everywhere, full sorts, fixed-step gradient descent.
 */
import type { TrainingSet } from '../../src/lib/classify/types.ts';

function row(data: Float32Array, i: number, dim: number): number[] {
  return Array.from(data.subarray(i * dim, (i + 1) * dim));
}

function cosine(a: number[], b: number[]): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let d = 0; d < a.length; d++) {
    ab += a[d]! * b[d]!;
    aa += a[d]! * a[d]!;
    bb += b[d]! * b[d]!;
  }
  return aa > 0 && bb > 0 ? ab / Math.sqrt(aa * bb) : 0;
}

export interface ReferenceKnn {
  probs: number[][];
  /** Per query: similarity of the k-th and (k+1)-th neighbour (to recognise near-ties). */
  margins: number[];
}

/** Sort every label by cosine (desc, then index), vote the first k. */
export function referenceKnn(
  set: TrainingSet,
  k: number,
  queries: Float32Array,
  count: number,
): ReferenceKnn {
  const { dim, classCount } = set;
  const n = set.classes.length;
  const labels = Array.from({ length: n }, (_, i) => row(set.features, i, dim));
  const probs: number[][] = [];
  const margins: number[] = [];
  for (let q = 0; q < count; q++) {
    const x = row(queries, q, dim);
    const ranked = labels.map((l, i) => ({ s: cosine(x, l), i })).sort((a, b) => b.s - a.s || a.i - b.i);
    const p = new Array<number>(classCount).fill(0);
    for (const { i } of ranked.slice(0, k)) p[set.classes[i]!]! += 1 / k;
    probs.push(p);
    margins.push(k < n ? ranked[k - 1]!.s - ranked[k]!.s : Number.POSITIVE_INFINITY);
  }
  return { probs, margins };
}

/** Softmax regression by plain gradient descent with step 1/L until |grad|max < tolerance. */
export function referenceLogReg(
  set: TrainingSet,
  l2: number,
  tolerance: number,
  maxSteps = 2_000_000,
): number[][] {
  const { dim, classCount: C } = set;
  const n = set.classes.length;
  const xs = Array.from({ length: n }, (_, i) => [...row(set.features, i, dim), 1]);
  const w = Array.from({ length: C }, () => new Array<number>(dim + 1).fill(0));
  let maxNorm = 0;
  for (const x of xs)
    maxNorm = Math.max(
      maxNorm,
      x.reduce((a, v) => a + v * v, 0),
    );
  // The softmax loss' Hessian is below 1/2 * mean(x x^T) (x) I; plus the penalty.
  const step = 1 / (0.5 * maxNorm + l2);
  for (let it = 0; it < maxSteps; it++) {
    const g = Array.from({ length: C }, () => new Array<number>(dim + 1).fill(0));
    for (let i = 0; i < n; i++) {
      const p = softmax(w, xs[i]!);
      for (let c = 0; c < C; c++) {
        const e = p[c]! - (set.classes[i] === c ? 1 : 0);
        for (let d = 0; d <= dim; d++) g[c]![d]! += (e * xs[i]![d]!) / n;
      }
    }
    let gmax = 0;
    for (let c = 0; c < C; c++)
      for (let d = 0; d <= dim; d++) {
        if (d < dim) g[c]![d]! += l2 * w[c]![d]!;
        gmax = Math.max(gmax, Math.abs(g[c]![d]!));
      }
    if (gmax < tolerance) break;
    for (let c = 0; c < C; c++) for (let d = 0; d <= dim; d++) w[c]![d]! -= step * g[c]![d]!;
  }
  return w;
}

export function softmax(w: number[][], x: number[]): number[] {
  const z = w.map((wc) => wc.reduce((a, v, d) => a + v * (x[d] ?? 1), 0));
  const m = Math.max(...z);
  const e = z.map((v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}

/** Deterministic training data: `classCount` Gaussian blobs in `dim` dimensions. */
export function blobs(n: number, dim: number, classCount: number, spread: number, seed: number): TrainingSet {
  let s = seed >>> 0;
  const rnd = () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s / 2 ** 32;
  };
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
  const centres = Array.from({ length: classCount }, () => Array.from({ length: dim }, gauss));
  const features = new Float32Array(n * dim);
  const classes = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % classCount;
    classes[i] = c;
    for (let d = 0; d < dim; d++) features[i * dim + d] = centres[c]![d]! + spread * gauss();
  }
  return {
    dim,
    classCount,
    features,
    classes,
    pixels: Uint32Array.from({ length: n }, (_, i) => i),
    groups: Uint32Array.from({ length: n }, (_, i) => i),
  };
}
