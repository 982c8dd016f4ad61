/**
 * A/B of converter graph variants in onnxruntime-web's WASM build (the app's CPU path; Node runs
 * the same .wasm as Chromium), 1 thread, each timed in turn with the GEMM roofline so that all
 * see the same load: `npx tsx scripts/galileo-ab.ts [--steps 1] [--batch 256] [--runs 7]
 * [--compare stream|gelu] [--dtype fp32|fp16|int8]`.
 * Times are this process's CPU time (robust to other jobs on a shared machine, unlike wall time).
 * Prints pixels/s and the fraction of the roofline per variant (what `npm run bench` reports
 * in Chromium for the shipped graphs), and the op types ORT's optimizer leaves in each graph.
 */
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import onnxProto from 'onnx-proto';
import * as ortNode from 'onnxruntime-node';
import * as ort from 'onnxruntime-web';
import {
  attentionRooflineFlops,
  BLOCK_MACS,
  galileoGemmFlops,
  galileoMatmulFlops,
  galileoTokens,
  interleaved,
  openModel,
  openRoofline,
  prestoGemmFlops,
  prestoMatmulFlops,
  prestoTokens,
  randomSeriesBatches,
  type Timed,
} from '../bench/galileo-loop.ts';
import { buildGalileoPixelOnnx } from '../models/convert/galileo-graph.ts';
import { buildPrestoOnnx } from '../models/convert/presto-graph.ts';
import { readTorchCheckpoint } from '../models/convert/torch-checkpoint.ts';
import type { WeightDtype } from '../models/convert/weight-store.ts';
import { GalileoSession, galileoInputsFromPresto, PrestoSession } from '../src/lib/encoder/index.ts';

const { values } = parseArgs({
  options: {
    steps: { type: 'string', default: '1' },
    batch: { type: 'string', default: '256' },
    runs: { type: 'string', default: '31' },
    only: { type: 'string', default: '' },
    compare: { type: 'string', default: 'stream' },
    dtype: { type: 'string', default: 'fp32' },
  },
});
const steps = Number(values.steps);
const batch = Number(values.batch);
const params = { pixels: batch, batch, steps, runs: Number(values.runs), seed: 17, warmupMs: 3000 };

const galileoWeights = readTorchCheckpoint(readFileSync(resolve('../shared/models/galileo-nano/encoder.pt')));
const prestoWeights = readTorchCheckpoint(readFileSync(resolve('../shared/models/presto/default_model.pt')));
type Variant = { name: string; family: 'galileo' | 'presto'; bytes: Uint8Array };
// `--compare stream`: LayerNorm against the mean-free stream's RMS norm; `--compare gelu`: the
// exact GELU against its tanh form (what the int8 graphs use), both in `--dtype`.
const DTYPES: readonly WeightDtype[] = ['fp32', 'fp16', 'int8'];
const dtype = DTYPES.find((d) => d === values.dtype);
if (!dtype) throw new Error(`--dtype must be one of ${DTYPES.join(', ')} (got ${values.dtype}).`);
if (!['stream', 'gelu'].includes(values.compare))
  throw new Error(`--compare must be stream or gelu (got ${values.compare}).`);
const forms =
  values.compare === 'gelu'
    ? [
        { tag: 'erf', options: { gelu: 'erf' as const } },
        { tag: 'tanh', options: { gelu: 'tanh' as const } },
      ]
    : [
        { tag: 'layer', options: { streamNorm: 'layer' as const } },
        { tag: 'rms', options: { streamNorm: 'rms' as const } },
      ];
const all: Variant[] = [
  ...forms.map((f) => ({
    name: `galileo ${f.tag}`,
    family: 'galileo' as const,
    bytes: buildGalileoPixelOnnx(galileoWeights, dtype, f.options),
  })),
  ...forms.map((f) => ({
    name: `presto ${f.tag}`,
    family: 'presto' as const,
    bytes: buildPrestoOnnx(prestoWeights, dtype, f.options),
  })),
];
const variants = all.filter((v) => !values.only || v.name.includes(values.only));

