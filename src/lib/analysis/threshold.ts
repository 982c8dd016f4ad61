import { AppError } from '../errors.ts';

export interface ThresholdResult {
  /** 1 where score >= threshold, 0 elsewhere (NaN scores included). */
  mask: Uint8Array;
  count: number;
  /** count * pixel area, in km^2. */
  areaKm2: number;
}

/** Area of one square pixel of side `pixelSizeM` metres, in km^2; checks the size. */
export function pixelAreaKm2(pixelSizeM: number): number {
  if (!(pixelSizeM > 0) || !Number.isFinite(pixelSizeM)) {
    throw new AppError('bad-input', `Pixel size must be a positive number of metres, got ${pixelSizeM}.`);
  }
  return (pixelSizeM * pixelSizeM) / 1e6;
}

/** Pixels scoring at least `threshold`, as a mask, a count and an area. */
export function thresholdMask(scores: Float32Array, threshold: number, pixelSizeM: number): ThresholdResult {
  if (Number.isNaN(threshold)) throw new AppError('bad-input', 'Threshold must be a number.');
  const area = pixelAreaKm2(pixelSizeM);
  const mask = new Uint8Array(scores.length);
  let count = 0;
  // NaN fails the comparison, so invalid pixels are never in the mask.
  for (let i = 0; i < scores.length; i++) {
    if (scores[i]! >= threshold) {
      mask[i] = 1;
      count++;
    }
  }
  return { mask, count, areaKm2: count * area };
}

/**
 * How many scores are at least `threshold` (NaN never is): the panels' area above the slider.
 * A plain loop over a plain number; in a Svelte `$derived` the threshold must be read once
 * before it, as reading a prop per element (a tracked signal read each time) made every
 * slider move over a 1M-pixel grid take ~0.3 s on the main thread.
 */
export function countAtOrAbove(scores: Float32Array, threshold: number): number {
  let n = 0;
  for (let i = 0; i < scores.length; i++) if (scores[i]! >= threshold) n++;
  return n;
}
