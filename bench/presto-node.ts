import { resolve } from 'node:path';
import * as ort from 'onnxruntime-node';
import { loadCheckpoint } from '../models/convert/checkpoint-source.ts';
import { convertPresto } from '../models/convert/presto-build.ts';
import rawManifest from '../models/presto/manifest.json';
import type { ModelDtype } from '../src/lib/encoder/model-manifest.ts';
import { checkpointPin, parseModelManifest } from '../src/lib/encoder/model-manifest.ts';
import type { PrestoMeasurement, PrestoParams } from './presto-loop.ts';
import { measurePrestoEncode } from './presto-loop.ts';
import { type BenchEntry, median } from './report.ts';

export const prestoNodeName = (dtype: ModelDtype): string => `presto_encode_node_${dtype}`;

let models: Promise<Map<ModelDtype, Uint8Array>> | undefined;

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
    return new Map((await convertPresto(checkpoint)).map((m) => [m.dtype, m.bytes]));
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
export function measurePrestoNode(dtype: ModelDtype, params: PrestoParams): Promise<PrestoMeasurement> {
  const key = `${dtype} ${JSON.stringify(params)}`;
  let pending = cache.get(key);
  if (!pending) {
    // ORT's defaults (intra-op threads = physical cores), as the CLI runs.
    pending = prestoModel(dtype).then((model) =>
      measurePrestoEncode(ort, model, params, { graphOptimizationLevel: 'all' }),
    );
    cache.set(key, pending);
  }
  return pending;
}

/** Node figure of one variant; the fp32 one is the reference, the others are divided by it. */
export async function prestoEncodeNode(dtype: ModelDtype, params: PrestoParams): Promise<BenchEntry> {
  const m = await measurePrestoNode(dtype, params);
  const reference = dtype === 'fp32' ? m : await measurePrestoNode('fp32', params);
  const value = pixelsPerSecond(m);
  const baseline = pixelsPerSecond(reference);
  return {
    unit: 'pixels/s',
    value,
    baseline: { name: prestoNodeName('fp32'), value: baseline, unit: 'pixels/s' },
    ratio: value / baseline,
    ratio_meaning:
      dtype === 'fp32'
        ? 'value / baseline; this is the reference'
        : 'value / baseline (this weight storage against fp32 on the same runtime; higher is faster)',
    runs: params.runs,
    notes:
      `onnxruntime-node ${ort.env.versions.node ?? ''}, CPU EP, default intra-op threads; Presto ${dtype} ` +
      `(converted in-process from the checkpoint), T = 1 scene inputs: ${params.pixels} random pixels, all ten ` +
      `S2 bands + NDVI, batches of ${params.batch}; median of ${params.runs} passes, session creation and first ` +
      'run excluded and reported separately.',
    extra: {
      session_create_ms: m.sessionCreateMs,
      first_run_ms: m.firstRunMs,
      median_pass_ms: median(m.passMs),
      pass_ms: m.passMs.map((ms) => Math.round(ms)).join(','),
    },
  };
}
