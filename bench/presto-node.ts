import { resolve } from 'node:path';
import * as ort from 'onnxruntime-node';
import { loadCheckpoint } from '../models/convert/checkpoint-source.ts';
import type { StreamNorm } from '../models/convert/presto-blocks.ts';
import { convertPresto } from '../models/convert/presto-build.ts';
import rawManifest from '../models/presto/manifest.json';
import type { ModelDtype } from '../src/lib/encoder/index.ts';
import { checkpointPin, parseModelManifest } from '../src/lib/encoder/index.ts';
import type { PrestoMeasurement, PrestoParams } from './presto-loop.ts';
import { measurePrestoEncode } from './presto-loop.ts';
import { type BenchEntry, median } from './report.ts';

/** `threads` undefined: ORT's default intra-op threads (the reference); else that many. */
export const prestoNodeName = (dtype: ModelDtype, threads?: number): string =>
  `presto_encode_node_${dtype}${threads === undefined ? '' : `_${threads}t`}`;

let models: Promise<Map<ModelDtype, Uint8Array>> | undefined;

/**
 * `BENCH_STREAM_NORM=layer npm run bench -- ...` benches the graphs as converted before the
 * mean-free stream (LayerNormalization, models/convert/centered-stream.ts), for a back-to-back
 * comparison with the default (`rms`).
 */
export function benchGraphOptions(): { streamNorm?: StreamNorm } {
  const norm = process.env.BENCH_STREAM_NORM;
  if (norm === undefined || norm === '') return {};
  if (norm !== 'layer' && norm !== 'rms')
    throw new Error(`BENCH_STREAM_NORM must be layer or rms, not ${norm}`);
  return { streamNorm: norm };
}

/** The three variants, converted in-process from the checkpoint (as `npm run models` does). */
export function prestoModels(): Promise<Map<ModelDtype, Uint8Array>> {
  models ??= (async () => {
    const manifest = parseModelManifest(rawManifest);
    const checkpoint = await loadCheckpoint({
      paths: [process.env.PRESTO_CHECKPOINT, resolve('../shared/models/presto/default_model.pt')].filter(
        (p): p is string => Boolean(p),
      ),
      ...checkpointPin(manifest),
      cachePath: resolve('build/checkpoints/presto/default_model.pt'),
    });
    return new Map((await convertPresto(checkpoint, benchGraphOptions())).map((m) => [m.dtype, m.bytes]));
  })();
  return models;
}

export async function prestoModel(dtype: ModelDtype): Promise<Uint8Array> {
  const bytes = (await prestoModels()).get(dtype);
  if (!bytes) throw new Error(`no ${dtype} Presto model was built`);
  return bytes;
}

export function pixelsPerSecond(m: PrestoMeasurement): number {
  return m.pixels / (median(m.passMs) / 1000);
}

/** Memoised: the web figures divide by these even when only they were asked for (--only). */
const cache = new Map<string, Promise<PrestoMeasurement>>();
export function measurePrestoNode(
  dtype: ModelDtype,
  params: PrestoParams,
  threads?: number,
): Promise<PrestoMeasurement> {
  const key = `${dtype} ${threads ?? 'default'} ${JSON.stringify(params)}`;
  let pending = cache.get(key);
  if (!pending) {
    // Default: ORT's defaults (intra-op threads = physical cores), as the CLI runs. A thread
    // count pins the pool, for a like-for-like comparison with a WASM session of that many.
    const pool = threads === undefined ? {} : { intraOpNumThreads: threads, interOpNumThreads: 1 };
    pending = prestoModel(dtype).then((model) =>
      measurePrestoEncode(ort, model, params, { graphOptimizationLevel: 'all', ...pool }),
    );
    cache.set(key, pending);
  }
  return pending;
}

/**
 * Node figure of one variant. At default threads the fp32 one is the reference and the
 * others are divided by it; at a pinned thread count each is divided by its own default-thread
 * figure (how much of the default speed one thread gives).
 */
export async function prestoEncodeNode(
  dtype: ModelDtype,
  params: PrestoParams,
  threads?: number,
): Promise<BenchEntry> {
  const m = await measurePrestoNode(dtype, params, threads);
  const pinned = threads !== undefined;
  const referenceName = pinned ? prestoNodeName(dtype) : prestoNodeName('fp32');
  const reference =
    !pinned && dtype === 'fp32' ? m : await measurePrestoNode(pinned ? dtype : 'fp32', params);
  const value = pixelsPerSecond(m);
  const baseline = pixelsPerSecond(reference);
  return {
    unit: 'pixels/s',
    value,
    baseline: { name: referenceName, value: baseline, unit: 'pixels/s' },
    ratio: value / baseline,
    ratio_meaning: pinned
      ? `value / baseline (${threads} intra-op thread(s) against ORT's default count, same variant)`
      : dtype === 'fp32'
        ? 'value / baseline; this is the reference'
        : 'value / baseline (this weight storage against fp32 on the same runtime; higher is faster)',
    runs: params.runs,
    notes:
      `onnxruntime-node ${ort.env.versions.node ?? ''}, CPU EP, ` +
      `${pinned ? `${threads} intra-op thread(s)` : 'default intra-op threads'}; Presto ${dtype} ` +
      `(converted in-process from the checkpoint), T = 1 scene inputs: ${params.pixels} random pixels, all ten ` +
      `S2 bands + NDVI, batches of ${params.batch}; median of ${params.runs} passes after >= ${params.warmupMs} ms of ` +
      'untimed warm-up passes; session creation, first run and warm-up reported separately.',
    extra: {
      session_create_ms: m.sessionCreateMs,
      first_run_ms: m.firstRunMs,
      warmup_passes: m.warmupPasses,
      warmup_ms: m.warmupMs,
      median_pass_ms: median(m.passMs),
      pass_ms: m.passMs.map((ms) => Math.round(ms)).join(','),
    },
  };
}
