import * as ort from 'onnxruntime-node';
import * as ortWeb from 'onnxruntime-web';
import { describe, expect, it } from 'vitest';
import rawManifest from '../../models/spectral/manifest.json';
import { buildSpectralEncoder, spectralFeatures } from '../../src/lib/encoder/spectral-graph.ts';
import { parseSpectralManifest, SPECTRAL_BANDS } from '../../src/lib/encoder/spectral-manifest.ts';
import { AppError } from '../../src/lib/errors.ts';

/** Encodes pixels given as reflectances per band plus their texture columns (std 3x3, 7x7). */
async function encode(
  bands: readonly string[],
  pixels: Float32Array,
  texture?: Float32Array,
): Promise<Float32Array> {
  const enc = buildSpectralEncoder(bands);
  const n = pixels.length / bands.length;
  const input = new Float32Array(n * enc.inputWidth);
  for (let p = 0; p < n; p++) {
    input.set(pixels.subarray(p * bands.length, (p + 1) * bands.length), p * enc.inputWidth);
    input[p * enc.inputWidth + bands.length] = texture?.[p * 2] ?? 0.05;
    input[p * enc.inputWidth + bands.length + 1] = texture?.[p * 2 + 1] ?? 0.1;
  }
  const session = await ort.InferenceSession.create(enc.bytes);
  try {
    const tensor = new ort.Tensor('float32', input, [n, enc.inputWidth]);
    const out = (await session.run({ [enc.inputName]: tensor }))[enc.outputName];
    expect(out?.dims).toEqual([n, enc.dim]);
    return out?.data as Float32Array;
  } finally {
    await session.release();
  }
}

function errorCode(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof AppError) return error.code;
    throw error;
  }
  return 'no error';
}

function expectClose(actual: ArrayLike<number>, expected: readonly number[], tolerance: number): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    expect(Math.abs((actual[i] ?? Number.NaN) - (expected[i] ?? Number.NaN))).toBeLessThan(tolerance);
  }
}

