import { beforeAll, describe, expect, it } from 'vitest';
import { sampleMosaiksFilters } from '../../src/lib/encoder/mosaiks-filters.ts';
import { mosaiksInput, readNormalisedWindow } from '../../src/lib/encoder/mosaiks-input.ts';
import { resolveMosaiksParams } from '../../src/lib/encoder/mosaiks-params.ts';
import { ZCA_EPSILON, zcaWhiten } from '../../src/lib/encoder/mosaiks-zca.ts';
import { symmetricEigen } from '../../src/lib/math/index.ts';
import type { Scene } from '../../src/lib/scene/index.ts';
import { dolomitesWindow, missingDolomites, withCloud } from './mosaiks-fixtures.ts';

const skip = missingDolomites();

/** Sample covariance (float64) of n rows of `dim` values. */
function covariance(rows: Float64Array, dim: number): Float64Array {
  const n = rows.length / dim;
  const mean = new Float64Array(dim);
  for (let i = 0; i < n; i++) for (let d = 0; d < dim; d++) mean[d]! += rows[i * dim + d]! / n;
  const cov = new Float64Array(dim * dim);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < dim; a++) {
      for (let b = 0; b < dim; b++) {
        cov[a * dim + b]! += ((rows[i * dim + a]! - mean[a]!) * (rows[i * dim + b]! - mean[b]!)) / n;
      }
    }
  }
  return cov;
}

describe.skipIf(skip !== '')('MOSAIKS inputs and filters from real Dolomites pixels', () => {
  let scene: Scene;
  beforeAll(async () => {
    scene = await dolomitesWindow(300, 300, 120, 120);
  });

  it('z-scores each band with the statistics of the valid pixels only', () => {
    const cloudy = withCloud(scene, 0, 40, 0, 120);
    const input = mosaiksInput(cloudy);
    expect(input.bands).toEqual(['blue', 'green', 'red', 'nir']);
    const nir = scene.reflectance[3]!.subarray(40 * 120);
    const mean = nir.reduce((s, v) => s + v, 0) / nir.length;
    const std = Math.sqrt(nir.reduce((s, v) => s + (v - mean) ** 2, 0) / nir.length);
    expect(input.mean[3]).toBeCloseTo(mean, 9);
    expect(input.std[3]).toBeCloseTo(std, 9);
    // Cloud and off-scene pixels read as the band mean, 0 after the z-score.
    const window = readNormalisedWindow(input, 38, -1, 4, 3);
    const nirRows = Array.from(window.subarray(3 * 12, 4 * 12));
    expect(nirRows.slice(0, 6)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(nirRows[0 + 6]).toBe(0);
    expect(nirRows[1 + 6]).toBeCloseTo((cloudy.reflectance[3]![40 * 120]! - mean) / std, 5);
  });

  it('refuses bands it does not use, is missing, or gets twice', () => {
    expect(() => mosaiksInput(scene, ['blue', 'scl'])).toThrow(/does not use band "scl"/);
    expect(() => mosaiksInput(scene, ['blue', 'swir16'])).toThrow(/no band swir16/);
    expect(() => mosaiksInput(scene, ['red', 'red'])).toThrow(/listed twice/);
    expect(() => mosaiksInput(withCloud(scene, 0, 120, 0, 120))).toThrow(/no valid pixels/);
  });

  it('is deterministic for a seed and differs across seeds', () => {
    const input = mosaiksInput(scene);
    const a = sampleMosaiksFilters(input, resolveMosaiksParams({ seed: 42 }));
    const again = sampleMosaiksFilters(input, resolveMosaiksParams({ seed: 42 }));
    const other = sampleMosaiksFilters(input, resolveMosaiksParams({ seed: 43 }));
    expect(a.weights).toHaveLength(64 * 4 * 3 * 3);
    expect(a.bias).toEqual(new Float32Array(64).fill(1));
    expect(again.weights).toEqual(a.weights);
    expect(again.origins).toEqual(a.origins);
    expect(other.origins).not.toEqual(a.origins);
    const changed = a.weights.filter((w, i) => w !== other.weights[i]).length;
    expect(changed).toBeGreaterThan(a.weights.length * 0.9);
  });

  it('without whitening, each filter is the z-scored k x k x B patch it was drawn from', () => {
    const input = mosaiksInput(scene);
    const f = sampleMosaiksFilters(
      input,
      resolveMosaiksParams({ filters: 8, kernel: 5, whiten: false, seed: 9 }),
    );
    expect(new Set(f.origins).size).toBe(8);
    f.origins.forEach((origin, i) => {
      const patch = readNormalisedWindow(input, Math.floor(origin / 120), origin % 120, 5, 5);
      expect(f.weights.subarray(i * 100, (i + 1) * 100)).toEqual(patch);
    });
  });

  it('draws filters only from patches whose pixels are all valid', () => {
    // Cloud over everything but rows 60..69 and a column strip: few valid 3 x 3 windows.
    const cloudy = withCloud(withCloud(scene, 0, 60, 0, 120), 70, 120, 0, 120);
    const input = mosaiksInput(cloudy);
    const f = sampleMosaiksFilters(input, resolveMosaiksParams({ filters: 200, seed: 5 }));
    for (const origin of f.origins) {
      const row = Math.floor(origin / 120);
      expect(row).toBeGreaterThanOrEqual(60);
      expect(row + 3).toBeLessThanOrEqual(70);
    }
  });

  it('says clearly when the scene has too few valid patches', () => {
    const clear = withCloud(withCloud(scene, 0, 60, 0, 120), 62, 120, 0, 120);
    // Rows 60-61 only: no 3 x 3 window is fully valid.
    expect(() => sampleMosaiksFilters(mosaiksInput(clear), resolveMosaiksParams())).toThrow(
      /only 0 fully valid 3 x 3 patches; MOSAIKS samples its 64 filters/,
    );
    const strip = withCloud(withCloud(scene, 0, 60, 0, 120), 63, 120, 0, 120);
    // Rows 60-62: 118 windows of 3 x 3, fewer than 128 filters.
    expect(() => sampleMosaiksFilters(mosaiksInput(strip), resolveMosaiksParams({ filters: 128 }))).toThrow(
      /only 118 fully valid .* Choose fewer filters/,
    );
    const tiny = { ...scene, grid: { ...scene.grid, width: 2, height: 2 }, valid: new Uint8Array(4).fill(1) };
    expect(() => sampleMosaiksFilters(mosaiksInput(tiny), resolveMosaiksParams())).toThrow(
      /smaller than one 3 x 3 MOSAIKS filter/,
    );
  });

  it('ZCA whitening maps the patch covariance to eigenvalues lambda / (lambda + eps)', () => {
    const input = mosaiksInput(scene);
    const raw = sampleMosaiksFilters(input, { filters: 3000, kernel: 3, seed: 1, whiten: false, bias: 1 });
    const dim = 36;
    const patches = Float64Array.from(raw.weights);
    const before = symmetricEigen(covariance(patches, dim), dim).values;
    const after = symmetricEigen(covariance(zcaWhiten(patches, dim, 3000), dim), dim).values;
    const epsilon = (ZCA_EPSILON * before.reduce((s, v) => s + v, 0)) / dim;
    before.forEach((lambda, i) => {
      expect(after[i]).toBeCloseTo(lambda / (lambda + epsilon), 6);
    });
    // The real bands are strongly correlated: whitening spreads the variance out.
    expect(before[0]! / before[dim - 1]!).toBeGreaterThan(100);
    expect(after[0]! / after[dim - 1]!).toBeLessThan(before[0]! / before[dim - 1]! / 10);
  });
});
