import { symmetricEigen } from '../math/index.ts';

/**
 * ZCA regularisation, relative to the mean eigenvalue: directions with less than about 1% of
 * the average variance (sensor noise, bands that move together) are not blown up into noise
 * filters. With z-scored bands the mean eigenvalue is about 1, so this is close to the fixed
 * epsilons of Coates & Ng (2011), whose patch features MOSAIKS follows.
 */
export const ZCA_EPSILON = 0.01;

/**
 * ZCA-whitens `count` vectors with statistics estimated from all `samples` rows (n x dim,
 * row-major): W (x - mean) with W = V diag(1 / sqrt(lambda + eps)) V^T, the symmetric whitening
 * that keeps each filter as close to its patch as possible. The vectors to whiten are the first
 * `count` rows of `samples`. Returns count x dim values.
 */
export function zcaWhiten(samples: Float64Array, dim: number, count: number): Float64Array {
  const n = samples.length / dim;
  const mean = new Float64Array(dim);
  for (let i = 0; i < n; i++) for (let d = 0; d < dim; d++) mean[d]! += samples[i * dim + d]! / n;
  const centred = new Float64Array(dim);
  const cov = new Float64Array(dim * dim);
  for (let i = 0; i < n; i++) {
    for (let d = 0; d < dim; d++) centred[d] = samples[i * dim + d]! - mean[d]!;
    for (let a = 0; a < dim; a++) {
      const x = centred[a]! / n;
      if (x === 0) continue;
      for (let b = a; b < dim; b++) cov[a * dim + b]! += x * centred[b]!;
    }
  }
  for (let a = 0; a < dim; a++) for (let b = 0; b < a; b++) cov[a * dim + b] = cov[b * dim + a]!;
  let trace = 0;
  for (let d = 0; d < dim; d++) trace += cov[d * dim + d]!;
  const epsilon = Math.max((ZCA_EPSILON * trace) / dim, 1e-12);
  const { values, vectors } = symmetricEigen(cov, dim);
  const scale = values.map((v) => 1 / Math.sqrt(Math.max(v, 0) + epsilon));
  const out = new Float64Array(count * dim);
  for (let i = 0; i < count; i++) {
    for (let d = 0; d < dim; d++) centred[d] = samples[i * dim + d]! - mean[d]!;
    for (let e = 0; e < dim; e++) {
      let projection = 0;
      for (let d = 0; d < dim; d++) projection += vectors[e * dim + d]! * centred[d]!;
      const weight = projection * scale[e]!;
      for (let d = 0; d < dim; d++) out[i * dim + d]! += weight * vectors[e * dim + d]!;
    }
  }
  return out;
}
