/**
 * L2A semantics. Reflectance = DN * scale + offset, as each asset's `raster:bands` says
 * (c1-l2a: scale 0.0001, offset -0.1 since processing baseline 04.00; older items offset 0).
 */
export function applyScaleOffset(values: Float32Array, scale: number, offset: number): Float32Array {
  for (let i = 0; i < values.length; i++) values[i] = values[i]! * scale + offset;
  return values;
}

/** Scene Classification (SCL) classes of Sentinel-2 L2A. */
export const SCL_CLASSES: Record<number, string> = {
  0: 'no data',
  1: 'saturated or defective',
  2: 'dark area pixels',
  3: 'cloud shadow',
  4: 'vegetation',
  5: 'not vegetated',
  6: 'water',
  7: 'unclassified',
  8: 'cloud, medium probability',
  9: 'cloud, high probability',
  10: 'thin cirrus',
  11: 'snow or ice',
};

/** Classes masked by default; snow (11) stays, since mountain scenes need it. */
export const DEFAULT_SCL_MASK: readonly number[] = [0, 1, 3, 8, 9, 10];

/**
 * Validity from the bands and, when present, SCL: a pixel is valid when every band has a
 * finite value and its SCL class is not masked. Returns the mask and the valid fraction.
 */
export function validityMask(
  bands: readonly Float32Array[],
  scl: Float32Array | undefined,
  maskedClasses: readonly number[] = DEFAULT_SCL_MASK,
): { valid: Uint8Array; fraction: number } {
  const n = bands[0]?.length ?? 0;
  const valid = new Uint8Array(n);
  const masked = new Uint8Array(256);
  for (const c of maskedClasses) masked[c] = 1;
  let count = 0;
  for (let i = 0; i < n; i++) {
    let ok = 1;
    for (const band of bands) {
      if (!Number.isFinite(band[i]!)) {
        ok = 0;
        break;
      }
    }
    if (ok && scl) {
      const c = scl[i]!;
      ok = Number.isFinite(c) && masked[c & 255] === 0 ? 1 : 0;
    }
    valid[i] = ok;
    count += ok;
  }
  return { valid, fraction: n ? count / n : 0 };
}
