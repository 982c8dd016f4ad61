import { AppError } from '../errors.ts';
import {
  PRESTO_CHANNEL_COUNT as C,
  DYNAMIC_WORLD_MISSING,
  PRESTO_CHANNELS,
  PRESTO_MAX_TIMESTEPS,
  type PrestoChannel,
} from './presto-spec.ts';
import type { SpectralBand } from './spectral-manifest.ts';

/** The Presto encoder's five inputs for `count` pixels and `timesteps` time steps (row-major). */
export interface PrestoInputs {
  count: number;
  timesteps: number;
  /** [count, timesteps, 17] physical units (S2: reflectance x 10000). */
  x: Float32Array;
  /** [count, timesteps, 17], 1 = missing. */
  mask: Float32Array;
  /** [count, timesteps], 9 = missing. */
  dynamicWorld: BigInt64Array;
  /** [count, 2] latitude, longitude in degrees. */
  latlons: Float32Array;
  /** [count, timesteps], 0 = January. */
  month: BigInt64Array;
}

/** Earth Search asset key -> Presto channel. */
export const PRESTO_S2_CHANNEL: Readonly<Record<SpectralBand, PrestoChannel>> = {
  blue: 'B2',
  green: 'B3',
  red: 'B4',
  rededge1: 'B5',
  rededge2: 'B6',
  rededge3: 'B7',
  nir: 'B8',
  nir08: 'B8A',
  swir16: 'B11',
  swir22: 'B12',
};

/** One Sentinel-2 acquisition (or composite) of the pixels. */
export interface ReflectanceStep {
  /** Per band present: L2A surface reflectance (DN / 10000) of every pixel; absent bands are masked. */
  bands: Partial<Record<SpectralBand, Float32Array>>;
  /** Calendar month 0..11 of the acquisition. */
  month: number;
  /** Optional per pixel: 0 = no usable observation (nodata, cloud), so all its S2 channels are masked. */
  valid?: Uint8Array;
}

const NDVI = PRESTO_CHANNELS.indexOf('NDVI');
const B4 = PRESTO_CHANNELS.indexOf('B4');
const B8 = PRESTO_CHANNELS.indexOf('B8');

function checkStep(step: ReflectanceStep, index: number, count: number): void {
  if (!Number.isInteger(step.month) || step.month < 0 || step.month > 11) {
    throw new AppError(
      'bad-input',
      `Time step ${index}: month must be 0..11 (January = 0), got ${step.month}.`,
    );
  }
  for (const [band, values] of Object.entries(step.bands)) {
    if (values && values.length !== count) {
      throw new AppError(
        'bad-input',
        `Time step ${index}: band ${band} has ${values.length} values for ${count} pixels.`,
      );
    }
  }
  if (step.valid && step.valid.length !== count) {
    throw new AppError(
      'bad-input',
      `Time step ${index}: validity has ${step.valid.length} values for ${count} pixels.`,
    );
  }
  if (!Object.values(step.bands).some(Boolean)) {
    throw new AppError('bad-input', `Time step ${index} has no Sentinel-2 band Presto can use.`);
  }
}

/**
 * Presto inputs from per-time-step Sentinel-2 reflectances (yearly mode: one step per month
 * or acquisition, 1..24 steps). S2 bands present and valid are observed; NDVI is
 * (B8 - B4) / (B8 + B4) where both are; Sentinel-1, ERA5 and SRTM are masked and dynamic world
 * is 9 (missing), so those tokens are dropped. A band absent from a step masks its channel,
 * which drops its whole group token (e.g. no rededge3: no red-edge token).
 */
export function buildPrestoSeriesInputs(
  count: number,
  latlons: Float32Array,
  steps: readonly ReflectanceStep[],
): PrestoInputs {
  if (!Number.isInteger(count) || count < 1)
    throw new AppError('bad-input', `Presto needs at least one pixel, got ${count}.`);
  const T = steps.length;
  if (T < 1 || T > PRESTO_MAX_TIMESTEPS) {
    throw new AppError('bad-input', `Presto takes 1 to ${PRESTO_MAX_TIMESTEPS} time steps, got ${T}.`);
  }
  if (latlons.length !== count * 2) {
    throw new AppError(
      'bad-input',
      `Expected ${count * 2} lat/lon values (${count} pixels), got ${latlons.length}.`,
    );
  }
  steps.forEach((step, i) => {
    checkStep(step, i, count);
  });
  const x = new Float32Array(count * T * C);
  const mask = new Float32Array(count * T * C).fill(1);
  const month = new BigInt64Array(count * T);
  steps.forEach((step, t) => {
    const bands = Object.entries(step.bands).flatMap(([band, values]) =>
      values ? [{ channel: PRESTO_CHANNELS.indexOf(PRESTO_S2_CHANNEL[band as SpectralBand]), values }] : [],
    );
    for (let n = 0; n < count; n++) {
      const row = (n * T + t) * C;
      month[n * T + t] = BigInt(step.month);
      if (step.valid && step.valid[n] === 0) continue;
      for (const { channel, values } of bands) {
        const dn = Math.fround((values[n] ?? Number.NaN) * 10000);
        if (!Number.isFinite(dn)) continue;
        x[row + channel] = dn;
        mask[row + channel] = 0;
      }
      if (mask[row + B4] === 0 && mask[row + B8] === 0) {
        const red = x[row + B4] ?? 0;
        const nir = x[row + B8] ?? 0;
        // A zero or negative sum (dark water with the BOA offset) has no meaningful NDVI.
        if (nir + red > 0) {
          x[row + NDVI] = (nir - red) / (nir + red);
          mask[row + NDVI] = 0;
        }
      }
    }
  });
  return {
    count,
    timesteps: T,
    x,
    mask,
    dynamicWorld: new BigInt64Array(count * T).fill(BigInt(DYNAMIC_WORLD_MISSING)),
    latlons: latlons.slice(),
    month,
  };
}

/** Presto inputs for one Sentinel-2 scene (T = 1): what the app has for a single date. */
export function buildPrestoSceneInputs(
  count: number,
  latlons: Float32Array,
  scene: ReflectanceStep,
): PrestoInputs {
  return buildPrestoSeriesInputs(count, latlons, [scene]);
}

/** Pixels [start, end) of `inputs`, as views (no copy): one encoder batch. */
export function slicePrestoInputs(inputs: PrestoInputs, start: number, end: number): PrestoInputs {
  if (!(start >= 0 && start < end && end <= inputs.count)) {
    throw new AppError('bad-input', `Cannot take pixels ${start}..${end} of ${inputs.count}.`);
  }
  const T = inputs.timesteps;
  return {
    count: end - start,
    timesteps: T,
    x: inputs.x.subarray(start * T * C, end * T * C),
    mask: inputs.mask.subarray(start * T * C, end * T * C),
    dynamicWorld: inputs.dynamicWorld.subarray(start * T, end * T),
    latlons: inputs.latlons.subarray(start * 2, end * 2),
    month: inputs.month.subarray(start * T, end * T),
  };
}
