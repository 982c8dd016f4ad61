import { type WeightDtype, WeightStore } from '../models/convert/weight-store.ts';
import {
  buildPrestoSeriesInputs,
  type GalileoInputs,
  GalileoSession,
  galileoInputsFromPresto,
  type PrestoInputs,
  type PrestoOrt,
  PrestoSession,
  SPECTRAL_BANDS,
  type SpectralBand,
  slicePrestoInputs,
} from '../src/lib/encoder/index.ts';
import { mulberry32 } from '../src/lib/math/index.ts';
import { GraphBuilder } from '../src/lib/onnx/index.ts';

/**
 * Galileo-nano against Presto on the same inputs, and both against a matrix-multiply
 * roofline measured by the same ORT build in the same worker. Free of Node and DOM APIs so
 * onnxruntime-node (bench process) and onnxruntime-web (browser worker) run the same loop.
 */

export interface GalileoParams {
  pixels: number;
  batch: number;
  /** Dates per pixel (1 = a single scene, 12 = yearly mode). */
  steps: number;
  runs: number;
  seed: number;
  warmupMs: number;
}

export interface ModelRun {
  sessionCreateMs: number;
  firstBatchMs: number;
  passMs: number[];
}

/** The roofline with the attention products at one family's token count: its rows and GFLOP/s. */
export interface AttentionRoofline {
  rows: number;
  gflops: number;
}

export interface GalileoMeasurement {
  galileo: ModelRun;
  presto: ModelRun;
  /** float32 GFLOP/s of a MatMul-only graph at the transformer's GEMM shapes (median pass). */
  rooflineGflops: number;
  /**
   * The same with the attention's two matrix products per block ([L, 16] x [16, L] and
   * [L, L] x [L, 16] per head) at each family's token count L: every matrix multiply the
   * model does, as MFU accounting counts them.
   */
  attentionRoofline: { galileo: AttentionRoofline; presto: AttentionRoofline };
  /**
   * Creating the worker's first session (the roofline graph's): the runtime's own start-up
   * (onnxruntime-web compiles and instantiates its WASM module here). Timed apart, so that it
   * is not charged to whichever model is opened first.
   */
  runtimeInitMs: number;
  rooflineRows: number;
  pixels: number;
}

/** Tokens per pixel after compaction, Sentinel-2 only: 5 S2 groups + NDVI per date. */
export const galileoTokens = (steps: number): number => 6 * steps;
/** Presto: the same 6 per date plus the lat/lon token. */
export const prestoTokens = (steps: number): number => 6 * steps + 1;

/** Multiply-adds of one token through one block's projections: q, k, v, proj, fc1, fc2. */
export const BLOCK_MACS = 4 * 128 * 128 + 2 * 128 * 512;

/** GEMM FLOPs per pixel (2 per multiply-add): what the roofline graph measures per row. */
export function galileoGemmFlops(steps: number): number {
  // 4 blocks over every token, plus the patch projection [13] x [13, 7 * 128] per date.
  return 2 * (4 * BLOCK_MACS * galileoTokens(steps) + steps * 13 * 7 * 128);
}
/** FLOPs per pixel of one block's attention products: 2 products x 8 heads x L x L x 16 MACs. */
export const attentionFlops = (tokens: number): number => 2 * 2 * 8 * tokens * tokens * 16;
/** Every matrix product per pixel: the GEMMs and the attention products (4 blocks, 2 for Presto). */
export const galileoMatmulFlops = (steps: number): number =>
  galileoGemmFlops(steps) + 4 * attentionFlops(galileoTokens(steps));
export const prestoMatmulFlops = (steps: number): number =>
  prestoGemmFlops(steps) + 2 * attentionFlops(prestoTokens(steps));
/** FLOPs of one pass of the roofline graph with the attention products, per sample of L tokens. */
export const attentionRooflineFlops = (tokens: number): number =>
  2 * tokens * BLOCK_MACS + attentionFlops(tokens);

export function prestoGemmFlops(steps: number): number {
  const l = prestoTokens(steps);
  // 2 blocks; the last fc2 runs once on the mean, not per token (presto-blocks.ts).
  return 2 * (2 * BLOCK_MACS * l - 128 * 512 * (l - 1));
}

