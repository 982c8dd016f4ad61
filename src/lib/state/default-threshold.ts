/**
 * The starting threshold of a similarity map: the score above which the `top` fraction of
 * pixels lies, from the score histogram. Encoders spread scores very differently (the spectral
 * encoder over [-1, 1], Presto mostly above 0.8), so a quantile shows a comparable share.
 */
export function defaultThreshold(histogram: readonly number[], min: number, max: number, top = 0.15): number {
  const total = histogram.reduce((a, b) => a + b, 0);
  if (!(total > 0) || !(max > min)) return min;
  const width = (max - min) / histogram.length;
  let above = 0;
  for (let bin = histogram.length - 1; bin >= 0; bin--) {
    const count = histogram[bin]!;
    if (above + count >= top * total) {
      // Interpolate inside the bin so the share above is close to `top`.
      const needed = top * total - above;
      return min + width * (bin + 1 - (count > 0 ? needed / count : 0));
    }
    above += count;
  }
  return min;
}
