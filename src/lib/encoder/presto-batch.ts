import { AppError } from '../errors.ts';
import { converter, type GridSpec, pixelToCrs } from '../geo/index.ts';
import { buildPrestoSeriesInputs, type PrestoInputs, type ReflectanceStep } from './presto-inputs.ts';
import { isSpectralBand, type SpectralBand } from './spectral-manifest.ts';

/**
 * Presto inputs for one batch: interleaved reflectances, count x (steps x bands) with the
 * bands of step 0 first, are split per step and band (NaN = not observed at that step, so
 * masked), and each pixel gets the latitude/longitude of its centre from the grid.
 * `months` holds the calendar month (0 = January) of each time step.
 */
export function prestoBatchInputs(
  pixels: Float32Array,
  count: number,
  indices: Uint32Array,
  bands: readonly string[],
  grid: GridSpec,
  months: readonly number[],
): PrestoInputs {
  const nb = bands.length;
  const T = months.length;
  if (pixels.length !== count * T * nb) {
    throw new AppError(
      'bad-input',
      `Expected ${count * T * nb} values (${count} pixels x ${T} steps x ${nb} bands), got ${pixels.length}.`,
    );
  }
  for (const band of bands)
    if (!isSpectralBand(band)) throw new AppError('bad-input', `Presto does not take the band ${band}.`);
  const steps: ReflectanceStep[] = months.map((month, t) => {
    const perBand: Partial<Record<SpectralBand, Float32Array>> = {};
    bands.forEach((band, b) => {
      const values = new Float32Array(count);
      for (let i = 0; i < count; i++) values[i] = pixels[(i * T + t) * nb + b]!;
      perBand[band as SpectralBand] = values;
    });
    return { bands: perBand, month };
  });
  const toWgs = converter(grid.epsg, 4326);
  const latlons = new Float32Array(count * 2);
  for (let i = 0; i < count; i++) {
    const index = indices[i]!;
    const col = index % grid.width;
    const row = (index - col) / grid.width;
    const [lon, lat] = toWgs(pixelToCrs(grid.transform, col + 0.5, row + 0.5));
    latlons[i * 2] = lat;
    latlons[i * 2 + 1] = lon;
  }
  return buildPrestoSeriesInputs(count, latlons, steps);
}
