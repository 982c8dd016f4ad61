/**
 * The spectral encoder's neighbourhood input: local texture, the standard deviation of a pixel's
 * log-brightness over small windows. A per-pixel graph cannot see neighbours, so these columns
 * are computed here (plain TS, summed-area tables, O(pixels)) and fed beside the reflectances.
 * Forest canopy, settlements and scree are rough; water, meadows and snow are smooth: pixels of
 * one spectrum but different surroundings get different embeddings, and near-duplicate spectra
 * no longer tie at a cosine of 1.0000 (README, "The spectral encoder").
 */

import type { Scene } from '../scene/index.ts';

/** Window radii: 3 x 3 and 7 x 7 pixels. */
export const TEXTURE_RADII = [1, 3] as const;
export const TEXTURE_NAMES = TEXTURE_RADII.map((r) => `texture_${2 * r + 1}x${2 * r + 1}`);
/** Reflectance floor before the log (dark water and shadow reach 0 or below with the BOA offset). */
export const LOG_FLOOR = 0.005;

/** Mean of ln(max(r, LOG_FLOOR)) over the bands; NaN where the pixel is invalid or a band is missing. */
function logBrightness(bands: readonly Float32Array[], valid: Uint8Array): Float64Array {
  const out = new Float64Array(valid.length);
  for (let p = 0; p < valid.length; p++) {
    if (valid[p] === 0) {
      out[p] = Number.NaN;
      continue;
    }
    let sum = 0;
    for (const band of bands) sum += Math.log(Math.max(band[p]!, LOG_FLOOR));
    out[p] = sum / bands.length;
  }
  return out;
}

/** Standard deviation of `values` (NaN = absent) over the (2r+1)^2 window around every pixel. */
function windowStd(values: Float64Array, width: number, height: number, r: number): Float32Array {
  const w1 = width + 1;
  const sum = new Float64Array(w1 * (height + 1));
  const sq = new Float64Array(w1 * (height + 1));
  const count = new Float64Array(w1 * (height + 1));
  for (let y = 0; y < height; y++) {
    let rs = 0;
    let rq = 0;
    let rc = 0;
    for (let x = 0; x < width; x++) {
      const v = values[y * width + x]!;
      if (!Number.isNaN(v)) {
        rs += v;
        rq += v * v;
        rc++;
      }
      const at = (y + 1) * w1 + x + 1;
      sum[at] = sum[at - w1]! + rs;
      sq[at] = sq[at - w1]! + rq;
      count[at] = count[at - w1]! + rc;
    }
  }
  const box = (table: Float64Array, x0: number, y0: number, x1: number, y1: number) =>
    table[y1 * w1 + x1]! - table[y0 * w1 + x1]! - table[y1 * w1 + x0]! + table[y0 * w1 + x0]!;
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    const y0 = Math.max(0, y - r);
    const y1 = Math.min(height, y + r + 1);
    for (let x = 0; x < width; x++) {
      if (Number.isNaN(values[y * width + x]!)) {
        out[y * width + x] = Number.NaN;
        continue;
      }
      const x0 = Math.max(0, x - r);
      const x1 = Math.min(width, x + r + 1);
      const n = box(count, x0, y0, x1, y1);
      const mean = box(sum, x0, y0, x1, y1) / n;
      out[y * width + x] = Math.sqrt(Math.max(box(sq, x0, y0, x1, y1) / n - mean * mean, 0));
    }
  }
  return out;
}

/**
 * One column per TEXTURE_RADII entry, width * height each: the local standard deviation of the
 * mean log reflectance of `bands` (only valid pixels count; NaN at invalid pixels).
 */
export function spectralTexture(
  bands: readonly Float32Array[],
  valid: Uint8Array,
  width: number,
  height: number,
): Float32Array[] {
  const brightness = logBrightness(bands, valid);
  return TEXTURE_RADII.map((r) => windowStd(brightness, width, height, r));
}

/** The texture columns of a scene for the spectral encoder fed `bands` (in that order). */
export function sceneTexture(scene: Scene, bands: readonly string[]): Float32Array[] {
  const arrays = bands.map((band) => {
    const index = scene.bands.indexOf(band as Scene['bands'][number]);
    return scene.reflectance[index]!;
  });
  return spectralTexture(arrays, scene.valid, scene.grid.width, scene.grid.height);
}
