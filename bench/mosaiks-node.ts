import * as ort from 'onnxruntime-node';
import {
  type MosaiksBenchParams,
  type MosaiksMeasurement,
  measureMosaiksOrt,
  measureMosaiksReference,
  patchesPerSecond,
} from './mosaiks-loop.ts';
import { type BenchEntry, median } from './report.ts';

export const MOSAIKS_NODE = 'mosaiks_patches_node';
const REFERENCE = 'mosaiks_patches_ts_reference';

/** Memoised: the web figures divide by the node one even when only they were asked for (--only). */
const cache = new Map<string, Promise<MosaiksMeasurement>>();
export function measureMosaiksNode(params: MosaiksBenchParams): Promise<MosaiksMeasurement> {
  const key = JSON.stringify(params);
  let pending = cache.get(key);
  if (!pending) {
    // ORT's defaults (intra-op threads = physical cores), as the CLI runs.
    pending = measureMosaiksOrt(ort, params, { graphOptimizationLevel: 'all' });
    cache.set(key, pending);
  }
  return pending;
}

/** MOSAIKS through onnxruntime-node against the plain-TS reference on the same scene and tiling. */
export async function mosaiksPatchesNode(params: MosaiksBenchParams): Promise<BenchEntry> {
  const m = await measureMosaiksNode(params);
  const reference = await measureMosaiksReference(params);
  const value = patchesPerSecond(m);
  const baseline = patchesPerSecond(reference);
  return {
    unit: 'patches/s',
    value,
    baseline: { name: REFERENCE, value: baseline, unit: 'patches/s' },
    ratio: value / baseline,
    ratio_meaning:
      'value / baseline (speed-up of the ONNX graph on onnxruntime-node over the plain-TS reference)',
    runs: params.runs,
    notes:
      `onnxruntime-node ${ort.env.versions.node ?? ''}, CPU EP, default intra-op threads; synthetic ` +
      `${params.side} x ${params.side} scene of the ten L2A bands, manifest defaults (K = 64 filters of 3 x 3 ` +
      `x 10, pool = stride = 4: ${m.patches} patches of ${m.dim} dims), encodeMosaiks with its default tiles ` +
      '(z-scoring, tiling, unit length included); median of the timed passes, filter sampling, session ' +
      'creation and the first tile excluded and reported separately. Baseline: one pass of the float64 ' +
      'plain-TS reference (mosaiks-reference.ts) through the same tiling.',
    extra: {
      pixels: m.pixels,
      plan_ms: m.planMs,
      session_create_ms: m.sessionCreateMs,
      first_tile_ms: m.firstRunMs,
      median_pass_ms: median(m.passMs),
      pass_ms: m.passMs.map((ms) => Math.round(ms)).join(','),
      reference_pass_ms: reference.passMs[0] ?? 0,
    },
  };
}
