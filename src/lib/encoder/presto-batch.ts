import { AppError } from '../errors.ts';
import { converter } from '../geo/crs.ts';
import { type GridSpec, pixelToCrs } from '../geo/geotransform.ts';
import { buildPrestoSceneInputs, type PrestoInputs } from './presto-inputs.ts';
import { isSpectralBand, type SpectralBand } from './spectral-manifest.ts';

/**
 * Presto inputs for one batch of a single scene: interleaved reflectances (count x bands) are
 * split per band, and each pixel gets the latitude/longitude of its centre from the grid.
 */
export function prestoBatchInputs(
  pixels: Float32Array,
  count: number,
  indices: Uint32Array,
  bands: readonly string[],
  grid: GridSpec,
  month: number,
): PrestoInputs {
  const nb = bands.length;
  const perBand: Partial<Record<SpectralBand, Float32Array>> = {};
  bands.forEach((band, b) => {
    if (!isSpectralBand(band)) throw new AppError('bad-input', `Presto does not take the band ${band}.`);
    const values = new Float32Array(count);
    for (let i = 0; i < count; i++) values[i] = pixels[i * nb + b]!;
    perBand[band] = values;
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
  return buildPrestoSceneInputs(count, latlons, { bands: perBand, month });
}
