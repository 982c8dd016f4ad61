/**
 * RGBA image of a three-component projection: each component stretched linearly from its
 * 2nd to its 98th percentile over the valid pixels (robust to outliers), clipped to 0..255;
 * invalid (NaN) pixels are transparent.
 */
export function projectionToRgba(
  projection: Float32Array,
  lowPct = 2,
  highPct = 98,
): Uint8ClampedArray<ArrayBuffer> {
  const pixels = projection.length / 3;
  const rgba = new Uint8ClampedArray(pixels * 4);
  const ranges: Array<[number, number]> = [];
  // Percentiles from at most ~65k evenly spaced pixels: exact enough for a colour stretch.
  const step = Math.max(1, Math.floor(pixels / 65536));
  for (let j = 0; j < 3; j++) {
    const values: number[] = [];
    for (let p = 0; p < pixels; p += step) {
      const v = projection[p * 3 + j]!;
      if (!Number.isNaN(v)) values.push(v);
    }
    values.sort((a, b) => a - b);
    if (values.length === 0) return rgba;
    const at = (pct: number): number =>
      values[Math.min(values.length - 1, Math.floor((pct / 100) * values.length))]!;
    ranges.push([at(lowPct), at(highPct)]);
  }
  for (let p = 0; p < pixels; p++) {
    if (Number.isNaN(projection[p * 3]!)) continue;
    for (let j = 0; j < 3; j++) {
      const [lo, hi] = ranges[j]!;
      const t = hi > lo ? (projection[p * 3 + j]! - lo) / (hi - lo) : 0.5;
      rgba[p * 4 + j] = Math.round(255 * t); // Uint8ClampedArray clips to 0..255
    }
    rgba[p * 4 + 3] = 255;
  }
  return rgba;
}
