import { AppError } from '../errors.ts';

export interface TopKOptions {
  /** Maximum number of places to return. */
  k: number;
  /**
   * Minimum Euclidean distance, in pixels, between any two returned places (spatial
   * non-maximum suppression): a candidate closer than this to an already accepted place is
   * dropped. 0 or 1 disables suppression (distinct pixels are always >= 1 apart).
   */
  minSeparationPx: number;
  /** The clicked pixel: scores tied with it are ordered by distance to it, so it comes first. */
  queryIndex?: number;
  /** The scores' finite min and max when already known (cosineSimilarityNormed): one pass less. */
  range?: { min: number; max: number };
}

export interface Place {
  index: number;
  col: number;
  row: number;
  score: number;
}

/** Scores closer than this count as tied; float32 noise between equal vectors is far below it. */
export const TIE_EPSILON = 1e-9;
const HISTOGRAM_BINS = 4096;

/**
 * The k best-scoring places, best first, no two closer than `minSeparationPx` (greedy NMS in
 * score order). NaN scores are skipped. Rather than sorting all pixels, a histogram picks a
 * score edge above which a modest pool of candidates lies; only the pool is sorted. The pool
 * also holds everything within TIE_EPSILON below the edge, so every pixel outside it ranks
 * strictly after every pool pixel scoring >= edge. Greedy selection therefore only walks pool
 * pixels at or above the edge; if it runs out before k places, the pool grows and it repeats.
 */
export function topKPlaces(
  scores: Float32Array,
  width: number,
  height: number,
  options: TopKOptions,
): Place[] {
  const { k, minSeparationPx, queryIndex } = options;
  const pixels = width * height;
  if (scores.length !== pixels) {
    throw new AppError(
      'bad-input',
      `Score map has ${scores.length} entries; ${width}x${height} needs ${pixels}.`,
    );
  }
  if (!Number.isInteger(k) || k < 1)
    throw new AppError('bad-input', `k must be a positive integer, got ${k}.`);
  if (!(minSeparationPx >= 0) || !Number.isFinite(minSeparationPx)) {
    throw new AppError('bad-input', `minSeparationPx must be a finite number >= 0, got ${minSeparationPx}.`);
  }
  if (queryIndex !== undefined && (!Number.isInteger(queryIndex) || queryIndex < 0 || queryIndex >= pixels)) {
    throw new AppError('bad-input', `queryIndex ${queryIndex} is outside the ${width}x${height} grid.`);
  }

  let min = options.range?.min ?? Number.POSITIVE_INFINITY;
  let max = options.range?.max ?? Number.NEGATIVE_INFINITY;
  if (!options.range) {
    for (let i = 0; i < pixels; i++) {
      const s = scores[i]!;
      if (s < min) min = s;
      if (s > max) max = s; // NaN fails both comparisons.
    }
  }
  if (!(min <= max)) return [];

  const counts = new Uint32Array(HISTOGRAM_BINS);
  const scale = max > min ? HISTOGRAM_BINS / (max - min) : 0;
  for (let i = 0; i < pixels; i++) {
    const s = scores[i]!;
    if (Number.isNaN(s)) continue;
    const b = Math.floor((s - min) * scale);
    counts[Math.min(b, HISTOGRAM_BINS - 1)]!++;
  }

  const qCol = queryIndex === undefined ? 0 : queryIndex % width;
  const qRow = queryIndex === undefined ? 0 : Math.floor(queryIndex / width);
  const tieKey = (i: number): number => {
    if (queryIndex === undefined) return i;
    const dc = (i % width) - qCol;
    const dr = Math.floor(i / width) - qRow;
    // Squared distance first, pixel index as a final deterministic tie-break.
    return (dc * dc + dr * dr) * pixels + i;
  };
  const compare = (a: number, b: number): number => {
    const diff = scores[b]! - scores[a]!;
    if (diff > TIE_EPSILON || diff < -TIE_EPSILON) return diff;
    return tieKey(a) - tieKey(b);
  };

  const minSq = minSeparationPx * minSeparationPx;
  // Start with room for a few suppressed neighbours per result; grow 8x whenever exhausted.
  let wanted = Math.max(64, k * 16);
  for (;;) {
    const { pool, edge } = collectPool(scores, counts, min, scale, wanted);
    pool.sort(compare);
    const places: Place[] = [];
    for (const i of pool) {
      if (scores[i]! < edge) break;
      const col = i % width;
      const row = Math.floor(i / width);
      let keep = true;
      for (const p of places) {
        const dc = p.col - col;
        const dr = p.row - row;
        if (dc * dc + dr * dr < minSq) {
          keep = false;
          break;
        }
      }
      if (!keep) continue;
      places.push({ index: i, col, row, score: scores[i]! });
      if (places.length === k) return places;
    }
    if (edge === Number.NEGATIVE_INFINITY) return places;
    wanted *= 8;
  }
}

/**
 * Indices of all pixels in the top histogram bins that hold at least `wanted` scores, plus
 * those within TIE_EPSILON below the lower edge of those bins. edge = -Infinity: all pixels.
 */
function collectPool(
  scores: Float32Array,
  counts: Uint32Array,
  min: number,
  scale: number,
  wanted: number,
): { pool: number[]; edge: number } {
  let bin = counts.length - 1;
  let total = counts[bin]!;
  while (bin > 0 && total < wanted) {
    bin--;
    total += counts[bin]!;
  }
  const edge = bin === 0 || scale === 0 ? Number.NEGATIVE_INFINITY : min + bin / scale;
  const threshold = edge - TIE_EPSILON;
  const pool: number[] = [];
  // NaN fails the comparison, so invalid pixels never enter the pool.
  for (let i = 0; i < scores.length; i++) {
    if (scores[i]! >= threshold) pool.push(i);
  }
  return { pool, edge };
}
