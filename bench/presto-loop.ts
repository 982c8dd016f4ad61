import {
  buildPrestoSceneInputs,
  type PrestoInputs,
  type PrestoOrt,
  PrestoSession,
  SPECTRAL_BANDS,
  type SpectralBand,
  slicePrestoInputs,
} from '../src/lib/encoder/index.ts';
import { mulberry32 } from '../src/lib/math/index.ts';

/**
 * The Presto measurement, free of Node and DOM APIs so that onnxruntime-node (bench process)
 * and onnxruntime-web (browser worker) run exactly the same loop on the same pixels.
 */

export interface PrestoParams {
  pixels: number;
  batch: number;
  /** Timed passes over all `pixels`; the figure is the median pass. */
  runs: number;
  seed: number;
  /**
   * Untimed passes over all pixels run first, at least one and until this long has passed.
   * V8 starts WebAssembly on its baseline compiler and swaps in optimised code for hot
   * functions in the background: the first seconds of an ORT WASM session run at a third of
   * its steady speed or less, longer on the bigger JSEP build. Node's native code needs no
   * warm-up; it gets the same loop so that both measure steady-state throughput.
   */
  warmupMs: number;
}

export interface PrestoMeasurement {
  /** InferenceSession.create (on the web, includes WASM compile/instantiate). */
  sessionCreateMs: number;
  /** The very first encode of one batch, before any timed pass. */
  firstRunMs: number;
  /** The untimed warm-up passes after the first run (see PrestoParams.warmupMs). */
  warmupPasses: number;
  warmupMs: number;
  passMs: number[];
  pixels: number;
  batch: number;
}

/**
 * T = 1 inputs as the app builds them for one scene: all ten L2A bands (random reflectances
 * in [0, 0.6)), pixel centres around the Dolomites, June. Pre-cut into batches (copies) so the
 * timed loop does nothing but encode.
 */
export function randomPrestoBatches(params: PrestoParams): PrestoInputs[] {
  const rng = mulberry32(params.seed);
  const bands: Partial<Record<SpectralBand, Float32Array>> = {};
  for (const band of SPECTRAL_BANDS)
    bands[band] = Float32Array.from({ length: params.pixels }, () => 0.6 * rng());
  const latlons = Float32Array.from(
    { length: 2 * params.pixels },
    (_, i) => (i % 2 ? 12.1 : 46.5) + 0.1 * rng(),
  );
  const all = buildPrestoSceneInputs(params.pixels, latlons, { bands, month: 5 });
  const batches: PrestoInputs[] = [];
  for (let start = 0; start < params.pixels; start += params.batch) {
    const view = slicePrestoInputs(all, start, Math.min(params.pixels, start + params.batch));
    batches.push({
      ...view,
      x: view.x.slice(),
      mask: view.mask.slice(),
      dynamicWorld: view.dynamicWorld.slice(),
      latlons: view.latlons.slice(),
      month: view.month.slice(),
    });
  }
  return batches;
}

export async function measurePrestoEncode(
  ort: PrestoOrt,
  model: Uint8Array,
  params: PrestoParams,
  sessionOptions: Parameters<typeof PrestoSession.create>[2],
): Promise<PrestoMeasurement> {
  const batches = randomPrestoBatches(params);
  const first = batches[0];
  if (!first) throw new Error('No pixels to encode.');
  const t0 = performance.now();
  const session = await PrestoSession.create(ort, model, sessionOptions);
  try {
    const t1 = performance.now();
    await session.encode(first);
    const firstRunMs = performance.now() - t1;
    const t2 = performance.now();
    let warmupPasses = 0;
    do {
      for (const batch of batches) await session.encode(batch);
      warmupPasses++;
    } while (performance.now() - t2 < params.warmupMs);
    const warmupMs = performance.now() - t2;
    const passMs: number[] = [];
    for (let run = 0; run < params.runs; run++) {
      const start = performance.now();
      for (const batch of batches) await session.encode(batch);
      passMs.push(performance.now() - start);
    }
    return {
      sessionCreateMs: t1 - t0,
      firstRunMs,
      warmupPasses,
      warmupMs,
      passMs,
      pixels: params.pixels,
      batch: params.batch,
    };
  } finally {
    await session.release();
  }
}
