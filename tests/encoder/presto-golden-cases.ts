import type { PrestoInputs } from '../../src/lib/encoder/presto-inputs.ts';

/** The golden file's cases and comparisons, free of Node APIs so browser tests use them too. */

export interface GoldenCase {
  name: string;
  shape: [number, number, number];
  x_raw: number[][][];
  mask: number[][][];
  dynamic_world: number[][];
  latlon: number[][];
  month: number[][];
  embedding: number[][];
}

export function goldenInputs(c: GoldenCase): PrestoInputs {
  const [count, timesteps] = c.shape;
  const ints = (rows: number[][]): BigInt64Array => BigInt64Array.from(rows.flat(), (v) => BigInt(v));
  return {
    count,
    timesteps,
    x: Float32Array.from(c.x_raw.flat(2)),
    mask: Float32Array.from(c.mask.flat(2)),
    dynamicWorld: ints(c.dynamic_world),
    latlons: Float32Array.from(c.latlon.flat()),
    month: ints(c.month),
  };
}

/** Largest |a - b| and smallest per-row cosine between [rows, dim] embeddings. */
export function compare(actual: Float32Array, expected: number[][]): { maxDiff: number; minCosine: number } {
  let maxDiff = 0;
  let minCosine = 1;
  expected.forEach((row, n) => {
    let dot = 0;
    let aa = 0;
    let bb = 0;
    row.forEach((e, d) => {
      const a = actual[n * row.length + d] ?? Number.NaN;
      maxDiff = Math.max(maxDiff, Math.abs(a - e));
      dot += a * e;
      aa += a * a;
      bb += e * e;
    });
    minCosine = Math.min(minCosine, dot / Math.sqrt(aa * bb));
  });
  if (actual.length !== expected.length * (expected[0]?.length ?? 0)) maxDiff = Number.POSITIVE_INFINITY;
  return { maxDiff, minCosine };
}
