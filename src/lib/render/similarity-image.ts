import { AppError } from '../errors.ts';
import { VIRIDIS_LUT } from './colormap.ts';

export interface SimilarityImageOptions {
  /** Scores below this are left transparent so only the matching places show. */
  threshold: number;
  /** Score mapped to the dark end of viridis. */
  min: number;
  /** Score mapped to the bright end of viridis. */
  max: number;
  /** Alpha of coloured pixels; 220 lets the basemap show through a little. */
  alpha?: number;
  /** Reuse a width*height*4 buffer across slider moves instead of allocating. */
  out?: Uint8ClampedArray;
}

/**
 * RGBA pixels (4 bytes per score, same order) for a BitmapLayer: scores >= threshold coloured
 * by viridis((score - min) / (max - min)) clamped to [0, 1]; NaN or below threshold
 * transparent. When max <= min every shown pixel gets the bright end.
 */
export function similarityToRgba(scores: Float32Array, options: SimilarityImageOptions): Uint8ClampedArray {
  const { threshold, min, max, alpha = 220 } = options;
  if (!Number.isFinite(min) || !Number.isFinite(max)) {
    throw new AppError('bad-input', `Colour range must be finite, got [${min}, ${max}].`);
  }
  const rgba = options.out ?? new Uint8ClampedArray(scores.length * 4);
  if (rgba.length !== scores.length * 4) {
    throw new AppError('bad-input', `Output buffer has ${rgba.length} bytes; ${scores.length * 4} needed.`);
  }
  const span = max - min;
  const scale = span > 0 ? 255 / span : 0;
  const offset = span > 0 ? 0 : 255;
  for (let i = 0, o = 0; i < scores.length; i++, o += 4) {
    const s = scores[i]!;
    // NaN fails `>=`, so invalid pixels fall into the transparent branch.
    if (!(s >= threshold)) {
      rgba[o] = 0;
      rgba[o + 1] = 0;
      rgba[o + 2] = 0;
      rgba[o + 3] = 0;
      continue;
    }
    const t = Math.round((s - min) * scale + offset);
    const c = Math.min(255, Math.max(0, t)) * 3;
    rgba[o] = VIRIDIS_LUT[c]!;
    rgba[o + 1] = VIRIDIS_LUT[c + 1]!;
    rgba[o + 2] = VIRIDIS_LUT[c + 2]!;
    rgba[o + 3] = alpha;
  }
  return rgba;
}
