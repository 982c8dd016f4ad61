/**
 * `npx tsx scripts/int8-study.ts embeddings.tif`: how well int8 schemes keep a float32
 * embeddings file (e.g. `npm run cli -- embed --source packs/dolomites-2022-06 --model presto
 * --factor 4 --out p.tif`), the numbers behind the README's "int8 embeddings". Prints, per
 * scheme, the mean and smallest per-pixel cosine between the de-quantised and the float vectors.
 */
import { readFileSync } from 'node:fs';
import { readEmbeddingsTiff } from '../src/lib/analysis/index.ts';
import { type BandScale, int8BandScales, quantiseInt8 } from '../src/lib/embeddings/index.ts';

type Dequantise = (x: Float32Array, out: Float64Array) => void;

function affine(scales: readonly BandScale[]): Dequantise {
  return (x, out) => {
    for (let d = 0; d < x.length; d++)
      out[d] = quantiseInt8(x[d]!, scales[d]!) * scales[d]!.scale + scales[d]!.offset;
  };
}

async function main(): Promise<void> {
  const path = process.argv[2];
  if (!path) throw new Error('usage: npx tsx scripts/int8-study.ts embeddings.tif (float32)');
  const bytes = readFileSync(path);
  const { grid } = await readEmbeddingsTiff(
    bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
    path,
  );
  const { data, dim, valid } = grid;
  const pixels: number[] = [];
  valid.forEach((v, p) => {
    if (v) pixels.push(p);
  });
  const perBand = int8BandScales(grid);
  // The same per-band ranges, cut at the 0.1 and 99.9 percentiles (finer steps, values clip).
  const percentile = Array.from({ length: dim }, (_, d) => {
    const values = pixels.map((p) => data[p * dim + d]!).sort((a, b) => a - b);
    const lo = values[Math.floor(values.length * 0.001)]!;
    const hi = values[Math.floor(values.length * 0.999)]!;
    return { scale: (hi - lo) / 254 || 1, offset: (hi + lo) / 2 };
  });
  const lo = Math.min(...perBand.map((b) => b.offset - 127 * b.scale));
  const hi = Math.max(...perBand.map((b) => b.offset + 127 * b.scale));
  const oneRange = perBand.map(() => ({ scale: (hi - lo) / 254, offset: (hi + lo) / 2 }));
  const schemes: Record<string, Dequantise> = {
    'clamp [-1, 1] x 127 (the first scheme)': (x, out) => {
      for (let d = 0; d < x.length; d++) out[d] = Math.round(Math.min(1, Math.max(-1, x[d]!)) * 127) / 127;
    },
    'per band, min..max (int8-affine-per-band)': affine(perBand),
    'per band, 0.1..99.9 percentile (clips)': affine(percentile),
    'one range for every band': affine(oneRange),
    'unit vector x 127 + the norm as float': (x, out) => {
      const norm = Math.hypot(...x);
      for (let d = 0; d < x.length; d++) out[d] = (Math.round((x[d]! / norm) * 127) / 127) * norm;
    },
  };
  let beyond = 0;
  let norms = 0;
  for (const p of pixels) {
    const x = data.subarray(p * dim, (p + 1) * dim);
    norms += Math.hypot(...x);
    for (const v of x) if (Math.abs(v) > 1) beyond++;
  }
  const result: Record<string, { mean: number; min: number }> = {};
  const out = new Float64Array(dim);
  for (const [name, dequantise] of Object.entries(schemes)) {
    let min = 1;
    let sum = 0;
    for (const p of pixels) {
      const x = data.subarray(p * dim, (p + 1) * dim);
      dequantise(x, out);
      let ab = 0;
      let aa = 0;
      let bb = 0;
      for (let d = 0; d < dim; d++) {
        ab += x[d]! * out[d]!;
        aa += x[d]! ** 2;
        bb += out[d]! ** 2;
      }
      const c = ab / Math.sqrt(aa * bb);
      min = Math.min(min, c);
      sum += c;
    }
    result[name] = { mean: sum / pixels.length, min };
  }
  process.stdout.write(
    `${JSON.stringify({ file: path, pixels: pixels.length, dim, meanNorm: norms / pixels.length, shareBeyondOne: beyond / (pixels.length * dim), cosine: result }, null, 2)}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
