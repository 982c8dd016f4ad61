import { AppError } from '../../errors.ts';

/**
 * Facts about AlphaEarth Foundations' annual Satellite Embedding V1 COGs, from Google's readme
 * for gs://alphaearth_foundations and the Source Cooperative mirror: 64 int8 channels A00..A63,
 * -128 = masked (in every channel at once), quantised so that `sign(v) * (v / 127.5)^2` gives
 * the unit-length embedding, rows stored bottom-up, one folder per year and UTM zone.
 */
export const AEF_DIM = 64;
export const AEF_NODATA = -128;
export const AEF_BAND_NAMES: readonly string[] = Array.from(
  { length: AEF_DIM },
  (_, d) => `A${String(d).padStart(2, '0')}`,
);
/** The public HTTPS mirror (Source Cooperative, 2018–2024); Google's bucket is requester-pays. */
export const AEF_DEFAULT_BASE_URL = 'https://data.source.coop/tge-labs/aef/v1/annual';
export const AEF_YEARS: readonly number[] = [2018, 2019, 2020, 2021, 2022, 2023, 2024];
export const AEF_INDEX_FILE = 'aef_index.parquet';

/** The bucket prefix the index's `path` column names files by. */
const BUCKET_PREFIX = /^gs:\/\/alphaearth_foundations\/satellite_embedding\/v1\/annual\//;

/**
 * De-quantisation table for every int8 value: Google's `sign(v) * (|v| / 127.5)^2` (the
 * square undoes the square root the quantiser applied, spending more codes near 0). -128 is
 * nodata and maps to NaN so it can never pass as a value.
 */
export const DEQUANTISE: Float32Array = (() => {
  const table = new Float32Array(256);
  for (let v = -128; v <= 127; v++) {
    const x = v / 127.5;
    table[v & 0xff] = v === AEF_NODATA ? Number.NaN : Math.sign(v) * x * x;
  }
  return table;
})();

export function dequantise(v: number): number {
  return DEQUANTISE[v & 0xff]!;
}

/** The base URL without trailing slashes (so `${base}/${year}` never doubles one). */
export function normaliseBase(base: string): string {
  const trimmed = base.trim().replace(/\/+$/, '');
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    throw new AppError('bad-input', `The AlphaEarth base URL "${base}" is not a valid http(s) address.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new AppError('bad-input', `The AlphaEarth base URL must be http(s), not ${url.protocol}.`);
  return trimmed;
}

/**
 * The HTTPS address of a file the index names by its bucket URL:
 * gs://…/annual/{year}/{zone}/{name}.tiff → {base}/{year}/{zone}/{name}.tiff. A relative path
 * (a mirror's own index) is taken relative to the base.
 */
export function fileUrl(path: string, base: string): string {
  const rest = path.replace(BUCKET_PREFIX, '');
  if (/^[a-z][a-z0-9+.-]*:/i.test(rest))
    throw new AppError('bad-input', `The AlphaEarth index names a file outside the product: ${path}.`);
  return `${base}/${rest.replace(/^\/+/, '')}`;
}

/** "EPSG:32633" or 32633 → 32633; UTM zone "33N" → 32633 when the CRS column is empty. */
export function epsgOf(crs: unknown, zone: unknown): number {
  const fromCrs = /(\d{4,5})\s*$/.exec(String(crs ?? ''));
  if (fromCrs) return Number(fromCrs[1]);
  const z = /^(\d{1,2})([NS])$/i.exec(String(zone ?? ''));
  if (z) return (z[2]!.toUpperCase() === 'N' ? 32600 : 32700) + Number(z[1]);
  throw new AppError('bad-input', `The AlphaEarth index gives no usable CRS (crs "${String(crs)}").`);
}
