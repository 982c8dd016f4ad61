import { resolve } from 'node:path';
import * as ort from 'onnxruntime-node';
import type { Page } from 'playwright-core';
import { loadCheckpoint } from '../models/convert/checkpoint-source.ts';
import { convertGalileo } from '../models/convert/galileo-build.ts';
import rawManifest from '../models/galileo-nano/manifest.json';
import { checkpointPin, type ModelDtype, parseModelManifest } from '../src/lib/encoder/index.ts';
import type { BenchPageResult } from './browser/bench-protocol.ts';
import {
  type GalileoMeasurement,
  type GalileoParams,
  galileoGemmFlops,
  galileoMatmulFlops,
  type ModelRun,
  measureGalileoVsPresto,
  prestoGemmFlops,
  prestoMatmulFlops,
} from './galileo-loop.ts';
import type { Group, Results, Sizes } from './group.ts';
import { benchGraphOptions, prestoModel } from './presto-node.ts';
import { type BenchEntry, log, median } from './report.ts';
import { runWebBench } from './web-bench.ts';

let galileo: Promise<Map<ModelDtype, Uint8Array>> | undefined;
/** The three pixel-mode variants, converted in-process from the checkpoint (as `npm run models`). */
function galileoModel(dtype: ModelDtype): Promise<Uint8Array> {
  galileo ??= (async () => {
    const manifest = parseModelManifest(rawManifest);
    const checkpoint = await loadCheckpoint({
      paths: [process.env.GALILEO_CHECKPOINT, resolve('../shared/models/galileo-nano/encoder.pt')].filter(
        (p): p is string => Boolean(p),
      ),
      ...checkpointPin(manifest),
      cachePath: resolve('build/checkpoints/galileo-nano/encoder.pt'),
    });
    return new Map((await convertGalileo(checkpoint, benchGraphOptions())).map((m) => [m.dtype, m.bytes]));
  })();
  return galileo.then((m) => {
    const bytes = m.get(dtype);
    if (!bytes) throw new Error(`no ${dtype} Galileo model was built`);
    return bytes;
  });
}

function params(s: Sizes, steps: number): GalileoParams {
  const pixels = steps > 1 ? 512 : 2048;
  return s.quick
    ? { pixels: pixels / 4, batch: pixels / 4, steps, runs: 2, seed: 17, warmupMs: 1000 }
    : { pixels, batch: steps > 1 ? 256 : 1024, steps, runs: 5, seed: 17, warmupMs: 5000 };
}

const rate = (m: ModelRun, pixels: number): number => pixels / (median(m.passMs) / 1000);

/** The entries of one run: Galileo against Presto, and (on WASM) both against the GEMM roofline. */
function entries(
  prefix: string,
  m: GalileoMeasurement,
  p: GalileoParams,
  dtype: ModelDtype,
  where: string,
  roofline: boolean,
): Results {
  const g = rate(m.galileo, m.pixels);
  const pr = rate(m.presto, m.pixels);
  const out: Results = new Map();
  const timing = (run: ModelRun, model: string) => ({
    [`${model}_session_create_ms`]: run.sessionCreateMs,
    [`${model}_first_batch_ms`]: run.firstBatchMs,
  });
  const common = `${where}; ${dtype}; T = ${p.steps}: ${p.pixels} random pixels x ${p.steps} date(s), all ten S2 bands + NDVI, batches of ${p.batch}; median of ${p.runs} passes after >= ${p.warmupMs} ms warm-up; graphs with ${benchGraphOptions().streamNorm ?? 'rms'} norms (BENCH_STREAM_NORM).`;
  const main: BenchEntry = {
    unit: 'pixels/s',
    value: g,
    baseline: { name: `Presto ${dtype}, same inputs, runtime and threads`, value: pr, unit: 'pixels/s' },
    ratio: g / pr,
    ratio_meaning:
      'Galileo-nano pixels/s / Presto pixels/s (Galileo: 4 blocks over 6T tokens; Presto: 2 blocks over 6T+1)',
    runs: p.runs,
    notes: `Galileo-nano pixel mode against Presto; ${common}`,
    extra: {
      runtime_init_ms: m.runtimeInitMs,
      ...timing(m.galileo, 'galileo'),
      ...timing(m.presto, 'presto'),
    },
  };
  out.set(prefix, main);
  if (!roofline) return out;
  for (const [model, pixelsS, flops, gemmFlops, attentionRoofline] of [
    ['galileo', g, galileoMatmulFlops(p.steps), galileoGemmFlops(p.steps), m.attentionRoofline.galileo],
    ['presto', pr, prestoMatmulFlops(p.steps), prestoGemmFlops(p.steps), m.attentionRoofline.presto],
  ] as const) {
    const achieved = (pixelsS * flops) / 1e9;
    const linearOnly = (pixelsS * gemmFlops) / 1e9;
    out.set(`${model}_wasm_gemm_roofline_${dtype}_t${p.steps}`, {
      unit: 'GFLOP/s',
      value: achieved,
      baseline: {
        name: `MatMul-only graph at the transformer's matrix-product shapes (one block: [${attentionRoofline.rows}, 128] x 128x128 (4), 128x512, 512x128, then the attention's [L, 16] x [16, L] and [L, L] x [L, 16] per head at this model's L), same ORT WASM build, worker and threads`,
        value: attentionRoofline.gflops,
        unit: 'GFLOP/s',
      },
      ratio: achieved / attentionRoofline.gflops,
      ratio_meaning: `fraction of the WASM-SIMD matrix-multiply roofline reached end to end: (pixels/s x matrix-product FLOPs per pixel, ${flops}: the GEMMs and the attention products, as MFU counts them) / roofline; goal >= 0.8`,
      runs: p.runs,
      notes: `${model} ${common} The extra fields give the earlier measure, which left the attention products out of both the FLOPs and the roofline graph.`,
      extra: {
        linear_only_gflops: linearOnly,
        // The GEMMs-only graph runs Galileo's token rows for both models, as it always did.
        linear_only_roofline_gflops: m.rooflineGflops,
        linear_only_ratio: linearOnly / m.rooflineGflops,
      },
    });
  }
  return out;
}

