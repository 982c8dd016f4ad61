import type { OrtModule } from '../src/lib/encoder/index.ts';
import {
  encodeMosaiks,
  type MosaiksPlan,
  MosaiksSession,
  mosaiksReferenceEncoder,
  planMosaiks,
  readNormalisedWindow,
  SPECTRAL_BANDS,
} from '../src/lib/encoder/index.ts';
import { mulberry32 } from '../src/lib/math/index.ts';
import type { Scene } from '../src/lib/scene/index.ts';

/**
 * The MOSAIKS measurement, free of Node and DOM APIs so that onnxruntime-node (bench process)
 * and onnxruntime-web (browser worker) run the same loop on the same scene.
 */

export interface MosaiksBenchParams {
  /** The scene is side x side pixels of all ten L2A bands. */
  side: number;
  /** Timed passes over the whole scene; the figure is the median pass. */
  runs: number;
  seed: number;
}

export interface MosaiksMeasurement {
  /** planMosaiks: band statistics, filter sampling and whitening (plain TS, same everywhere). */
  planMs: number;
  /** InferenceSession.create (on the web, includes WASM compile/instantiate); 0 for the reference. */
  sessionCreateMs: number;
  /** The very first tile, before any timed pass. */
  firstRunMs: number;
  passMs: number[];
  patches: number;
  pixels: number;
  dim: number;
}

/**
 * A side x side scene of the ten L2A bands: smooth random fields (sums of a few random
 * sinusoids per band, reflectance 0.02..0.5) plus pixel noise, all valid. The convolution's
 * cost does not depend on the values; the structure only keeps the filter whitening realistic.
 */
export function syntheticMosaiksScene(side: number, seed: number): Scene {
  const rng = mulberry32(seed);
  const pixels = side * side;
  const reflectance = SPECTRAL_BANDS.map(() => {
    const waves = Array.from({ length: 4 }, () => ({
      fx: (rng() * 2 * Math.PI) / 40,
      fy: (rng() * 2 * Math.PI) / 40,
      phase: rng() * 2 * Math.PI,
    }));
    const band = new Float32Array(pixels);
    for (let r = 0; r < side; r++) {
      for (let c = 0; c < side; c++) {
        let v = 0;
        for (const w of waves) v += Math.sin(w.fx * c + w.fy * r + w.phase);
        band[r * side + c] = 0.26 + 0.05 * v + 0.02 * (rng() - 0.5);
      }
    }
    return band;
  });
  return {
    id: `synthetic-${side}`,
    title: 'Synthetic 10-band scene',
    datetime: '2022-06-15T10:00:00Z',
    source: 'files',
    grid: {
      width: side,
      height: side,
      epsg: 32632,
      transform: { originX: 0, originY: 0, resX: 10, resY: 10 },
    },
    bands: [...SPECTRAL_BANDS],
    reflectance,
    valid: new Uint8Array(pixels).fill(1),
    validFraction: 1,
    maskDescription: 'synthetic, all valid',
  };
}

/** Plans MOSAIKS with the manifest's defaults (K = 64, k = 3, pool = stride = 4). */
function plan(scene: Scene): { plan: MosaiksPlan; planMs: number } {
  const t0 = performance.now();
  const result = planMosaiks(scene);
  return { plan: result, planMs: performance.now() - t0 };
}

/** Patches per second of the measurement's median pass. */
export function patchesPerSecond(m: MosaiksMeasurement): number {
  const sorted = [...m.passMs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return m.patches / (median / 1000);
}

/** Full passes of encodeMosaiks through an ONNX session on `ort` (node or web). */
export async function measureMosaiksOrt(
  ort: OrtModule,
  params: MosaiksBenchParams,
  sessionOptions: Parameters<typeof MosaiksSession.create>[3],
): Promise<MosaiksMeasurement> {
  const scene = syntheticMosaiksScene(params.side, params.seed);
  const { plan: p, planMs } = plan(scene);
  const t0 = performance.now();
  const session = await MosaiksSession.create(ort, p.filters, p.params, sessionOptions);
  try {
    const t1 = performance.now();
    // One tile of 64 x 64 patches, the default tile at the default K and stride.
    const side = Math.min(params.side, 63 * p.params.stride + p.params.pool + p.params.kernel - 1);
    await session.encodeTile(
      readNormalisedWindow(p.input, 0, 0, side, side),
      p.input.bands.length,
      side,
      side,
    );
    const firstRunMs = performance.now() - t1;
    const passMs: number[] = [];
    let patches = 0;
    for (let run = 0; run < params.runs; run++) {
      const start = performance.now();
      const { grid } = await encodeMosaiks(scene, p, session);
      passMs.push(performance.now() - start);
      patches = grid.width * grid.height;
    }
    return {
      planMs,
      sessionCreateMs: t1 - t0,
      firstRunMs,
      passMs,
      patches,
      pixels: params.side ** 2,
      dim: p.dim,
    };
  } finally {
    await session.release();
  }
}

/** One pass of the plain-TS reference through the same tiling, on the same scene. */
export async function measureMosaiksReference(params: MosaiksBenchParams): Promise<MosaiksMeasurement> {
  const scene = syntheticMosaiksScene(params.side, params.seed);
  const { plan: p, planMs } = plan(scene);
  const start = performance.now();
  const { grid } = await encodeMosaiks(scene, p, mosaiksReferenceEncoder(p.filters, p.params));
  const passMs = [performance.now() - start];
  return {
    planMs,
    sessionCreateMs: 0,
    firstRunMs: 0,
    passMs,
    patches: grid.width * grid.height,
    pixels: params.side ** 2,
    dim: p.dim,
  };
}
