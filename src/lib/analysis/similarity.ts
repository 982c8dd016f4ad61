import type { EmbeddingGrid } from '../embeddings/index.ts';
import { AppError } from '../errors.ts';

/**
 * Copy of pixel `index`'s embedding, to use as a similarity query. A copy (not a subarray view)
 * so the query survives the grid being transferred to or from a worker.
 */
export function pixelVector(grid: EmbeddingGrid, index: number): Float32Array {
  const pixels = grid.width * grid.height;
  if (!Number.isInteger(index) || index < 0 || index >= pixels) {
    throw new AppError('bad-input', `Pixel index ${index} is outside the ${grid.width}x${grid.height} grid.`);
  }
  if (grid.valid[index] === 0) {
    throw new AppError('bad-input', 'That pixel has no embedding (nodata or masked); pick another place.');
  }
  return grid.data.slice(index * grid.dim, (index + 1) * grid.dim);
}

/** |query|, after checking it matches the grid's dimension and is neither zero nor infinite. */
function queryNorm(query: Float32Array, dim: number): number {
  if (query.length !== dim) {
    throw new AppError('bad-input', `Query has dimension ${query.length}; the grid has dimension ${dim}.`);
  }
  let qq = 0;
  for (let d = 0; d < dim; d++) qq += query[d]! * query[d]!;
  const qNorm = Math.sqrt(qq);
  if (!(qNorm > 0) || !Number.isFinite(qNorm)) {
    throw new AppError('bad-input', 'Query vector is zero or not finite.');
  }
  return qNorm;
}

/**
 * Cosine similarity of every pixel to `query`, in [-1, 1]; NaN for invalid pixels and for
 * pixels whose vector is all zero. Accumulated in float64 (JS numbers) as dot / (|q| |p|)
 * rather than trusting stored unit length, so a pixel scores 1 against its own vector to
 * within 1e-12 even though float32 storage is only approximately unit. `out` (width*height)
 * may be passed to reuse a buffer across clicks.
 */
export function cosineSimilarity(grid: EmbeddingGrid, query: Float32Array, out?: Float32Array): Float32Array {
  const { data, valid, dim } = grid;
  const pixels = grid.width * grid.height;
  const qNorm = queryNorm(query, dim);
  const scores = out ?? new Float32Array(pixels);
  if (scores.length !== pixels) {
    throw new AppError(
      'bad-input',
      `Output buffer has ${scores.length} entries; the grid has ${pixels} pixels.`,
    );
  }
  // The query as float64 once, so the loop reads doubles without converting.
  const q = Float64Array.from(query);
  const end4 = dim - (dim % 4);
  for (let p = 0, base = 0; p < pixels; p++, base += dim) {
    if (valid[p] === 0) {
      scores[p] = Number.NaN;
      continue;
    }
    // Four independent pairs of sums: one pair would wait on float-add latency every value.
    let dot0 = 0;
    let dot1 = 0;
    let dot2 = 0;
    let dot3 = 0;
    let pp0 = 0;
    let pp1 = 0;
    let pp2 = 0;
    let pp3 = 0;
    let d = 0;
    for (; d < end4; d += 4) {
      const x0 = data[base + d]!;
      const x1 = data[base + d + 1]!;
      const x2 = data[base + d + 2]!;
      const x3 = data[base + d + 3]!;
      dot0 += q[d]! * x0;
      dot1 += q[d + 1]! * x1;
      dot2 += q[d + 2]! * x2;
      dot3 += q[d + 3]! * x3;
      pp0 += x0 * x0;
      pp1 += x1 * x1;
      pp2 += x2 * x2;
      pp3 += x3 * x3;
    }
    for (; d < dim; d++) {
      const x = data[base + d]!;
      dot0 += q[d]! * x;
      pp0 += x * x;
    }
    const dot = dot0 + dot1 + (dot2 + dot3);
    const pp = pp0 + pp1 + (pp2 + pp3);
    // pp === 0 gives NaN (0/0), which is the honest answer for a zero vector.
    const s = dot / (qNorm * Math.sqrt(pp));
    scores[p] = Math.min(1, Math.max(-1, s));
  }
  return scores;
}

/**
 * 1 / |p| for every pixel, in float64 (NaN where invalid or all zero): computed once per grid,
 * it halves the work of every later similarity (cosineSimilarityNormed reads one vector per
 * pixel instead of two sums of squares).
 */
