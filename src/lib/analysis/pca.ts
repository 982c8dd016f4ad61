import type { EmbeddingGrid } from '../embeddings/index.ts';
import { AppError, throwIfAborted } from '../errors.ts';
import { symmetricEigen } from '../math/index.ts';
import { mulberry32, sampleWithoutReplacement } from './random.ts';

export interface PcaBasis {
  /** dim values: the mean embedding of the pixels used. */
  mean: Float32Array;
  /** 3 * dim values: the top three principal directions, unit length, as rows. */
  components: Float32Array;
  /** Variance along each of the three components. */
  variances: [number, number, number];
  /** Total variance (trace of the covariance), for "explained" fractions. */
  totalVariance: number;
  /** Pixels the covariance was computed from. */
  samples: number;
}

export interface PcaOptions {
  /** Valid pixels drawn (seeded) for the covariance; all valid pixels when fewer. */
  sampleSize?: number;
  seed?: number;
  signal?: AbortSignal;
}

/** The top three principal components of the grid's valid pixels (or a seeded sample of them). */
export function pcaBasis(grid: EmbeddingGrid, options: PcaOptions = {}): PcaBasis {
  const { sampleSize = 20000, seed = 1, signal } = options;
  const { dim, data, valid } = grid;
  if (dim < 3) throw new AppError('bad-input', `PCA to RGB needs embeddings of dimension >= 3, got ${dim}.`);
  const members: number[] = [];
  for (let p = 0; p < valid.length; p++) if (valid[p] !== 0) members.push(p);
  if (members.length < 2) throw new AppError('bad-input', 'PCA needs at least two valid pixels.');
  const all = Uint32Array.from(members);
  const rows =
    all.length <= sampleSize
      ? all
      : sampleWithoutReplacement(all, sampleSize, mulberry32(seed)).slice().sort();
  const mean = new Float64Array(dim);
  for (const p of rows) for (let d = 0; d < dim; d++) mean[d]! += data[p * dim + d]!;
  for (let d = 0; d < dim; d++) mean[d]! /= rows.length;
  const cov = new Float64Array(dim * dim);
  const centred = new Float64Array(dim);
  for (let r = 0; r < rows.length; r++) {
    if ((r & 4095) === 0) throwIfAborted(signal, 'PCA');
    const base = rows[r]! * dim;
    for (let d = 0; d < dim; d++) centred[d] = data[base + d]! - mean[d]!;
    for (let i = 0; i < dim; i++) {
      const ci = centred[i]!;
      for (let j = i; j < dim; j++) cov[i * dim + j]! += ci * centred[j]!;
    }
  }
  for (let i = 0; i < dim; i++) {
    for (let j = i; j < dim; j++) {
      const v = cov[i * dim + j]! / (rows.length - 1);
      cov[i * dim + j] = v;
      cov[j * dim + i] = v;
    }
  }
  let trace = 0;
  for (let i = 0; i < dim; i++) trace += cov[i * dim + i]!;
  const { values, vectors } = symmetricEigen(cov, dim);
  return {
    mean: Float32Array.from(mean),
    components: Float32Array.from(vectors.subarray(0, 3 * dim)),
    variances: [values[0]!, values[1]!, values[2]!],
    totalVariance: trace,
    samples: rows.length,
  };
}

/** (x - mean) . component_j per valid pixel, interleaved [p0c0, p0c1, p0c2, p1c0, ...]; NaN elsewhere. */
export function projectPixels(
  grid: EmbeddingGrid,
  basis: Pick<PcaBasis, 'mean' | 'components'>,
): Float32Array {
  const { dim, data, valid } = grid;
  const { mean, components } = basis;
  const pixels = grid.width * grid.height;
  const out = new Float32Array(pixels * 3);
  for (let p = 0, base = 0; p < pixels; p++, base += dim) {
    if (valid[p] === 0) {
      out.fill(Number.NaN, p * 3, p * 3 + 3);
      continue;
    }
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    for (let d = 0; d < dim; d++) {
      const v = data[base + d]! - mean[d]!;
      s0 += v * components[d]!;
      s1 += v * components[dim + d]!;
      s2 += v * components[2 * dim + d]!;
    }
    out[p * 3] = s0;
    out[p * 3 + 1] = s1;
    out[p * 3 + 2] = s2;
  }
  return out;
}
