import * as ort from 'onnxruntime-node';
import { type EncodeMeasurement, type EncodeParams, measureSpectralEncode } from './encode-loop.ts';
import { type BenchEntry, median } from './report.ts';

export const NODE_ENCODE = 'spectral_encode_node';

/** Pixels per second of the median pass. */
export function pixelsPerSecond(m: EncodeMeasurement): number {
  return m.pixels / (median(m.passMs) / 1000);
}

/**
 * The onnxruntime-node reference. Memoised per parameter set because the web benchmarks
 * need it as their baseline even when only they were asked for (--only).
 */
const cache = new Map<string, Promise<EncodeMeasurement>>();
export function measureNodeEncode(params: EncodeParams): Promise<EncodeMeasurement> {
  const key = JSON.stringify(params);
  let pending = cache.get(key);
  if (!pending) {
    // ORT's defaults (intra-op threads = physical cores) are what the CLI uses too.
    pending = measureSpectralEncode(ort, params, { graphOptimizationLevel: 'all' });
    cache.set(key, pending);
  }
  return pending;
}

export async function spectralEncodeNode(params: EncodeParams): Promise<BenchEntry> {
  const m = await measureNodeEncode(params);
  const value = pixelsPerSecond(m);
  return {
    unit: 'pixels/s',
    value,
    // The node figure is itself the reference: its baseline is itself, ratio 1.
    baseline: { name: NODE_ENCODE, value, unit: 'pixels/s' },
    ratio: 1,
    ratio_meaning: 'value / baseline; this is the reference the web figures are divided by',
    runs: params.runs,
    notes:
      `onnxruntime-node ${ort.env.versions.node ?? ''}, CPU EP, default intra-op threads; ` +
      `${m.pixels} random reflectance pixels x 4 bands (blue, green, red, nir) -> ${m.dim} dims, ` +
      `batches of ${m.batch}; median of ${params.runs} passes, session creation and first run excluded.`,
    extra: {
      session_create_ms: m.sessionCreateMs,
      first_run_ms: m.firstRunMs,
      median_pass_ms: median(m.passMs),
      pass_ms: m.passMs.map((ms) => Math.round(ms)).join(','),
    },
  };
}
