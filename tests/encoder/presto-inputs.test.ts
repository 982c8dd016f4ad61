import { describe, expect, it } from 'vitest';
import {
  buildPrestoSceneInputs,
  buildPrestoSeriesInputs,
  PRESTO_S2_CHANNEL,
  slicePrestoInputs,
} from '../../src/lib/encoder/presto-inputs.ts';
import { PRESTO_CHANNELS } from '../../src/lib/encoder/presto-spec.ts';
import { SPECTRAL_BANDS, type SpectralBand } from '../../src/lib/encoder/spectral-manifest.ts';
import { AppError } from '../../src/lib/errors.ts';
import { GOLDEN_PATH, goldenInputs, missing, readGolden } from './presto-fixtures.ts';

function errorCode(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof AppError) return error.code;
    throw error;
  }
  return 'no error';
}

describe.skipIf(missing(GOLDEN_PATH))(
  'Presto scene inputs against the golden s2_single_timestep case',
  () => {
    it('builds the same x, mask, dynamic world, lat/lon and month from L2A reflectances', () => {
      const golden = readGolden().find((c) => c.name === 's2_single_timestep');
      if (!golden) throw new Error('no s2_single_timestep case');
      const expected = goldenInputs(golden);
      const count = expected.count;
      // The scene layer gives reflectance (DN / 10000) per band key.
      const bands: Partial<Record<SpectralBand, Float32Array>> = {};
      for (const band of SPECTRAL_BANDS) {
        const channel = PRESTO_CHANNELS.indexOf(PRESTO_S2_CHANNEL[band]);
        bands[band] = Float32Array.from(golden.x_raw, (px) => (px[0]?.[channel] ?? Number.NaN) / 10000);
      }
      const month = golden.month.map((m) => m[0] ?? -1);
      // Each golden pixel has its own month; build one pixel at a time and compare.
      for (let n = 0; n < count; n++) {
        const one = buildPrestoSceneInputs(1, expected.latlons.subarray(2 * n, 2 * n + 2), {
          bands: Object.fromEntries(Object.entries(bands).map(([k, v]) => [k, v.subarray(n, n + 1)])),
          month: month[n] ?? -1,
        });
        expect([...one.mask]).toEqual([...expected.mask.subarray(17 * n, 17 * n + 17)]);
        for (let c = 0; c < 17; c++) {
          if (one.mask[c] === 1) expect(one.x[c]).toBe(0);
          else expect(one.x[c]).toBeCloseTo(expected.x[17 * n + c] ?? Number.NaN, c === 16 ? 6 : 2);
        }
        expect([...one.dynamicWorld]).toEqual([9n]);
        expect(one.month[0]).toBe(expected.month[n]);
        expect([...one.latlons]).toEqual([...expected.latlons.subarray(2 * n, 2 * n + 2)]);
      }
    });
  },
);

describe('Presto inputs', () => {
  const latlons = Float32Array.of(46.5, 12.1, 46.6, 12.2);
  const band = (a: number, b: number): Float32Array => Float32Array.of(a, b);

  it('masks absent bands, invalid pixels and NDVI without red or nir', () => {
    const inputs = buildPrestoSceneInputs(2, latlons, {
      bands: { blue: band(0.05, 0.06), green: band(0.07, 0.08), red: band(0.04, 0.05), nir: band(0.3, 0.2) },
      month: 6,
      valid: Uint8Array.of(1, 0),
    });
    const observed = PRESTO_CHANNELS.filter((_, c) => inputs.mask[c] === 0);
    expect(observed).toEqual(['B2', 'B3', 'B4', 'B8', 'NDVI']);
    expect(inputs.x[PRESTO_CHANNELS.indexOf('B8')]).toBeCloseTo(3000, 3);
    expect(inputs.x[16]).toBeCloseTo((0.3 - 0.04) / (0.3 + 0.04), 5);
    expect([...inputs.mask.subarray(17, 34)].every((m) => m === 1)).toBe(true);
    expect([...inputs.month]).toEqual([6n, 6n]);
    const noRed = buildPrestoSceneInputs(2, latlons, { bands: { nir: band(0.3, 0.2) }, month: 0 });
    expect(noRed.mask[16]).toBe(1);
  });

  it('lays out a yearly series [pixel, step, channel] and slices batches as views', () => {
    const steps = [0, 1, 2].map((t) => ({
      bands: { red: band(0.01 * (t + 1), 0.02), nir: band(0.1, 0.2) },
      month: t + 3,
    }));
    const inputs = buildPrestoSeriesInputs(2, latlons, steps);
    expect(inputs.timesteps).toBe(3);
    const red = PRESTO_CHANNELS.indexOf('B4');
    expect([0, 1, 2].map((t) => inputs.x[t * 17 + red])).toEqual([100, 200, 300].map(Math.fround));
    expect([...inputs.month]).toEqual([3n, 4n, 5n, 3n, 4n, 5n]);
    const second = slicePrestoInputs(inputs, 1, 2);
    expect(second.count).toBe(1);
    expect(second.x[red]).toBeCloseTo(200, 3);
    expect([...second.latlons]).toEqual([...latlons.subarray(2)]);
  });

  it('refuses inputs the encoder cannot take', () => {
    const ok = { bands: { red: band(0.1, 0.1) }, month: 0 };
    expect(errorCode(() => buildPrestoSeriesInputs(2, latlons, []))).toBe('bad-input');
    expect(errorCode(() => buildPrestoSeriesInputs(2, latlons, Array(25).fill(ok)))).toBe('bad-input');
    expect(errorCode(() => buildPrestoSceneInputs(2, latlons, { ...ok, month: 12 }))).toBe('bad-input');
    expect(errorCode(() => buildPrestoSceneInputs(3, latlons, ok))).toBe('bad-input');
    expect(
      errorCode(() => buildPrestoSceneInputs(2, latlons, { bands: { red: Float32Array.of(1) }, month: 0 })),
    ).toBe('bad-input');
    expect(errorCode(() => buildPrestoSceneInputs(2, latlons, { bands: {}, month: 0 }))).toBe('bad-input');
  });
});
