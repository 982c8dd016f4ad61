import type { EmbeddingGrid } from '../embeddings/index.ts';
import { AppError } from '../errors.ts';

/**
 * Per-pixel cosine distance 1 - cos(a_p, b_p) between two grids of the same area (same size,
 * same dimension, pixel p is the same place in both): 0 unchanged, up to 2 opposite. NaN
 * where either pixel is invalid or all zero. Accumulated in float64.
 */
export function changeMap(a: EmbeddingGrid, b: EmbeddingGrid, out?: Float32Array): Float32Array {
  const pixels = a.width * a.height;
  if (a.width !== b.width || a.height !== b.height || a.dim !== b.dim) {
    throw new AppError(
      'bad-input',
      `The two embedding grids differ (${a.width}x${a.height}x${a.dim} vs ${b.width}x${b.height}x${b.dim}); they must cover the same pixels.`,
    );
  }
  const result = out ?? new Float32Array(pixels);
  const { dim } = a;
  const da = a.data;
  const db = b.data;
  for (let p = 0, base = 0; p < pixels; p++, base += dim) {
    if (a.valid[p] === 0 || b.valid[p] === 0) {
      result[p] = Number.NaN;
      continue;
    }
    let ab = 0;
    let aa = 0;
    let bb = 0;
    for (let d = 0; d < dim; d++) {
      const u = da[base + d]!;
      const v = db[base + d]!;
      ab += u * v;
      aa += u * u;
      bb += v * v;
    }
    const cos = ab / Math.sqrt(aa * bb); // NaN for a zero vector, as it should be
    result[p] = 1 - Math.min(1, Math.max(-1, cos));
  }
  return result;
}