/** Op types after onnxruntime-node's optimizer (level all, CPU EP), counted. */
async function optimisedOps(bytes: Uint8Array): Promise<string> {
  // The OS temp dir: a fresh clone has no build/ folder.
  const path = join(tmpdir(), `galileo-ab-${process.pid}.onnx`);
  const s = await ortNode.InferenceSession.create(bytes, {
    graphOptimizationLevel: 'all',
    optimizedModelFilePath: path,
    intraOpNumThreads: 1,
    logSeverityLevel: 3,
  });
  await s.release();
  const graph = onnxProto.onnx.ModelProto.decode(readFileSync(path)).graph;
  rmSync(path);
  const counts = new Map<string, number>();
  for (const n of graph?.node ?? []) counts.set(n.opType ?? '', (counts.get(n.opType ?? '') ?? 0) + 1);
  return [...counts].map(([op, n]) => `${op} ${n}`).join(', ');
}

ort.env.wasm.numThreads = 1;
const options = { graphOptimizationLevel: 'all' as const };
const prestoBatches = randomSeriesBatches(params);
const galileoBatches = prestoBatches.map(galileoInputsFromPresto);
const rows = batch * galileoTokens(steps);
// The roofline in the variants' own dtype: int8 graphs against integer GEMMs.
const rooflineDtype = dtype === 'int8' ? 'int8' : 'fp32';
const roofline = await openRoofline(ort, rows, 17, options, rooflineDtype);
// The same with the attention products at each family's token count (what `npm run bench` reports).
const tokens = { galileo: galileoTokens(steps), presto: prestoTokens(steps) };
const withAttention = {
  galileo: await openRoofline(ort, batch * tokens.galileo, 17, options, rooflineDtype, tokens.galileo),
  presto: await openRoofline(ort, batch * tokens.presto, 17, options, rooflineDtype, tokens.presto),
};
const contenders: Timed[] = [roofline, withAttention.galileo, withAttention.presto];
const FIRST_MODEL = contenders.length;
for (const v of variants) {
  console.log(`${v.name}: ${await optimisedOps(v.bytes)}`);
  contenders.push(
    v.family === 'galileo'
      ? await openModel(() => GalileoSession.create(ort, v.bytes, options), galileoBatches)
      : await openModel(() => PrestoSession.create(ort, v.bytes, options), prestoBatches),
  );
}
// Process CPU time, not wall time: the machine is shared, and ORT's WASM runs on this thread.
const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const times = await interleaved(contenders, params, cpuMs);
const median = (t: number[]): number => [...t].sort((a, b) => a - b)[t.length >> 1] ?? Number.NaN;
const rooflineTimes = times[0] ?? [];
const gemmFlops = 2 * rows * BLOCK_MACS;
console.log(
  `T = ${steps}, batch ${batch}: roofline ${(gemmFlops / (median(rooflineTimes) / 1000) / 1e9).toFixed(1)} GFLOP/s ([${rows}, 128] rows)`,
);
for (const [i, v] of variants.entries()) {
  const passes = times[i + FIRST_MODEL] ?? [];
  // Speed against the family's first variant, per round (both saw the same moment's load).
  const first = variants.findIndex((f) => f.family === v.family);
  const speedUp = median(passes.map((ms, r) => (times[first + FIRST_MODEL]?.[r] ?? Number.NaN) / ms));
  const galileo = v.family === 'galileo';
  const flops = (galileo ? galileoGemmFlops(steps) : prestoGemmFlops(steps)) * params.pixels;
  // Per round, against the roofline of the same round: the load on a shared machine drifts.
  const fractions = passes.map((ms, r) => flops / ms / (gemmFlops / (rooflineTimes[r] ?? Number.NaN)));
  // Every matrix product (GEMMs and attention) against the roofline that has them all.
  const L = tokens[v.family];
  const allFlops = (galileo ? galileoMatmulFlops(steps) : prestoMatmulFlops(steps)) * params.pixels;
  const rooflineAll = batch * attentionRooflineFlops(L);
  const allTimes = times[galileo ? 1 : 2] ?? [];
  const withAtt = passes.map((ms, r) => allFlops / ms / (rooflineAll / (allTimes[r] ?? Number.NaN)));
  const pixelsS = params.pixels / (median(passes) / 1000);
  console.log(
    `  ${v.name.padEnd(16)} ${pixelsS.toFixed(0).padStart(6)} pixels/s  ${median(withAtt).toFixed(3)} of the roofline with the attention products (${median(fractions).toFixed(3)} GEMMs only), ${speedUp.toFixed(3)}x the first ${v.family} (rounds: ${withAtt.map((f) => f.toFixed(2)).join(' ')})`,
  );
}
for (const c of contenders) await c.release();
