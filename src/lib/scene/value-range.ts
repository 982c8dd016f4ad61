/**
 * Surface reflectance lies between 0 and about 1 (fresh snow and glints reach ~1.6). A scene
 * whose typical bright pixel is far above that was not converted to reflectance: its files
 * hold scaled integers (Sentinel-2 digital numbers are reflectance x 10000, 0..~12000).
 */
const MAX_PLAUSIBLE_REFLECTANCE = 1.6;
/** Values sampled per band for the percentile (exact min and max read every value). */
const SAMPLE_PER_BAND = 50_000;

/** What a scene's bands hold: the smallest and largest value, and the 99th percentile. */
export interface ValueRange {
  min: number;
  max: number;
  p99: number;
}

/** The range of the finite values of every band; undefined when no band holds any. */
export function valueRange(bands: readonly Float32Array[]): ValueRange | undefined {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  const sample: number[] = [];
  for (const band of bands) {
    const stride = Math.max(1, Math.floor(band.length / SAMPLE_PER_BAND));
    for (let i = 0; i < band.length; i++) {
      const v = band[i]!;
      if (!Number.isFinite(v)) continue;
      if (v < min) min = v;
      if (v > max) max = v;
      if (i % stride === 0) sample.push(v);
    }
  }
  if (sample.length === 0) return undefined;
  sample.sort((a, b) => a - b);
  const p99 = sample[Math.min(sample.length - 1, Math.floor(0.99 * sample.length))]!;
  return { min, max, p99 };
}

/**
 * Whether values said to be reflectance are clearly scaled integers: the brightest 1% of
 * pixels is above any real reflectance (a few saturated pixels alone do not count).
 */
export function looksLikeScaledIntegers(range: ValueRange | undefined): boolean {
  return range !== undefined && range.p99 > MAX_PLAUSIBLE_REFLECTANCE;
}
