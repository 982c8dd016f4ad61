/**
 * Predicting a grid on several threads: the pixels are cut into contiguous ranges, each
 * range is classified as a one-row grid of its own (every pixel's prediction depends only on
 * its embedding, so the pieces equal the whole), and the pieces are put back in place.
 */
import { createEmbeddingGrid, type EmbeddingGrid } from '../embeddings/index.ts';
import { AppError } from '../errors.ts';
import type { ClassMap } from './model.ts';

/** Fewer pixels than this are not worth a thread's start-up (model copy, wasm build). */
export const MIN_PIXELS_PER_THREAD = 65_536;

export interface PixelRange {
  start: number;
  end: number;
}

/** How many threads to predict `pixels` pixels with, given the device's cores. */
export function predictionThreads(pixels: number, cores: number, max = 8): number {
  const byWork = Math.floor(pixels / MIN_PIXELS_PER_THREAD);
  return Math.max(1, Math.min(max, Math.floor(cores) || 1, byWork));
}

/** `parts` contiguous ranges covering 0..pixels, as equal as whole pixels allow. */
export function splitPixels(pixels: number, parts: number): PixelRange[] {
  if (!Number.isInteger(parts) || parts < 1)
    throw new AppError('bad-input', `Cannot split into ${parts} parts.`);
  const out: PixelRange[] = [];
  for (let i = 0; i < parts; i++) {
    const start = Math.floor((pixels * i) / parts);
    const end = Math.floor((pixels * (i + 1)) / parts);
    if (end > start) out.push({ start, end });
  }
  return out;
}

/**
 * The pixels of `range` as a grid one pixel high. Views, not copies: on a SharedArrayBuffer
 * they reach a worker without a copy; otherwise the caller copies (slice) what it sends.
 */
export function rangeGrid(grid: EmbeddingGrid, range: PixelRange): EmbeddingGrid {
  const { dim } = grid;
  return createEmbeddingGrid(
    range.end - range.start,
    1,
    dim,
    grid.data.subarray(range.start * dim, range.end * dim),
    grid.valid.subarray(range.start, range.end),
  );
}

/** Puts the class maps of `ranges` (in order) back into one map of the whole grid. */
export function joinClassMaps(
  width: number,
  height: number,
  classCount: number,
  ranges: readonly PixelRange[],
  parts: readonly Pick<ClassMap, 'best' | 'confidence'>[],
): ClassMap {
  const pixels = width * height;
  const best = new Uint8Array(pixels);
  const confidence = new Float32Array(pixels);
  let covered = 0;
  ranges.forEach((range, i) => {
    const part = parts[i];
    const length = range.end - range.start;
    if (!part || part.best.length !== length || part.confidence.length !== length) {
      throw new AppError('internal', `Prediction part ${i + 1} came back with the wrong size.`);
    }
    best.set(part.best, range.start);
    confidence.set(part.confidence, range.start);
    covered += length;
  });
  if (covered !== pixels) throw new AppError('internal', 'The prediction parts do not cover the grid.');
  return { width, height, classCount, best, confidence };
}
