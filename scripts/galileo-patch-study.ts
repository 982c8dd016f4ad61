/**
 * `npx tsx scripts/galileo-patch-study.ts [pack] [--side 96]`: how much of Galileo-nano's
 * windowed (patch-mode) embeddings is the position inside the window, on a real scene.
 * Encodes a crop three ways with the converted fp32 graphs (onnxruntime-node): pixel mode
 * (each pixel alone, upstream's default), 8 x 8 windows at patch 1, and 32 x 32 windows at
 * patch 4; prints, as JSON, the share of the embeddings' variance explained by the position
 * in the window, and how many of each pixel's 10 nearest neighbours (cosine) in pixel mode
 * each windowed variant keeps, raw and position-centred (the per-position mean removed).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as ort from 'onnxruntime-node';
import { buildGalileoPatchOnnx, buildGalileoPixelOnnx } from '../models/convert/galileo-graph.ts';
import { readTorchCheckpoint } from '../models/convert/torch-checkpoint.ts';
import {
  GALILEO_CHANNEL_COUNT as C,
  GALILEO_DIM as D,
  galileoInputsFromPresto,
  isSpectralBand,
  prestoBatchInputs,
} from '../src/lib/encoder/index.ts';
import { loadScene } from '../src/lib/scene/index.ts';
import { sourceRequest } from './cli/embed-source.ts';

const args = process.argv.slice(2);
const pack = resolve(args.find((a) => !a.startsWith('--')) ?? 'packs/s2-29rkh-2020-02');
const sideAt = args.indexOf('--side');
const SIDE = Number(sideAt >= 0 ? args[sideAt + 1] : 96); // multiple of 32

async function run(graph: Uint8Array, x: Float32Array, mask: Float32Array, dims: number[], month: number) {
  const session = await ort.InferenceSession.create(graph, { intraOpNumThreads: 1 });
  const n = dims[0] ?? 1;
  const t = dims[dims.length - 2] ?? 1;
  const out = await session.run({
    x: new ort.Tensor('float32', x, dims),
    mask: new ort.Tensor('float32', mask, dims),
    month: new ort.Tensor('int64', new BigInt64Array(n * t).fill(BigInt(month)), [n, t]),
  });
  await session.release();
  return out.embedding?.data as Float32Array;
}

/** Pixel rows [side*side, 13] (row-major in the crop) -> windows [nw, w, w, 1, 13], and back. */
function toWindows(rows: Float32Array, side: number, w: number): Float32Array {
  const out = new Float32Array(rows.length);
  const per = side / w;
  let o = 0;
  for (let wy = 0; wy < per; wy++)
    for (let wx = 0; wx < per; wx++)
      for (let y = 0; y < w; y++)
        for (let x = 0; x < w; x++) {
          const src = ((wy * w + y) * side + wx * w + x) * C;
          out.set(rows.subarray(src, src + C), o);
          o += C;
        }
  return out;
}

/** Per-pixel vectors [side*side, 128] and each pixel's position index in its window, from per-patch outputs. */
function fromPatches(out: Float32Array, side: number, w: number, p: number) {
  const per = side / w;
  const g = w / p;
  const vectors = new Float32Array(side * side * D);
  const position = new Int32Array(side * side);
  for (let y = 0; y < side; y++)
    for (let x = 0; x < side; x++) {
      const win = Math.floor(y / w) * per + Math.floor(x / w);
      const tok = Math.floor((y % w) / p) * g + Math.floor((x % w) / p);
      const src = (win * g * g + tok) * D;
      vectors.set(out.subarray(src, src + D), (y * side + x) * D);
      position[y * side + x] = tok;
    }
  return { vectors, position };
}

/** Share of the total variance explained by the group means (groups = positions in the window). */
function explainedBy(vectors: Float32Array, group: Int32Array): number {
  const n = group.length;
  const mean = new Float64Array(D);
  for (let i = 0; i < n; i++)
    for (let d = 0; d < D; d++) mean[d] = (mean[d] ?? 0) + (vectors[i * D + d] ?? 0) / n;
  const sums = new Map<number, { n: number; s: Float64Array }>();
  let total = 0;
  for (let i = 0; i < n; i++) {
    const k = group[i] ?? 0;
    const e = sums.get(k) ?? { n: 0, s: new Float64Array(D) };
    e.n++;
    for (let d = 0; d < D; d++) {
      const v = vectors[i * D + d] ?? 0;
      e.s[d] = (e.s[d] ?? 0) + v;
      total += (v - (mean[d] ?? 0)) ** 2;
    }
    sums.set(k, e);
  }
  let between = 0;
  for (const { n: c, s } of sums.values())
    for (let d = 0; d < D; d++) between += c * ((s[d] ?? 0) / c - (mean[d] ?? 0)) ** 2;
  return between / total;
}

