import { AppError } from '../errors.ts';
import type { Scene } from '../scene/index.ts';
import { mosaiksManifest } from './mosaiks-manifest.ts';

/**
 * What MOSAIKS reads from a scene: the bands it uses, each pixel's validity, and per-band
 * z-score statistics of the scene's own valid pixels.
 *
 * Why the scene's own statistics: the filters are sampled from this scene, and z-scoring with
 * its statistics weighs every band alike whatever its reflectance range (SWIR and blue differ
 * several-fold), which is what the paper's per-channel standardisation achieves. Why invalid
 * pixels become 0 (the band mean): a cloud or nodata hole filled with a neutral value adds no
 * strong edges of its own, so the responses of nearby valid pixels do not ring; the patches
 * that are mostly invalid are flagged instead (mosaiks-tiles.ts).
 */
export interface MosaiksInput {
  readonly width: number;
  readonly height: number;
  /** Band names, in the order of the filters' and the image's band axis. */
  readonly bands: readonly string[];
  /** One reflectance array per band, width * height (the scene's own arrays, not copies). */
  readonly columns: readonly Float32Array[];
  /** 1 where the scene marks the pixel valid and every band is finite. */
  readonly valid: Uint8Array;
  readonly mean: Float64Array;
  /** Standard deviations; a constant band gets 1, so its z-scores are 0 rather than NaN. */
  readonly std: Float64Array;
}

/** The scene's bands MOSAIKS uses by default: every supported band present, in manifest order. */
export function defaultMosaiksBands(scene: Pick<Scene, 'bands'>): string[] {
  const present: readonly string[] = scene.bands;
  return mosaiksManifest().bands.filter((band) => present.includes(band));
}

function checkBands(scene: Pick<Scene, 'bands'>, bands: readonly string[]): number[] {
  const manifest = mosaiksManifest();
  const supported: readonly string[] = manifest.bands;
  const present: readonly string[] = scene.bands;
  const seen = new Set<string>();
  const indices = bands.map((band) => {
    if (!supported.includes(band)) {
      throw new AppError(
        'bad-input',
        `MOSAIKS does not use band "${band}"; it takes ${supported.join(', ')}.`,
      );
    }
    if (seen.has(band)) throw new AppError('bad-input', `Band "${band}" is listed twice.`);
    seen.add(band);
    const index = present.indexOf(band);
    if (index < 0)
      throw new AppError('bad-input', `The scene has no band ${band}, which MOSAIKS was asked to use.`);
    return index;
  });
  if (indices.length < manifest.min_bands) {
    throw new AppError(
      'bad-input',
      `MOSAIKS needs at least ${manifest.min_bands} of the bands ${supported.join(', ')}; the scene has none of them.`,
    );
  }
  return indices;
}

/** Gathers the bands, the validity mask and the per-band statistics of `scene`. */
export function mosaiksInput(
  scene: Scene,
  bands: readonly string[] = defaultMosaiksBands(scene),
): MosaiksInput {
  const columns = checkBands(scene, bands).map((i) => scene.reflectance[i]!);
  const { width, height } = scene.grid;
  const pixels = width * height;
  const valid = new Uint8Array(pixels);
  const sum = new Float64Array(columns.length);
  const sumSq = new Float64Array(columns.length);
  let count = 0;
  for (let p = 0; p < pixels; p++) {
    if (!scene.valid[p]) continue;
    if (!columns.every((column) => Number.isFinite(column[p]))) continue;
    valid[p] = 1;
    count++;
    for (let b = 0; b < columns.length; b++) {
      const x = columns[b]![p]!;
      sum[b]! += x;
      sumSq[b]! += x * x;
    }
  }
  if (count === 0) {
    throw new AppError(
      'bad-input',
      'The scene has no valid pixels (all cloud or nodata), so MOSAIKS has nothing to encode.',
    );
  }
  const mean = sum.map((s) => s / count);
  const std = sumSq.map((s, b) => {
    const variance = s / count - mean[b]! ** 2;
    return variance > 1e-12 ? Math.sqrt(variance) : 1;
  });
  return { width, height, bands: [...bands], columns, valid, mean, std };
}

/**
 * The z-scored window of rows [row0, row0 + height) and columns [col0, col0 + width) as a
 * band-major B x height x width array; pixels that are invalid or outside the scene are 0.
 * The window may extend past the scene on any side (the halo of edge tiles).
 */
export function readNormalisedWindow(
  input: MosaiksInput,
  row0: number,
  col0: number,
  height: number,
  width: number,
): Float32Array {
  const out = new Float32Array(input.columns.length * height * width);
  const c0 = Math.max(0, col0);
  const c1 = Math.min(input.width, col0 + width);
  input.columns.forEach((column, b) => {
    const mean = input.mean[b]!;
    const inv = 1 / input.std[b]!;
    for (let r = Math.max(0, row0); r < Math.min(input.height, row0 + height); r++) {
      const src = r * input.width;
      const dst = (b * height + (r - row0)) * width - col0;
      for (let c = c0; c < c1; c++) {
        if (input.valid[src + c]) out[dst + c] = (column[src + c]! - mean) * inv;
      }
    }
  });
  return out;
}

/**
 * Summed-area table of the validity mask, (height + 1) x (width + 1): entry (r, c) counts the
 * valid pixels above and left of pixel (r, c). Window counts then cost four reads.
 */
export function validSummedArea(input: Pick<MosaiksInput, 'width' | 'height' | 'valid'>): Uint32Array {
  const { width, height, valid } = input;
  const w1 = width + 1;
  const table = new Uint32Array((height + 1) * w1);
  for (let r = 0; r < height; r++) {
    let rowSum = 0;
    for (let c = 0; c < width; c++) {
      rowSum += valid[r * width + c]!;
      table[(r + 1) * w1 + c + 1] = table[r * w1 + c + 1]! + rowSum;
    }
  }
  return table;
}

/** Valid pixels in rows [row0, row0 + h) x columns [col0, col0 + w), clipped to the scene. */
export function countValidInWindow(
  table: Uint32Array,
  grid: { width: number; height: number },
  row0: number,
  col0: number,
  h: number,
  w: number,
): number {
  const w1 = grid.width + 1;
  const r0 = Math.max(0, Math.min(grid.height, row0));
  const r1 = Math.max(0, Math.min(grid.height, row0 + h));
  const c0 = Math.max(0, Math.min(grid.width, col0));
  const c1 = Math.max(0, Math.min(grid.width, col0 + w));
  return table[r1 * w1 + c1]! - table[r0 * w1 + c1]! - table[r1 * w1 + c0]! + table[r0 * w1 + c0]!;
}