export function pixelInverseNorms(grid: EmbeddingGrid): Float64Array {
  const { data, valid, dim } = grid;
  const pixels = grid.width * grid.height;
  const inv = new Float64Array(pixels);
  for (let p = 0, base = 0; p < pixels; p++, base += dim) {
    let ss = 0;
    for (let d = 0; d < dim; d++) {
      const x = data[base + d]!;
      ss += x * x;
    }
    inv[p] = valid[p] === 0 || !(ss > 0) ? Number.NaN : 1 / Math.sqrt(ss);
  }
  return inv;
}

/** Scores and their finite range, found in the same pass (NaN when no score is finite). */
export interface RangedScores {
  scores: Float32Array;
  min: number;
  max: number;
}

/**
 * cosineSimilarity with the pixels' inverse norms given (pixelInverseNorms): the same
 * float64 sums, so the same scores to float32 rounding (the clicked pixel scores 1), and the
 * scores' min and max in the same pass, which the histogram and top-k would each scan for.
 */
export function cosineSimilarityNormed(
  grid: EmbeddingGrid,
  query: Float32Array,
  inverseNorms: Float64Array,
): RangedScores {
  const { data, dim } = grid;
  const pixels = grid.width * grid.height;
  if (inverseNorms.length !== pixels) {
    throw new AppError('bad-input', `${inverseNorms.length} pixel norms for a grid of ${pixels} pixels.`);
  }
  const qNorm = queryNorm(query, dim);
  const q = Float64Array.from(query, (v) => v / qNorm);
  const scores = new Float32Array(pixels);
  const end4 = dim - (dim % 4);
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let p = 0, base = 0; p < pixels; p++, base += dim) {
    const inv = inverseNorms[p]!;
    if (Number.isNaN(inv)) {
      scores[p] = Number.NaN;
      continue;
    }
    let dot0 = 0;
    let dot1 = 0;
    let dot2 = 0;
    let dot3 = 0;
    let d = 0;
    for (; d < end4; d += 4) {
      dot0 += q[d]! * data[base + d]!;
      dot1 += q[d + 1]! * data[base + d + 1]!;
      dot2 += q[d + 2]! * data[base + d + 2]!;
      dot3 += q[d + 3]! * data[base + d + 3]!;
    }
    for (; d < dim; d++) dot0 += q[d]! * data[base + d]!;
    // Rounded as stored, so min and max are scores the array holds.
    const s = Math.fround(Math.min(1, Math.max(-1, (dot0 + dot1 + (dot2 + dot3)) * inv)));
    scores[p] = s;
    if (s < min) min = s;
    if (s > max) max = s;
  }
  return min > max ? { scores, min: Number.NaN, max: Number.NaN } : { scores, min, max };
}

export interface ScoreHistogram {
  /** counts[b] = number of finite scores in bin b of `bins` equal-width bins over [min, max]. */
  counts: Uint32Array;
  /** Smallest and largest finite score; NaN when there is none. */
  min: number;
  max: number;
}

/** Histogram of the finite scores, for the similarity legend. NaN scores are ignored. */
export function scoreHistogram(
  scores: Float32Array,
  bins: number,
  /** The scores' finite min and max when already known (cosineSimilarityNormed): one pass less. */
  range?: { min: number; max: number },
): ScoreHistogram {
  if (!Number.isInteger(bins) || bins < 1) {
    throw new AppError('bad-input', `Histogram bin count must be a positive integer, got ${bins}.`);
  }
  const counts = new Uint32Array(bins);
  let min = range?.min ?? Number.POSITIVE_INFINITY;
  let max = range?.max ?? Number.NEGATIVE_INFINITY;
  if (!range) {
    for (let i = 0; i < scores.length; i++) {
      const s = scores[i]!;
      if (s < min) min = s;
      if (s > max) max = s; // NaN fails both comparisons, so it is skipped for free.
    }
  }
  if (!(min <= max)) return { counts, min: Number.NaN, max: Number.NaN };
  // A constant score map puts everything in bin 0 instead of dividing by zero.
  const scale = max > min ? bins / (max - min) : 0;
  const last = bins - 1;
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i]!;
    if (Number.isNaN(s)) continue;
    const b = Math.floor((s - min) * scale);
    counts[Math.min(b, last)]!++;
  }
  return { counts, min, max };
}
