import { AppError } from '../errors.ts';
import type { Scene } from './scene.ts';

/**
 * The scene on a grid `factor` times coarser (same origin and CRS): each coarse pixel is the
 * mean reflectance of the valid fine pixels of its block, and valid when at least half of
 * them are. Slow encoders (Presto: ~1,000 pixels/s on a laptop CPU) run on it in minutes
 * instead of hours; the imagery stays at full resolution.
 */
export function downsampleScene(scene: Scene, factor: number): Scene {
  if (!Number.isInteger(factor) || factor < 1)
    throw new AppError('bad-input', `The resolution factor must be a whole number >= 1, got ${factor}.`);
  if (factor === 1) return scene;
  const { width, height, transform } = scene.grid;
  const w = Math.ceil(width / factor);
  const h = Math.ceil(height / factor);
  const sums = scene.reflectance.map(() => new Float64Array(w * h));
  const counts = new Uint32Array(w * h);
  const cells = new Uint32Array(w * h);
  for (let row = 0; row < height; row++) {
    const r = Math.floor(row / factor);
    for (let col = 0; col < width; col++) {
      const o = r * w + Math.floor(col / factor);
      const i = row * width + col;
      cells[o]! += 1;
      if (!scene.valid[i]) continue;
      counts[o]! += 1;
      for (let b = 0; b < sums.length; b++) sums[b]![o]! += scene.reflectance[b]![i]!;
    }
  }
  const valid = new Uint8Array(w * h);
  let validCount = 0;
  for (let o = 0; o < w * h; o++) {
    valid[o] = counts[o]! * 2 >= cells[o]! && counts[o]! > 0 ? 1 : 0;
    validCount += valid[o]!;
  }
  const reflectance = sums.map((sum) => {
    const out = new Float32Array(w * h);
    for (let o = 0; o < w * h; o++) out[o] = counts[o] ? sum[o]! / counts[o]! : Number.NaN;
    return out;
  });
  return {
    ...scene,
    grid: {
      ...scene.grid,
      width: w,
      height: h,
      transform: { ...transform, resX: transform.resX * factor, resY: transform.resY * factor },
    },
    reflectance,
    valid,
    validFraction: validCount / (w * h),
  };
}
