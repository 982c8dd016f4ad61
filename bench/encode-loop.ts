import { buildSpectralEncoder, type OrtModule, PixelEncoderSession } from '../src/lib/encoder/index.ts';
import { mulberry32 } from '../src/lib/math/index.ts';

/**
 * The spectral-encoder measurement, free of Node and DOM APIs so that onnxruntime-node (in
 * the bench process) and onnxruntime-web (in a browser worker) run exactly the same loop.
 */

export const SPECTRAL_BANDS = ['blue', 'green', 'red', 'nir'] as const;

export interface EncodeParams {
  pixels: number;
  batch: number;
  /** Timed passes over all `pixels`; the figure is the median pass. */
  runs: number;
  seed: number;
}

export interface EncodeMeasurement {
  /** InferenceSession.create of the generated model (on the web, includes WASM instantiation). */
  sessionCreateMs: number;
  /** The very first encode of one batch, before any timed pass. */
  firstRunMs: number;
  /** Wall time of each timed pass over all pixels, in order. */
  passMs: number[];
  pixels: number;
  batch: number;
  dim: number;
}

/**
 * Random L2A reflectances in [-0.02, 0.6): slightly negative values occur with the BOA
 * offset, and a uniform spread exercises every branch of the index clipping. Pre-cut into
 * batches (copies, not views) so the timed loop does nothing but encode.
 */
export function randomReflectanceBatches(params: EncodeParams, bands: number): Float32Array[] {
  const rng = mulberry32(params.seed);
  const batches: Float32Array[] = [];
  for (let start = 0; start < params.pixels; start += params.batch) {
    const count = Math.min(params.batch, params.pixels - start);
    const data = new Float32Array(count * bands);
    for (let i = 0; i < data.length; i++) data[i] = -0.02 + 0.62 * rng();
    batches.push(data);
  }
  return batches;
}

export async function measureSpectralEncode(
  ort: OrtModule,
  params: EncodeParams,
  sessionOptions: Parameters<typeof PixelEncoderSession.create>[3],
): Promise<EncodeMeasurement> {
  const encoder = buildSpectralEncoder(SPECTRAL_BANDS);
  // The input holds the bands, then the texture columns (random here, like the reflectances).
  const bands = encoder.inputWidth;
  const batches = randomReflectanceBatches(params, bands);
  const first = batches[0];
  if (!first) throw new Error('No pixels to encode.');

  const t0 = performance.now();
  const session = await PixelEncoderSession.create(
    ort,
    encoder.bytes,
    { inputName: encoder.inputName, outputName: encoder.outputName, bands, dim: encoder.dim },
    sessionOptions,
  );
  try {
    const t1 = performance.now();
    await session.encode(first, first.length / bands);
    const firstRunMs = performance.now() - t1;
    const passMs: number[] = [];
    for (let run = 0; run < params.runs; run++) {
      const start = performance.now();
      for (const batch of batches) await session.encode(batch, batch.length / bands);
      passMs.push(performance.now() - start);
    }
    return {
      sessionCreateMs: t1 - t0,
      firstRunMs,
      passMs,
      pixels: params.pixels,
      batch: params.batch,
      dim: encoder.dim,
    };
  } finally {
    await session.release();
  }
}
