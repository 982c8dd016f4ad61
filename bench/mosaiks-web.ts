import type { BenchPageResult } from './browser/bench-protocol.ts';
import { type MosaiksBenchParams, type MosaiksMeasurement, patchesPerSecond } from './mosaiks-loop.ts';
import { MOSAIKS_NODE, measureMosaiksNode } from './mosaiks-node.ts';
import { type BenchEntry, type BenchFailure, log } from './report.ts';
import { runWebBench } from './web-bench.ts';
import { describeThreading, webRunExtra } from './web-run-extra.ts';

/** A full 1-thread run of 1,000,000 pixels takes tens of seconds. */
const PAGE_TIMEOUT_MS = 300_000;

function entry(
  result: BenchPageResult<MosaiksMeasurement>,
  nodeValue: number,
  params: MosaiksBenchParams,
  chromium: string,
): BenchEntry {
  const m = result.measurement;
  const value = patchesPerSecond(m);
  return {
    unit: 'patches/s',
    value,
    baseline: { name: MOSAIKS_NODE, value: nodeValue, unit: 'patches/s' },
    ratio: value / nodeValue,
    ratio_meaning: 'value / baseline (web throughput as a fraction of onnxruntime-node; higher is better)',
    runs: params.runs,
    notes:
      `onnxruntime-web ${result.ortVersion} wasm EP in a dedicated module worker, Chromium ${chromium} headless, ` +
      `Vite dev server with the project config; ${describeThreading(result)}. Same synthetic ` +
      `${params.side} x ${params.side} x 10-band scene, defaults and loop as ${MOSAIKS_NODE}; median of ` +
      `${params.runs} passes timed inside the worker; filter sampling, session creation (includes WASM ` +
      'compile/instantiate) and the first tile excluded and reported separately.',
    extra: { ...webRunExtra(result), plan_ms: m.planMs, patches: m.patches },
  };
}

/** Entries for the requested web variants, keyed by benchmark name (value: thread count). */
export async function mosaiksPatchesWeb(
  variants: ReadonlyMap<string, number>,
  params: MosaiksBenchParams,
): Promise<Map<string, BenchEntry | BenchFailure>> {
  const nodeValue = patchesPerSecond(await measureMosaiksNode(params));
  return runWebBench<number, MosaiksMeasurement>(
    {
      bench: 'mosaiks',
      timeoutMs: PAGE_TIMEOUT_MS,
      async measure({ name, variant: threads, chromium, openPage }) {
        log(`${name}: ${threads} thread(s) in Chromium ${chromium}`);
        return entry(await openPage({ threads, ...params }), nodeValue, params, chromium);
      },
    },
    variants,
  );
}