const STEPS = [1, 12];

/** One page run per (dtype, T): Galileo, Presto and the roofline, in the same WASM worker. */
async function webRuns(s: Sizes, selected: readonly string[]): Promise<Results> {
  const variants = new Map<string, { dtype: ModelDtype; steps: number }>();
  for (const steps of STEPS)
    variants.set(`galileo_encode_web_wasm_fp32_t${steps}_1t`, { dtype: 'fp32', steps });
  variants.set('galileo_encode_web_wasm_int8_t1_1t', { dtype: 'int8', steps: 1 });
  const wanted = new Map(
    [...variants].filter(([name, v]) =>
      selected.some((sel) => sel === name || sel.endsWith(`_${v.dtype}_t${v.steps}`)),
    ),
  );
  const models = new Map<string, Uint8Array>();
  for (const dtype of ['fp32', 'int8'] as const) {
    models.set(`galileo.${dtype}`, await galileoModel(dtype));
    models.set(`presto.${dtype}`, await prestoModel(dtype));
  }
  const route = async (page: Page) => {
    await page.route('**/galileo-bench/*', (r) => {
      const file = new URL(r.request().url()).pathname.split('/').pop() ?? '';
      const body = models.get(file);
      return body ? r.fulfill({ body: Buffer.from(body) }) : r.fulfill({ status: 404 });
    });
  };
  const out: Results = new Map();
  const web = await runWebBench<{ dtype: ModelDtype; steps: number }, GalileoMeasurement>(
    {
      bench: 'galileo',
      timeoutMs: 600_000,
      route,
      async measure({ name, variant, chromium, openPage }) {
        const p = params(s, variant.steps);
        log(`${name}: Galileo vs Presto ${variant.dtype}, T = ${variant.steps}, Chromium ${chromium}`);
        const result: BenchPageResult<GalileoMeasurement> = await openPage({
          dtype: variant.dtype,
          threads: 1,
          ...p,
        });
        const where = `onnxruntime-web ${result.ortVersion} wasm EP, 1 thread, dedicated worker, Chromium ${chromium}`;
        const all = entries(name, result.measurement, p, variant.dtype, where, variant.dtype === 'fp32');
        for (const [k, v] of all) if (k !== name) out.set(k, v);
        const main = all.get(name);
        if (!main || 'error' in main) throw new Error(`${name} produced no entry`);
        return main;
      },
    },
    wanted,
  );
  for (const [k, v] of web) out.set(k, v);
  return out;
}

const nodeName = (steps: number): string => `galileo_encode_node_fp32_t${steps}`;

export const GALILEO_GROUPS: Group[] = [
  ...STEPS.map(
    (steps): Group => ({
      names: [nodeName(steps)],
      run: async (_, s) => {
        const p = params(s, steps);
        const m = await measureGalileoVsPresto(
          ort,
          { galileo: await galileoModel('fp32'), presto: await prestoModel('fp32') },
          p,
          { graphOptimizationLevel: 'all', intraOpNumThreads: 1, interOpNumThreads: 1 },
        );
        return entries(
          nodeName(steps),
          m,
          p,
          'fp32',
          `onnxruntime-node ${ort.env.versions.node ?? ''} CPU EP, 1 thread`,
          false,
        );
      },
    }),
  ),
  {
    names: [
      ...STEPS.map((t) => `galileo_encode_web_wasm_fp32_t${t}_1t`),
      'galileo_encode_web_wasm_int8_t1_1t',
      ...STEPS.flatMap((t) => [
        `galileo_wasm_gemm_roofline_fp32_t${t}`,
        `presto_wasm_gemm_roofline_fp32_t${t}`,
      ]),
    ],
    run: (selected, s) => webRuns(s, selected),
  },
];