/** Deterministic PRNG (mulberry32) so failures reproduce. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TEN = [...SPECTRAL_BANDS];

const TEX = [0.05, 0.1];

describe('spectral encoder', () => {
  it('(a) matches hand-computed values for blue, green, red, nir', async () => {
    const bands = ['blue', 'green', 'red', 'nir'];
    const r = [0.05, 0.08, 0.06, 0.3];
    const emb = await encode(bands, Float32Array.from(r));
    // Log-normal location/scale from the Galileo mean/std (DN): s2 = ln(1 + (std/mean)^2).
    const stats: [number, number][] = [
      [1395.3408730676722, 917.7041440370853],
      [1338.4026921784578, 913.2988423581528],
      [1343.09883810357, 1092.678723527555],
      [2410.3377187373408, 1098.979177731649],
    ];
    const zlog = stats.map(([m, s], i) => {
      const s2 = Math.log(1 + (s / m) ** 2);
      return (Math.log(Math.fround(r[i]!)) - (Math.log(m / 10000) - s2 / 2)) / Math.sqrt(s2);
    });
    const nd = (x: number, y: number) => 2 * ((x - y) / (x + y));
    const [b, g, red, nir] = r.map(Math.fround) as [number, number, number, number];
    // Pairs in band order; NDVI (nir, red) and NDWI (green, nir) keep their usual orientation.
    const pairs = [nd(b, g), nd(b, red), nd(b, nir), nd(g, red), nd(g, nir), nd(nir, red)];
    const tex = TEX.map((t) => Math.log(Math.fround(t) + 0.02) + 2);
    const f = [...zlog, ...pairs, 1, ...tex];
    const norm = Math.hypot(...f);
    expect(buildSpectralEncoder(bands).featureNames).toEqual([
      'zlog_blue',
      'zlog_green',
      'zlog_red',
      'zlog_nir',
      'nd_blue_green',
      'nd_blue_red',
      'nd_blue_nir',
      'nd_green_red',
      'ndwi',
      'ndvi',
      'bias',
      'texture_3x3',
      'texture_7x7',
    ]);
    expect(emb).toHaveLength(13);
    expectClose(
      emb,
      f.map((v) => v / norm),
      1e-6,
    );
  });

  it('(b) ten bands: 10 + 45 pairs + bias + 2 texture = 58 features; band order is respected', async () => {
    const enc = buildSpectralEncoder(TEN);
    expect(enc.dim).toBe(58);
    expect(enc.inputWidth).toBe(12);
    expect(enc.featureNames).toEqual(expect.arrayContaining(['ndvi', 'ndwi', 'ndbi', 'bias']));
    const r = [0.04, 0.07, 0.09, 0.12, 0.18, 0.21, 0.25, 0.27, 0.32, 0.22];
    const emb = await encode(TEN, Float32Array.from(r));
    expectClose(emb, spectralFeatures(r.map(Math.fround), TEN, TEX.map(Math.fround)), 1e-6);
    // NDBI = (swir16 - nir) / (swir16 + nir), recovered against the bias column (1 before the norm).
    const bias = emb[enc.featureNames.indexOf('bias')] ?? 0;
    const ndbi = (0.32 - 0.25) / (0.32 + 0.25);
    expect((emb[enc.featureNames.indexOf('ndbi')] ?? 0) / bias / 2).toBeCloseTo(ndbi, 5);

    const reversed = [...TEN].reverse();
    const embRev = await encode(reversed, Float32Array.from([...r].reverse()));
    const revNames = buildSpectralEncoder(reversed).featureNames;
    enc.featureNames.forEach((name, i) => {
      // Pairs without a named index flip their name with the order (nd_a_b <-> nd_b_a) and sign.
      const flipped = name.replace(/^nd_(\w+?)_(\w+)$/, 'nd_$2_$1');
      const j = revNames.indexOf(name) >= 0 ? revNames.indexOf(name) : revNames.indexOf(flipped);
      const sign = revNames.indexOf(name) >= 0 ? 1 : -1;
      expect(sign * (embRev[j] ?? Number.NaN)).toBeCloseTo(emb[i] ?? Number.NaN, 6);
    });
  });

  it('(c) 10,000 random pixels: unit norm and equal to spectralFeatures', async () => {
    const n = 10_000;
    const random = rng(42);
    const pixels = new Float32Array(n * TEN.length);
    for (let i = 0; i < pixels.length; i++) pixels[i] = -0.1 + 1.1 * random();
    const texture = Float32Array.from({ length: n * 2 }, () => random() * 1.5);
    const emb = await encode(TEN, pixels, texture);
    let worstNorm = 0;
    let worstDiff = 0;
    for (let p = 0; p < n; p++) {
      const row = emb.subarray(p * 58, (p + 1) * 58);
      const ref = spectralFeatures(
        Array.from(pixels.subarray(p * 10, (p + 1) * 10)),
        TEN,
        Array.from(texture.subarray(p * 2, p * 2 + 2)),
      );
      worstNorm = Math.max(worstNorm, Math.abs(Math.hypot(...row) - 1));
      ref.forEach((v, i) => {
        worstDiff = Math.max(worstDiff, Math.abs((row[i] ?? Number.NaN) - v));
      });
    }
    expect(worstNorm).toBeLessThan(1e-5);
    expect(worstDiff).toBeLessThan(1e-5);
  });

  it('(d) zero and negative reflectances stay finite', async () => {
    const bands = ['green', 'red', 'nir', 'swir16'];
    const rows = [
      [0, 0, 0, 0],
      [-0.1, -0.1, -0.1, -0.1],
      [0.02, -0.05, 0.05, -0.05], // red + nir = 0, nir + swir16 = 0
      [-0.02, -0.01, -0.001, 0], // every a + b negative
      [1e-9, 0, -1e-9, 0],
    ];
    const emb = await encode(bands, Float32Array.from(rows.flat()), new Float32Array(rows.length * 2));
    expect(emb.every(Number.isFinite)).toBe(true);
    rows.forEach((row, p) => {
      const got = emb.subarray(p * 13, (p + 1) * 13);
      expect(Math.hypot(...got)).toBeCloseTo(1, 5);
      expectClose(got, spectralFeatures(row.map(Math.fround), bands, [0, 0]), 1e-5);
    });
  });

  it('(d2) brightness counts: a pixel twice as bright with the same band ratios is a different embedding', async () => {
    const bands = ['blue', 'green', 'red', 'nir'];
    const dark = [0.02, 0.03, 0.025, 0.1];
    const emb = await encode(bands, Float32Array.from([...dark, ...dark.map((v) => v * 2)]));
    const a = emb.subarray(0, 13);
    const b = emb.subarray(13, 26);
    let dot = 0;
    for (let i = 0; i < 13; i++) dot += (a[i] ?? 0) * (b[i] ?? 0);
    // The first design gave these two 0.98+; the log z-scores and the bias coordinate keep them apart.
    expect(dot).toBeLessThan(0.95);
  });

  it('(e) rejects bad band lists with bad-input', () => {
    expect(errorCode(() => buildSpectralEncoder(['blue', 'green', 'coastal']))).toBe('bad-input');
    expect(errorCode(() => buildSpectralEncoder(['blue', 'green', 'green', 'red']))).toBe('bad-input');
    expect(errorCode(() => buildSpectralEncoder(['red', 'nir']))).toBe('bad-input');
    expect(errorCode(() => buildSpectralEncoder([]))).toBe('bad-input');
    expect(errorCode(() => spectralFeatures([0.1, 0.2], ['blue', 'green', 'red'], TEX))).toBe('bad-input');
    expect(errorCode(() => spectralFeatures([0.1, 0.2, 0.3], ['blue', 'green', 'red'], [0.1]))).toBe(
      'bad-input',
    );
  });

  it('runs the same bytes in onnxruntime-web (wasm) under Node', async () => {
    ortWeb.env.wasm.numThreads = 1;
    const enc = buildSpectralEncoder(['blue', 'green', 'red', 'nir']);
    const session = await ortWeb.InferenceSession.create(enc.bytes, { executionProviders: ['wasm'] });
    const input = new ortWeb.Tensor('float32', Float32Array.from([0.05, 0.08, 0.06, 0.3, ...TEX]), [1, 6]);
    const out = (await session.run({ [enc.inputName]: input }))[enc.outputName];
    await session.release();
    expect(out?.type).toBe('float32');
    expectClose(
      out?.data as Float32Array,
      spectralFeatures([0.05, 0.08, 0.06, 0.3].map(Math.fround), enc.bands, TEX.map(Math.fround)),
      1e-6,
    );
  });

  it('validates the manifest', () => {
    const manifest = parseSpectralManifest(rawManifest);
    expect(manifest.input.bands).toEqual(TEN);
    expect(manifest.mean.nir).toBeCloseTo(2410.3377187373408 / 10000, 12);
    const broken = structuredClone(rawManifest) as { normalisation: { std: Record<string, number> } };
    broken.normalisation.std.red = 0;
    expect(errorCode(() => parseSpectralManifest(broken))).toBe('model');
  });
});
