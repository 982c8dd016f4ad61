/**
 * Multinomial logistic regression (softmax), L2-penalised, fitted by L-BFGS to a stated
 * tolerance on the gradient. The objective is the mean cross-entropy plus l2/2 * |W|^2 (the
 * biases are not penalised); it is strictly convex for l2 > 0, so the fit is unique and the
 * same from any start, which is what lets tests compare it with a plain gradient descent.
 */
import { AppError } from '../errors.ts';
import type { LogRegSpec, TrainingSet } from './types.ts';

export interface LogRegModel {
  method: 'logreg';
  dim: number;
  classCount: number;
  /** C rows of dim + 1 values: the weights, then the bias. */
  weights: Float64Array;
  iterations: number;
  converged: boolean;
  /** Largest gradient component at the end (compare with the spec's tolerance). */
  gradientMax: number;
}

/**
 * Logits of four rows (feature offsets x0..x3) for every class into z[j * C + c]: four
 * independent sums per weight read, each added in d order, so every logit is exactly what a
 * one-row loop computes. Shared by training (gradient) and prediction.
 */
function fourRowLogits(
  w: Float64Array,
  dim: number,
  C: number,
  f: Float32Array,
  x0: number,
  x1: number,
  x2: number,
  x3: number,
  z: Float64Array,
): void {
  const stride = dim + 1;
  for (let c = 0; c < C; c++) {
    const wc = c * stride;
    const b = w[wc + dim]!;
    let s0 = b;
    let s1 = b;
    let s2 = b;
    let s3 = b;
    for (let d = 0; d < dim; d++) {
      const wd = w[wc + d]!;
      s0 += wd * f[x0 + d]!;
      s1 += wd * f[x1 + d]!;
      s2 += wd * f[x2 + d]!;
      s3 += wd * f[x3 + d]!;
    }
    z[c] = s0;
    z[C + c] = s1;
    z[2 * C + c] = s2;
    z[3 * C + c] = s3;
  }
}

/**
 * Objective and gradient at `w` (C x (dim + 1)), written into `grad`. Samples go four at a
 * time: one weight load serves four logits, one gradient load and store serves four updates
 * (the sums' order is fixed, so the result is the same on every run).
 */
function objective(set: TrainingSet, l2: number, w: Float64Array, grad: Float64Array): number {
  const { dim, classCount: C, features: f, classes } = set;
  const n = classes.length;
  const stride = dim + 1;
  grad.fill(0);
  const z = new Float64Array(4 * C);
  let loss = 0;
  for (let i = 0; i < n; i += 4) {
    const m = Math.min(4, n - i);
    // Rows past the end repeat the last one with zero weight (g = 0 below).
    const x0 = i * dim;
    const x1 = (i + Math.min(1, m - 1)) * dim;
    const x2 = (i + Math.min(2, m - 1)) * dim;
    const x3 = (i + Math.min(3, m - 1)) * dim;
    fourRowLogits(w, dim, C, f, x0, x1, x2, x3, z);
    // z becomes p - onehot(y): the gradient of the loss with respect to the logits.
    for (let j = 0; j < 4; j++) {
      const o = j * C;
      if (j >= m) {
        z.fill(0, o, o + C);
        continue;
      }
      let max = Number.NEGATIVE_INFINITY;
      for (let c = 0; c < C; c++) if (z[o + c]! > max) max = z[o + c]!;
      let sum = 0;
      for (let c = 0; c < C; c++) {
        const e = Math.exp(z[o + c]! - max);
        z[o + c] = e;
        sum += e;
      }
      const y = classes[i + j]!;
      loss += Math.log(sum) - Math.log(z[o + y]!);
      for (let c = 0; c < C; c++) z[o + c] = z[o + c]! / sum;
      z[o + y] = z[o + y]! - 1;
    }
    for (let c = 0; c < C; c++) {
      const g0 = z[c]!;
      const g1 = z[C + c]!;
      const g2 = z[2 * C + c]!;
      const g3 = z[3 * C + c]!;
      const gc = c * stride;
      for (let d = 0; d < dim; d++) {
        grad[gc + d] = grad[gc + d]! + g0 * f[x0 + d]! + g1 * f[x1 + d]! + g2 * f[x2 + d]! + g3 * f[x3 + d]!;
      }
      grad[gc + dim] = grad[gc + dim]! + g0 + g1 + g2 + g3;
    }
  }
  const invN = 1 / n;
  let penalty = 0;
  for (let c = 0; c < C; c++) {
    for (let d = 0; d < dim; d++) {
      const j = c * stride + d;
      grad[j] = grad[j]! * invN + l2 * w[j]!;
      penalty += w[j]! * w[j]!;
    }
    grad[c * stride + dim] = grad[c * stride + dim]! * invN;
  }
  return loss * invN + 0.5 * l2 * penalty;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

function maxAbs(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]!));
  return m;
}

const MEMORY = 10;

export function checkLogRegSpec(spec: LogRegSpec): void {
  if (!(spec.l2 > 0 && Number.isFinite(spec.l2)))
    throw new AppError('bad-input', `The L2 penalty must be > 0, got ${spec.l2}.`);
  if (!(spec.tolerance > 0))
    throw new AppError('bad-input', `The tolerance must be > 0, got ${spec.tolerance}.`);
  if (!Number.isInteger(spec.maxIterations) || spec.maxIterations < 1) {
    throw new AppError(
      'bad-input',
      `maxIterations must be a positive whole number, got ${spec.maxIterations}.`,
    );
  }
}