/** Random L2A reflectances in [0, 0.6) for all ten bands, `steps` dates, cut into batches. */
export function randomSeriesBatches(params: GalileoParams): PrestoInputs[] {
  const rng = mulberry32(params.seed);
  const steps = Array.from({ length: params.steps }, (_, t) => {
    const bands: Partial<Record<SpectralBand, Float32Array>> = {};
    for (const band of SPECTRAL_BANDS)
      bands[band] = Float32Array.from({ length: params.pixels }, () => 0.6 * rng());
    return { bands, month: t % 12 };
  });
  const latlons = Float32Array.from(
    { length: 2 * params.pixels },
    (_, i) => (i % 2 ? 12.1 : 46.5) + 0.1 * rng(),
  );
  const all = buildPrestoSeriesInputs(params.pixels, latlons, steps);
  const out: PrestoInputs[] = [];
  for (let start = 0; start < params.pixels; start += params.batch) {
    const v = slicePrestoInputs(all, start, Math.min(params.pixels, start + params.batch));
    out.push({
      ...v,
      x: v.x.slice(),
      mask: v.mask.slice(),
      dynamicWorld: v.dynamicWorld.slice(),
      latlons: v.latlons.slice(),
      month: v.month.slice(),
    });
  }
  return out;
}

export interface Timed {
  /** One timed unit of work (a pass over all batches, or one roofline run). */
  pass(): Promise<void>;
  release(): Promise<void>;
}

/** Opens a model's session, times its creation and first batch; its pass encodes every batch. */
export async function openModel<I>(
  open: () => Promise<{ encode(i: I): Promise<Float32Array>; release(): Promise<void> }>,
  batches: readonly I[],
): Promise<Timed & { sessionCreateMs: number; firstBatchMs: number }> {
  const t0 = performance.now();
  const session = await open();
  const sessionCreateMs = performance.now() - t0;
  const first = batches[0];
  if (!first) throw new Error('No pixels to encode.');
  const t1 = performance.now();
  await session.encode(first);
  const firstBatchMs = performance.now() - t1;
  return {
    sessionCreateMs,
    firstBatchMs,
    pass: async () => {
      for (const b of batches) await session.encode(b);
    },
    release: () => session.release(),
  };
}

/**
 * Warms every contender up, then times them in turn, round after round, so that all of them
 * see the same load (the bench machine is shared): medians of `runs` rounds.
 */
export async function interleaved(
  contenders: readonly Timed[],
  params: GalileoParams,
  clock: () => number = () => performance.now(),
): Promise<number[][]> {
  const t0 = performance.now();
  do for (const c of contenders) await c.pass();
  while (performance.now() - t0 < params.warmupMs);
  const times = contenders.map((): number[] => []);
  for (let r = 0; r < params.runs; r++) {
    for (const [i, c] of contenders.entries()) {
      const s = clock();
      await c.pass();
      times[i]?.push(clock() - s);
    }
  }
  return times;
}

/**
 * x [M, 128] through one block's GEMMs in sequence (4 x 128x128, 128x512, 512x128), nothing
 * else; `int8` as the int8 graphs run them (activations quantised per call, integer MatMuls).
 * With `tokens` (L), then also the block's attention products on its output viewed as
 * [M / L, 8, L, 16] (queries, values) and [M / L, 8, 16, L] (keys): Reshapes are views in ORT,
 * so the graph is still matrix products only.
 */
export function buildGemmRoofline(seed: number, dtype: WeightDtype = 'fp32', tokens = 0): Uint8Array {
  const rng = mulberry32(seed);
  const b = new GraphBuilder('gemm_roofline');
  const store = new WeightStore(b, dtype);
  let x = b.input('x', 'float32', ['M', 128]);
  const shapes: [number, number][] = [
    [128, 128],
    [128, 128],
    [128, 128],
    [128, 128],
    [128, 512],
    [512, 128],
  ];
  for (const [i, [rows, cols]] of shapes.entries()) {
    // Scaled so values stay O(1) through the chain (no denormals or overflow to skew timing).
    const w = Float32Array.from({ length: rows * cols }, () => (rng() - 0.5) * (3.4 / Math.sqrt(rows)));
    x = store.matmul(x, `w${i}`, w, rows, cols);
  }
  if (tokens > 0) {
    const heads = b.op('Reshape', [x, b.int64s('heads', [-1, 8, tokens, 16])]);
    const keys = b.op('Reshape', [x, b.int64s('keys', [-1, 8, 16, tokens])]);
    // No softmax or scale (not matrix products): O(1) rows give scores of O(4) and outputs of
    // O(30), far from overflow and denormals.
    const scores = b.op('MatMul', [heads, keys]);
    x = b.op('Reshape', [b.op('MatMul', [scores, heads]), b.int64s('rows', [-1, 128])]);
  }
  b.node('Identity', [x], ['y']);
  b.output('y', 'float32', ['M', 128]);
  return b.toModel({ opset: 17, docString: 'GEMM roofline at the transformers’ shapes (bench only).' });
}

