import type { BenchPageResult } from './browser/bench-protocol.ts';
import type { EncodeMeasurement, EncodeParams } from './encode-loop.ts';
import { type BenchEntry, type BenchFailure, log } from './report.ts';
import { measureNodeEncode, NODE_ENCODE, pixelsPerSecond } from './spectral-node.ts';
import { runWebBench } from './web-bench.ts';
import { describeThreading, webRunExtra } from './web-run-extra.ts';

/** A full 2-thread run takes well under a minute. */
const PAGE_TIMEOUT_MS = 90_000;

function entry(
  result: BenchPageResult<EncodeMeasurement>,
  nodeValue: number,
  params: EncodeParams,
  browserVersion: string,
): BenchEntry {
  const m = result.measurement;
  const value = pixelsPerSecond(m);
  const threading = describeThreading(result);
  return {
    unit: 'pixels/s',
    value,
    baseline: { name: NODE_ENCODE, value: nodeValue, unit: 'pixels/s' },
    ratio: value / nodeValue,
    ratio_meaning: 'value / baseline (web throughput as a fraction of onnxruntime-node; higher is better)',
    runs: params.runs,
    notes:
      `onnxruntime-web ${result.ortVersion} wasm EP in a dedicated module worker, Chromium ${browserVersion} ` +
      `headless, Vite dev server with the project config; ${threading}. Same pixels, batches and loop ` +
      `as ${NODE_ENCODE}; median of ${params.runs} passes timed inside the worker, session creation ` +
      '(includes WASM compile/instantiate) and first run excluded and reported separately.',
    extra: webRunExtra(result),
  };
}

/** Entries for the requested web variants, keyed by benchmark name (value: thread count). */
export async function spectralEncodeWeb(
  variants: ReadonlyMap<string, number>,
  params: EncodeParams,
): Promise<Map<string, BenchEntry | BenchFailure>> {
  const nodeValue = pixelsPerSecond(await measureNodeEncode(params));
  return runWebBench<number, EncodeMeasurement>(
    {
      bench: 'spectral',
      timeoutMs: PAGE_TIMEOUT_MS,
      async measure({ name, variant: threads, chromium, openPage }) {
        log(`${name}: ${threads} thread(s) in Chromium ${chromium}`);
        return entry(await openPage({ threads, ...params }), nodeValue, params, chromium);
      },
    },
    variants,
  );
}