/**
 * L-BFGS (two-loop recursion, 10 pairs) with a backtracking Armijo line search, from zero
 * weights, until max |gradient| <= tolerance or maxIterations. Tolerances below about 1e-8
 * reach the float64 precision of the objective: the line search then stops finding a
 * decrease, and the result says converged: false with the gradient it reached.
 */
export function trainLogReg(set: TrainingSet, spec: LogRegSpec): LogRegModel {
  checkLogRegSpec(spec);
  if (set.classes.length === 0)
    throw new AppError('bad-input', 'There are no labelled pixels to learn from.');
  const { dim, classCount: C } = set;
  const size = C * (dim + 1);
  let w = new Float64Array(size);
  let g = new Float64Array(size);
  let f = objective(set, spec.l2, w, g);
  const s: Float64Array[] = [];
  const y: Float64Array[] = [];
  const rho: number[] = [];
  const dir = new Float64Array(size);
  const alpha = new Float64Array(MEMORY);
  let iterations = 0;
  let gMax = maxAbs(g);
  while (gMax > spec.tolerance && iterations < spec.maxIterations) {
    // Two-loop recursion: dir = -H g.
    dir.set(g);
    for (let j = s.length - 1; j >= 0; j--) {
      const a = rho[j]! * dot(s[j]!, dir);
      alpha[j] = a;
      const yj = y[j]!;
      for (let i = 0; i < size; i++) dir[i] = dir[i]! - a * yj[i]!;
    }
    const gamma =
      s.length > 0 ? dot(s.at(-1)!, y.at(-1)!) / dot(y.at(-1)!, y.at(-1)!) : 1 / Math.max(1, maxAbs(g));
    for (let i = 0; i < size; i++) dir[i] = dir[i]! * gamma;
    for (let j = 0; j < s.length; j++) {
      const b = rho[j]! * dot(y[j]!, dir);
      const sj = s[j]!;
      for (let i = 0; i < size; i++) dir[i] = dir[i]! + (alpha[j]! - b) * sj[i]!;
    }
    for (let i = 0; i < size; i++) dir[i] = -dir[i]!;
    let slope = dot(g, dir);
    if (!(slope < 0)) {
      // Not a descent direction (curvature noise): restart from steepest descent.
      for (let i = 0; i < size; i++) dir[i] = -g[i]!;
      slope = dot(g, dir);
      s.length = 0;
      y.length = 0;
      rho.length = 0;
    }
    let step = 1;
    const wNext = new Float64Array(size);
    const gNext = new Float64Array(size);
    let fNext = f;
    for (let tries = 0; tries < 40; tries++) {
      for (let i = 0; i < size; i++) wNext[i] = w[i]! + step * dir[i]!;
      fNext = objective(set, spec.l2, wNext, gNext);
      if (fNext <= f + 1e-4 * step * slope) break;
      step *= 0.5;
    }
    const sk = new Float64Array(size);
    const yk = new Float64Array(size);
    for (let i = 0; i < size; i++) {
      sk[i] = wNext[i]! - w[i]!;
      yk[i] = gNext[i]! - g[i]!;
    }
    const sy = dot(sk, yk);
    if (sy > 1e-12) {
      s.push(sk);
      y.push(yk);
      rho.push(1 / sy);
      if (s.length > MEMORY) {
        s.shift();
        y.shift();
        rho.shift();
      }
    }
    const stalled = fNext >= f && maxAbs(sk) === 0;
    w = wNext;
    g = gNext;
    f = fNext;
    iterations++;
    gMax = maxAbs(g);
    if (stalled) break;
  }
  return {
    method: 'logreg',
    dim,
    classCount: C,
    weights: w,
    iterations,
    converged: gMax <= spec.tolerance,
    gradientMax: gMax,
  };
}

/** Softmax of the C logits at z[zo ..] (overwritten) into out[oo ..]. */
function softmaxTo(z: Float64Array, zo: number, C: number, out: Float32Array, oo: number): void {
  let max = Number.NEGATIVE_INFINITY;
  for (let c = 0; c < C; c++) if (z[zo + c]! > max) max = z[zo + c]!;
  let sum = 0;
  for (let c = 0; c < C; c++) {
    const e = Math.exp(z[zo + c]! - max);
    z[zo + c] = e;
    sum += e;
  }
  for (let c = 0; c < C; c++) out[oo + c] = z[zo + c]! / sum;
}

/**
 * Softmax probabilities of `count` rows of `features` into out[p * C ..]. Four pixels share
 * each pass over a class's weights (four sums in flight, one weight load for four products);
 * each logit is still summed in d order, as a one-pixel loop sums it.
 */
export function logRegPredict(
  model: LogRegModel,
  features: Float32Array,
  count: number,
  out: Float32Array,
): void {
  const { dim, classCount: C, weights: w } = model;
  const stride = dim + 1;
  const z = new Float64Array(4 * C);
  let p = 0;
  for (; p + 4 <= count; p += 4) {
    const x0 = p * dim;
    const x1 = x0 + dim;
    const x2 = x1 + dim;
    const x3 = x2 + dim;
    fourRowLogits(w, dim, C, features, x0, x1, x2, x3, z);
    for (let j = 0; j < 4; j++) softmaxTo(z, j * C, C, out, (p + j) * C);
  }
  for (; p < count; p++) {
    const x = p * dim;
    for (let c = 0; c < C; c++) {
      const wc = c * stride;
      let s = w[wc + dim]!;
      for (let d = 0; d < dim; d++) s += w[wc + d]! * features[x + d]!;
      z[c] = s;
    }
    softmaxTo(z, 0, C, out, p * C);
  }
}