/** The roofline graph on [rows, 128] random rows, as a contender (one run per pass). */
export async function openRoofline(
  ort: PrestoOrt,
  rows: number,
  seed: number,
  options: Parameters<typeof PrestoSession.create>[2],
  dtype: WeightDtype = 'fp32',
  tokens = 0,
): Promise<Timed & { createMs: number }> {
  const t0 = performance.now();
  const session = await ort.InferenceSession.create(buildGemmRoofline(seed, dtype, tokens), options);
  const createMs = performance.now() - t0;
  const rng = mulberry32(seed + 1);
  const data = Float32Array.from({ length: rows * 128 }, () => rng() - 0.5);
  return {
    createMs,
    pass: async () => {
      const x = new ort.Tensor('float32', data, [rows, 128]);
      const out = await session.run({ x });
      for (const t of Object.values(out)) t.dispose();
      x.dispose();
    },
    release: () => session.release(),
  };
}

export async function measureGalileoVsPresto(
  ort: PrestoOrt,
  models: { galileo: Uint8Array; presto: Uint8Array },
  params: GalileoParams,
  options: Parameters<typeof PrestoSession.create>[2],
): Promise<GalileoMeasurement> {
  const prestoBatches = randomSeriesBatches(params);
  const galileoBatches: GalileoInputs[] = prestoBatches.map(galileoInputsFromPresto);
  // The roofline's rows: the token rows of one Galileo batch, the M of its GEMMs. Opened first:
  // its creation carries the runtime's start-up, which the models' creation times then exclude.
  const rooflineRows = params.batch * galileoTokens(params.steps);
  const roofline = await openRoofline(ort, rooflineRows, params.seed, options);
  const galileo = await openModel(() => GalileoSession.create(ort, models.galileo, options), galileoBatches);
  const presto = await openModel(() => PrestoSession.create(ort, models.presto, options), prestoBatches);
  // With the attention products, at each family's own token count (Presto has one more).
  const galileoL = galileoTokens(params.steps);
  const prestoL = prestoTokens(params.steps);
  const withAttention = [
    await openRoofline(ort, params.batch * galileoL, params.seed, options, 'fp32', galileoL),
    await openRoofline(ort, params.batch * prestoL, params.seed, options, 'fp32', prestoL),
  ];
  const contenders = [galileo, presto, roofline, ...withAttention];
  try {
    const [g = [], p = [], r = [], ga = [], pa = []] = await interleaved(contenders, params);
    const median = (t: number[]) => [...t].sort((x, y) => x - y)[t.length >> 1] ?? Number.NaN;
    const rooflineMs = median(r);
    const attentionRoofline = (L: number, passes: number[]): AttentionRoofline => ({
      rows: params.batch * L,
      gflops: (params.batch * attentionRooflineFlops(L)) / (median(passes) / 1000) / 1e9,
    });
    const run = (m: typeof galileo, passMs: number[]): ModelRun => ({
      sessionCreateMs: m.sessionCreateMs,
      firstBatchMs: m.firstBatchMs,
      passMs,
    });
    return {
      galileo: run(galileo, g),
      presto: run(presto, p),
      rooflineGflops: (2 * rooflineRows * BLOCK_MACS) / (rooflineMs / 1000) / 1e9,
      attentionRoofline: {
        galileo: attentionRoofline(galileoL, ga),
        presto: attentionRoofline(prestoL, pa),
      },
      rooflineRows,
      runtimeInitMs: roofline.createMs,
      pixels: params.pixels,
    };
  } finally {
    for (const c of contenders) await c.release();
  }
}