function centred(vectors: Float32Array, group: Int32Array): Float32Array {
  const out = Float32Array.from(vectors);
  const means = new Map<number, { n: number; s: Float64Array }>();
  group.forEach((k, i) => {
    const e = means.get(k) ?? { n: 0, s: new Float64Array(D) };
    e.n++;
    for (let d = 0; d < D; d++) e.s[d] = (e.s[d] ?? 0) + (vectors[i * D + d] ?? 0);
    means.set(k, e);
  });
  group.forEach((k, i) => {
    const e = means.get(k);
    if (e) for (let d = 0; d < D; d++) out[i * D + d] = (out[i * D + d] ?? 0) - (e.s[d] ?? 0) / e.n;
  });
  return out;
}

/** Mean share of each sample pixel's 10 cosine nearest neighbours in `ref` that `v` also finds. */
function neighbourAgreement(ref: Float32Array, v: Float32Array, samples: number[]): number {
  const n = ref.length / D;
  const unit = (a: Float32Array) => {
    const u = Float32Array.from(a);
    for (let i = 0; i < n; i++) {
      const norm = Math.hypot(...u.subarray(i * D, (i + 1) * D)) || 1;
      for (let d = 0; d < D; d++) u[i * D + d] = (u[i * D + d] ?? 0) / norm;
    }
    return u;
  };
  const [r, w] = [unit(ref), unit(v)];
  const top = (u: Float32Array, q: number): Set<number> => {
    const s: [number, number][] = [];
    for (let i = 0; i < n; i++) {
      if (i === q) continue;
      let dot = 0;
      for (let d = 0; d < D; d++) dot += (u[q * D + d] ?? 0) * (u[i * D + d] ?? 0);
      s.push([dot, i]);
    }
    s.sort((a, b) => b[0] - a[0]);
    return new Set(s.slice(0, 10).map(([, i]) => i));
  };
  let kept = 0;
  for (const q of samples) {
    const a = top(r, q);
    for (const i of top(w, q)) if (a.has(i)) kept++;
  }
  return kept / (10 * samples.length);
}

async function main(): Promise<void> {
  const { request, close } = await sourceRequest([pack], {});
  const scene = await loadScene(request, () => undefined).finally(close);
  const bands = scene.bands.filter((b) => isSpectralBand(b));
  const x0 = Math.floor((scene.grid.width - SIDE) / 2);
  const y0 = Math.floor((scene.grid.height - SIDE) / 2);
  const count = SIDE * SIDE;
  const pixels = new Float32Array(count * bands.length);
  const indices = new Uint32Array(count);
  for (let y = 0; y < SIDE; y++)
    for (let x = 0; x < SIDE; x++) {
      const i = y * SIDE + x;
      indices[i] = (y0 + y) * scene.grid.width + x0 + x;
      bands.forEach((band, b) => {
        pixels[i * bands.length + b] =
          scene.reflectance[scene.bands.indexOf(band)]?.[indices[i] ?? 0] ?? Number.NaN;
      });
    }
  const month = new Date(scene.datetime).getUTCMonth();
  const inputs = galileoInputsFromPresto(
    prestoBatchInputs(pixels, count, indices, bands, scene.grid, [month]),
  );
  const weights = readTorchCheckpoint(
    new Uint8Array(readFileSync(resolve('../shared/models/galileo-nano/encoder.pt'))),
  );
  const pixelMode = await run(
    buildGalileoPixelOnnx(weights, 'fp32'),
    inputs.x,
    inputs.mask,
    [count, 1, C],
    month,
  );
  const rng = (i: number) => (i * 2654435761) % count;
  const samples = Array.from({ length: 200 }, (_, i) => rng(i + 1));
  const report: Record<string, unknown> = {
    scene: scene.id,
    crop_px: SIDE,
    resolution_m: scene.grid.transform.resX,
  };
  for (const [w, p] of [
    [8, 1],
    [32, 4],
  ] as const) {
    const nw = count / (w * w);
    const out = await run(
      buildGalileoPatchOnnx(weights, 'fp32', p),
      toWindows(inputs.x, SIDE, w),
      toWindows(inputs.mask, SIDE, w),
      [nw, w, w, 1, C],
      month,
    );
    const { vectors, position } = fromPatches(out, SIDE, w, p);
    const fixed = centred(vectors, position);
    report[`window_${w}_patch_${p}`] = {
      position_variance_share: explainedBy(vectors, position),
      position_variance_share_pixel_mode: explainedBy(pixelMode, position),
      top10_agreement_with_pixel_mode: neighbourAgreement(pixelMode, vectors, samples),
      top10_agreement_position_centred: neighbourAgreement(pixelMode, fixed, samples),
    };
  }
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
