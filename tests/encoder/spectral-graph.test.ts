import * as ort from 'onnxruntime-node';
import * as ortWeb from 'onnxruntime-web';
import { describe, expect, it } from 'vitest';
import rawManifest from '../../models/spectral/manifest.json';
import { buildSpectralEncoder, spectralFeatures } from '../../src/lib/encoder/spectral-graph.ts';
import { parseSpectralManifest, SPECTRAL_BANDS } from '../../src/lib/encoder/spectral-manifest.ts';
import { AppError } from '../../src/lib/errors.ts';

async function encode(bands: readonly string[], pixels: Float32Array): Promise<Float32Array> {
  const enc = buildSpectralEncoder(bands);
  const session = await ort.InferenceSession.create(enc.bytes);
  try {
    const input = new ort.Tensor('float32', pixels, [pixels.length / bands.length, bands.length]);
    const out = (await session.run({ [enc.inputName]: input }))[enc.outputName];
    expect(out?.dims).toEqual([pixels.length / bands.length, enc.dim]);
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

describe('spectral encoder', () => {
  it('(a) matches hand-computed values for blue, green, red, nir', async () => {
    const bands = ['blue', 'green', 'red', 'nir'];
    const emb = await encode(bands, Float32Array.from([0.05, 0.08, 0.06, 0.3]));
    // z = (r - mean / 10000) / (std / 10000) = (10000 r - mean) / std, Galileo mean/std in DN.
    const zBlue = (500 - 1395.3408730676722) / 917.7041440370853;
    const zGreen = (800 - 1338.4026921784578) / 913.2988423581528;
    const zRed = (600 - 1343.09883810357) / 1092.678723527555;
    const zNir = (3000 - 2410.3377187373408) / 1098.979177731649;
    const ndvi = (0.3 - 0.06) / (0.3 + 0.06);
    const ndwi = (0.08 - 0.3) / (0.08 + 0.3);
    const f = [zBlue, zGreen, zRed, zNir, ndvi, ndwi];
    const norm = Math.sqrt(zBlue ** 2 + zGreen ** 2 + zRed ** 2 + zNir ** 2 + ndvi ** 2 + ndwi ** 2);
    expect(buildSpectralEncoder(bands).featureNames).toEqual([
      'z_blue',
      'z_green',
      'z_red',
      'z_nir',
      'ndvi',
      'ndwi',
    ]);
    expect(emb).toHaveLength(6);
    expectClose(
      emb,
      f.map((v) => v / norm),
      1e-6,
    );
  });

  it('(b) ten bands give NDBI and D = 13; band order is respected', async () => {
    const enc = buildSpectralEncoder(TEN);
    expect(enc.dim).toBe(13);
    expect(enc.featureNames.slice(10)).toEqual(['ndvi', 'ndwi', 'ndbi']);
    const r = [0.04, 0.07, 0.09, 0.12, 0.18, 0.21, 0.25, 0.27, 0.32, 0.22];
    const emb = await encode(TEN, Float32Array.from(r));
    const expected = spectralFeatures(r.map(Math.fround), TEN);
    expectClose(emb, expected, 1e-6);
    // NDBI = (swir16 - nir) / (swir16 + nir), recovered by undoing the norm with the NDVI column.
    const ndvi = (0.25 - 0.09) / (0.25 + 0.09);
    const ndbi = (0.32 - 0.25) / (0.32 + 0.25);
    expect(((emb[12] ?? 0) / (emb[10] ?? 1)) * ndvi).toBeCloseTo(ndbi, 5);

    const reversed = [...TEN].reverse();
    const embRev = await encode(reversed, Float32Array.from([...r].reverse()));
    for (let i = 0; i < 10; i++) expect(embRev[9 - i]).toBeCloseTo(emb[i] ?? Number.NaN, 6);
    for (let i = 10; i < 13; i++) expect(embRev[i]).toBeCloseTo(emb[i] ?? Number.NaN, 6);
  });

  it('(c) 10,000 random pixels: unit norm and equal to spectralFeatures', async () => {
    const n = 10_000;
    const random = rng(42);
    const pixels = new Float32Array(n * TEN.length);
    for (let i = 0; i < pixels.length; i++) pixels[i] = -0.1 + 1.1 * random();
    const emb = await encode(TEN, pixels);
    let worstNorm = 0;
    let worstDiff = 0;
    for (let p = 0; p < n; p++) {
      const row = emb.subarray(p * 13, (p + 1) * 13);
      const ref = spectralFeatures(Array.from(pixels.subarray(p * 10, (p + 1) * 10)), TEN);
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
    const emb = await encode(bands, Float32Array.from(rows.flat()));
    expect(emb.every(Number.isFinite)).toBe(true);
    rows.forEach((row, p) => {
      const got = emb.subarray(p * 7, (p + 1) * 7);
      expect(Math.hypot(...got)).toBeCloseTo(1, 5);
      expectClose(got, spectralFeatures(row.map(Math.fround), bands), 1e-5);
    });

    // Reflectances equal to the (float32) means make an all-zero feature vector: the norm
    // floor keeps the output at zero instead of 0/0.
    const { mean } = parseSpectralManifest(rawManifest);
    const zero = await encode(
      ['blue', 'rededge1', 'swir22'],
      Float32Array.from([mean.blue, mean.rededge1, mean.swir22]),
    );
    expect(Array.from(zero)).toEqual([0, 0, 0]);
  });

  it('(e) rejects bad band lists with bad-input', () => {
    expect(errorCode(() => buildSpectralEncoder(['blue', 'green', 'coastal']))).toBe('bad-input');
    expect(errorCode(() => buildSpectralEncoder(['blue', 'green', 'green', 'red']))).toBe('bad-input');
    expect(errorCode(() => buildSpectralEncoder(['red', 'nir']))).toBe('bad-input');
    expect(errorCode(() => buildSpectralEncoder([]))).toBe('bad-input');
    expect(errorCode(() => spectralFeatures([0.1, 0.2], ['blue', 'green', 'red']))).toBe('bad-input');
  });

  it('runs the same bytes in onnxruntime-web (wasm) under Node', async () => {
    ortWeb.env.wasm.numThreads = 1;
    const enc = buildSpectralEncoder(['blue', 'green', 'red', 'nir']);
    const session = await ortWeb.InferenceSession.create(enc.bytes, { executionProviders: ['wasm'] });
    const input = new ortWeb.Tensor('float32', Float32Array.from([0.05, 0.08, 0.06, 0.3]), [1, 4]);
    const out = (await session.run({ [enc.inputName]: input }))[enc.outputName];
    await session.release();
    expect(out?.type).toBe('float32');
    expectClose(
      out?.data as Float32Array,
      spectralFeatures([0.05, 0.08, 0.06, 0.3].map(Math.fround), enc.bands),
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
