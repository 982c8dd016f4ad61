import { AppError } from '../errors.ts';
import { mulberry32, sampleWithoutReplacement } from '../math/index.ts';
import { countValidInWindow, type MosaiksInput, validSummedArea } from './mosaiks-input.ts';
import type { MosaiksParams } from './mosaiks-params.ts';
import { zcaWhiten } from './mosaiks-zca.ts';

/**
 * Patches drawn to estimate the whitening statistics (the first K of them become the filters).
 * A few thousand pin down a covariance of up to 7 x 7 x 10 = 490 dimensions well enough, and
 * keep the O(samples x dim^2) covariance under a second even at that size.
 */
export const WHITENING_SAMPLES = 4096;

/** The filters and bias the graph takes, plus where each filter came from. */
export interface MosaiksFilters {
  /** K x B x k x k, the graph's `filters` input: filter f, band b, row dy, column dx. */
  readonly weights: Float32Array;
  /** K values, the graph's `bias` input. */
  readonly bias: Float32Array;
  /** K, the number of filters. */
  readonly count: number;
  readonly bands: readonly string[];
  readonly kernel: number;
  /** Pixel index (row * width + col) of each filter's top-left pixel in the scene. */
  readonly origins: Uint32Array;
}

/** Top-left pixel indices of every k x k window whose pixels are all valid. */
function fullyValidWindows(input: MosaiksInput, kernel: number): Uint32Array {
  const table = validSummedArea(input);
  const full = kernel * kernel;
  const rows = input.height - kernel + 1;
  const cols = input.width - kernel + 1;
  const isFull = (r: number, c: number) => countValidInWindow(table, input, r, c, kernel, kernel) === full;
  let n = 0;
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) if (isFull(r, c)) n++;
  const out = new Uint32Array(n);
  let i = 0;
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++) if (isFull(r, c)) out[i++] = r * input.width + c;
  return out;
}

/** The z-scored B x k x k patch whose top-left pixel is `origin`, in filter layout. */
function readPatch(
  input: MosaiksInput,
  origin: number,
  kernel: number,
  out: Float64Array,
  offset: number,
): void {
  let i = offset;
  input.columns.forEach((column, b) => {
    const mean = input.mean[b]!;
    const std = input.std[b]!;
    for (let dy = 0; dy < kernel; dy++) {
      const row = origin + dy * input.width;
      for (let dx = 0; dx < kernel; dx++) out[i++] = (column[row + dx]! - mean) / std;
    }
  });
}

/**
 * Samples K filters of k x k x B pixels from the scene's own fully valid patches (seeded:
 * the same scene, bands and seed give the same filters) and, with `whiten`, ZCA-whitens them
 * as in Rolf et al. 2021. Throws AppError('bad-input') when the scene has fewer fully valid
 * patches than filters.
 */
export function sampleMosaiksFilters(
  input: MosaiksInput,
  params: Pick<MosaiksParams, 'filters' | 'kernel' | 'seed' | 'whiten' | 'bias'>,
): MosaiksFilters {
  const { filters: K, kernel } = params;
  if (input.width < kernel || input.height < kernel) {
    throw new AppError(
      'bad-input',
      `The scene (${input.width} x ${input.height} pixels) is smaller than one ${kernel} x ${kernel} MOSAIKS filter.`,
    );
  }
  const candidates = fullyValidWindows(input, kernel);
  if (candidates.length < K) {
    throw new AppError(
      'bad-input',
      `The scene has only ${candidates.length} fully valid ${kernel} x ${kernel} patches; MOSAIKS samples its ${K} filters from distinct ones. Choose fewer filters, a smaller kernel, or a clearer or larger area.`,
    );
  }
  const samples = params.whiten ? Math.min(candidates.length, Math.max(K, WHITENING_SAMPLES)) : K;
  const origins = sampleWithoutReplacement(candidates, samples, mulberry32(params.seed));
  const dim = input.columns.length * kernel * kernel;
  const patches = new Float64Array(samples * dim);
  for (let i = 0; i < samples; i++) readPatch(input, origins[i]!, kernel, patches, i * dim);
  const weights = params.whiten ? zcaWhiten(patches, dim, K) : patches.subarray(0, K * dim);
  return {
    weights: Float32Array.from(weights),
    bias: new Float32Array(K).fill(params.bias),
    count: K,
    bands: input.bands,
    kernel,
    origins: origins.slice(0, K),
  };
}
