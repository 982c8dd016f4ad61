import { GALILEO_CHANNEL_COUNT as C } from '../../src/lib/encoder/galileo-spec.ts';

/**
 * Galileo golden cases (../shared/models/galileo-nano/golden) turned into graph inputs, free
 * of Node APIs so the browser tests use them too. The graphs take physical units: S2 DN in
 * channels 2..11, NDVI in 12, S1 (channels 0, 1) zero and masked.
 */

interface Stored {
  shape: number[];
  data: unknown;
}

export interface GalileoGoldenCase {
  name: string;
  patch_size: number;
  num_timesteps: number;
  months: number[];
  raw: { s2_dn: Stored; ndvi: Stored };
  outputs: { per_patch: Stored; global_mean: Stored; space_time_tokens: Stored & { samples?: number[] } };
}

export interface GalileoGoldenFile {
  cases: GalileoGoldenCase[];
}

export interface GalileoGoldenInputs {
  /** [N, T, 13] (pixel cases) or [1, H, W, T, 13] (patch cases). */
  dims: number[];
  x: Float32Array;
  mask: Float32Array;
  month: BigInt64Array;
  monthDims: [number, number];
}

const flat = (s: Stored): number[] => (s.data as unknown[]).flat(8) as number[];

export function galileoGoldenInputs(c: GalileoGoldenCase): GalileoGoldenInputs {
  const dn = flat(c.raw.s2_dn);
  const ndvi = flat(c.raw.ndvi);
  const t = c.num_timesteps;
  const positions = ndvi.length / t; // pixels x T entries, each with 10 bands
  const x = new Float32Array(positions * t * C);
  const mask = new Float32Array(positions * t * C);
  for (let i = 0; i < positions * t; i++) {
    for (let band = 0; band < 10; band++) x[i * C + 2 + band] = dn[i * 10 + band] ?? Number.NaN;
    x[i * C + 12] = ndvi[i] ?? Number.NaN;
    mask[i * C] = 1;
    mask[i * C + 1] = 1;
  }
  const pixel = c.patch_size === 1;
  const samples = pixel ? positions : 1;
  const [h = 0, w = 0] = c.raw.s2_dn.shape;
  const month = BigInt64Array.from({ length: samples * t }, (_, i) => BigInt(c.months[i % t] ?? 0));
  return {
    dims: pixel ? [samples, t, C] : [1, h, w, t, C],
    x,
    mask,
    month,
    monthDims: [samples, t],
  };
}

/** The reference output the graph reproduces: global_mean per pixel, per_patch per window. */
export function galileoExpected(c: GalileoGoldenCase): number[][] {
  const stored = c.patch_size === 1 ? c.outputs.global_mean : c.outputs.per_patch;
  const values = flat(stored);
  const dim = stored.shape[stored.shape.length - 1] ?? 128;
  return Array.from({ length: values.length / dim }, (_, r) => values.slice(r * dim, (r + 1) * dim));
}

/**
 * Largest |diff| between a patch graph's `tokens` output [N, S*T*7, 128] ((patch, date, group)
 * order, S1 included) and the golden space_time_tokens [B, h, w, T, 6, 128] (S1 omitted; for
 * case e only the samples it lists).
 */
export function tokensMaxDiff(c: GalileoGoldenCase, tokens: Float32Array): number {
  const stored = c.outputs.space_time_tokens;
  const golden = flat(stored);
  const [b = 0] = stored.shape;
  const samples = stored.samples ?? Array.from({ length: b }, (_, i) => i);
  const perSample = golden.length / b / 128 / 6; // positions x dates
  let max = 0;
  samples.forEach((sample, k) => {
    for (let st = 0; st < perSample; st++)
      for (let g = 0; g < 6; g++)
        for (let d = 0; d < 128; d++) {
          const ours = tokens[((sample * perSample + st) * 7 + g + 1) * 128 + d] ?? Number.NaN;
          const theirs = golden[((k * perSample + st) * 6 + g) * 128 + d] ?? 0;
          max = Math.max(max, Math.abs(ours - theirs));
        }
  });
  return Number.isNaN(max) ? Number.POSITIVE_INFINITY : max;
}

export { compare } from './presto-golden-cases.ts';
