/**
 * Sentinel-2 L2A asset keys as Earth Search names them (collections sentinel-2-l2a and
 * sentinel-2-c1-l2a), with the native resolution of each band.
 */
export const REFLECTANCE_BANDS = [
  'coastal',
  'blue',
  'green',
  'red',
  'rededge1',
  'rededge2',
  'rededge3',
  'nir',
  'nir08',
  'nir09',
  'swir16',
  'swir22',
] as const;

export type ReflectanceBand = (typeof REFLECTANCE_BANDS)[number];
export type BandKey = ReflectanceBand | 'scl';

export const NATIVE_RESOLUTION_M: Record<BandKey, number> = {
  coastal: 60,
  blue: 10,
  green: 10,
  red: 10,
  rededge1: 20,
  rededge2: 20,
  rededge3: 20,
  nir: 10,
  nir08: 20,
  nir09: 60,
  swir16: 20,
  swir22: 20,
  scl: 20,
};

/** Sentinel-2 band names (B02 ...) to asset keys, used to recognise dropped files. */
export const S2_BAND_NAMES: Record<string, BandKey> = {
  B01: 'coastal',
  B02: 'blue',
  B03: 'green',
  B04: 'red',
  B05: 'rededge1',
  B06: 'rededge2',
  B07: 'rededge3',
  B08: 'nir',
  B8A: 'nir08',
  B09: 'nir09',
  B11: 'swir16',
  B12: 'swir22',
  SCL: 'scl',
};

export function isBandKey(value: string): value is BandKey {
  return value === 'scl' || (REFLECTANCE_BANDS as readonly string[]).includes(value);
}
