import type { Page } from 'playwright-core';
import { prestoFileName } from '../models/convert/presto-build.ts';
import type { ModelDtype } from '../src/lib/encoder/index.ts';
import type { BenchPageResult } from './browser/bench-protocol.ts';
import type { PrestoMeasurement, PrestoParams } from './presto-loop.ts';
import { measurePrestoNode, pixelsPerSecond, prestoModels, prestoNodeName } from './presto-node.ts';
import { type BenchEntry, type BenchFailure, log } from './report.ts';
import { runWebBench } from './web-bench.ts';
import { describeThreading, webRunExtra } from './web-run-extra.ts';

const PAGE_TIMEOUT_MS = 300_000;

export interface PrestoWebVariant {
  dtype: ModelDtype;
  threads: number;
}

/** The bench process serves the models it converted at /presto-bench/<file>; nothing is written to public/. */
function serveModels(models: Map<ModelDtype, Uint8Array>): (page: Page) => Promise<void> {
  return async (page) => {
    await page.route('**/presto-bench/*', (route) => {
      const file = new URL(route.request().url()).pathname.split('/').pop();
      const entry = [...models].find(([dtype]) => prestoFileName(dtype) === file);
      return entry ? route.fulfill({ body: Buffer.from(entry[1]) }) : route.fulfill({ status: 404 });
    });
  };
}

function entry(
  result: BenchPageResult<PrestoMeasurement>,
  dtype: ModelDtype,
  node: { value: number; sameThreads: number },
  params: PrestoParams,
  chromium: string,
): BenchEntry {
  const m = result.measurement;
  const value = pixelsPerSecond(m);
  const nodeValue = node.value;
  const threading = describeThreading(result);
  return {
    unit: 'pixels/s',
    value,
    baseline: { name: prestoNodeName(dtype), value: nodeValue, unit: 'pixels/s' },
    ratio: value / nodeValue,
    ratio_meaning:
      'value / baseline (web throughput as a fraction of onnxruntime-node, same variant; goal >= 0.5)',
    runs: params.runs,
    notes:
      `onnxruntime-web ${result.ortVersion} wasm EP (its plain WASM build, as the app runs WASM sessions) in a ` +
      `dedicated module worker, Chromium ${chromium} headless, ` +
      `Vite dev server with the project config; ${threading}. Presto ${dtype}, same pixels, batches and loop as ` +
      `${prestoNodeName(dtype)}; median of ${params.runs} passes timed inside the worker after >= ` +
      `${params.warmupMs} ms of untimed warm-up passes (V8 tiers the WASM up meanwhile); session creation ` +
      '(includes WASM compile/instantiate), first run and warm-up excluded and reported separately.',
    extra: {
      ...webRunExtra(result),
      warmup_passes: m.warmupPasses,
      warmup_ms: m.warmupMs,
      // The headline ratio divides by node at ORT's default threads; this one by node pinned
      // to the same number of threads as the WASM session.
      node_same_threads_pixels_s: node.sameThreads,
      ratio_to_node_same_threads: value / node.sameThreads,
    },
  };
}

/** Entries for the requested web variants, keyed by benchmark name. */
export async function prestoEncodeWeb(
  variants: ReadonlyMap<string, PrestoWebVariant>,
  params: PrestoParams,
): Promise<Map<string, BenchEntry | BenchFailure>> {
  const models = await prestoModels();
  return runWebBench<PrestoWebVariant, PrestoMeasurement>(
    {
      bench: 'presto',
      timeoutMs: PAGE_TIMEOUT_MS,
      route: serveModels(models),
      async measure({ name, variant: { dtype, threads }, chromium, openPage }) {
        const node = {
          value: pixelsPerSecond(await measurePrestoNode(dtype, params)),
          sameThreads: pixelsPerSecond(await measurePrestoNode(dtype, params, threads)),
        };
        log(`${name}: Presto ${dtype}, ${threads} thread(s) in Chromium ${chromium}`);
        const result = await openPage({ file: prestoFileName(dtype), threads, ...params });
        return entry(result, dtype, node, params, chromium);
      },
    },
    variants,
  );
}
