import type { EncoderClient } from '../lib/clients/encoder-client.ts';
import type { EmbeddingGrid } from '../lib/embeddings/embedding-grid.ts';
import type { BackendPreference } from '../lib/encoder/capabilities.ts';
import { encodeScene } from '../lib/encoder/encode-scene.ts';
import type { EncoderInfo } from '../lib/encoder/encoder-spec.ts';
import { planEncoding } from '../lib/encoder/encoding-plan.ts';
import type { ModelOption } from '../lib/encoder/model-options.ts';
import { gridCornersWgs84 } from '../lib/geo/crs.ts';
import type { GridSpec } from '../lib/geo/geotransform.ts';
import type { Corners } from '../lib/layers/layer-specs.ts';
import { timedStage } from '../lib/perf/stages.ts';
import { EmbeddingPreview } from '../lib/render/embedding-preview.ts';
import type { Scene } from '../lib/scene/scene.ts';

export interface EncodingCallbacks {
  signal: AbortSignal;
  /** Before encoding starts: the worker's model, backend and why. */
  onInfo?: (info: EncoderInfo) => void;
  onProgress: (p: { done: number; total: number; elapsedMs: number; unit: 'pixels' | 'patches' }) => void;
  /** The embeddings computed so far as colours, at most every 300 ms (omit for none). */
  onPreview?: (preview: { image: ImageData; corners: Corners }) => void;
}

export interface EncodingOutcome {
  grid: EmbeddingGrid;
  gridSpec: GridSpec;
  info: EncoderInfo;
}

/** A preview shown at most every 300 ms, so the map stays fluid while a scene encodes. */
function throttledPreview(spec: GridSpec, dim: number, show: EncodingCallbacks['onPreview']) {
  const preview = new EmbeddingPreview(spec.width, spec.height, dim);
  const corners = gridCornersWgs84(spec);
  let shown = 0;
  return {
    add: (grid: EmbeddingGrid, indices: Uint32Array) => preview.addBatch(grid, indices),
    due: () => show !== undefined && performance.now() - shown >= 300,
    show: () => {
      shown = performance.now();
      show?.({ image: new ImageData(preview.rgba.slice(), spec.width, spec.height), corners });
    },
  };
}

/** What a run needs of the encoder worker (EncoderClient; tests give one over onnxruntime-node). */
export type EncoderPort = Pick<EncoderClient, 'init' | 'encode' | 'encodeTile' | 'interruptOn'>;

/**
 * One encoding run in the encoder worker, as the model's family plans it: per-pixel plans
 * (spectral, manifest models, yearly series) stream pixel batches; patch plans (MOSAIKS samples
 * its filters from the scene here) stream tiles. `factor` is the resolution (patches: the stride).
 * Cancelling it stops the worker's call in flight at once (EncoderClient.interruptOn), not
 * after the batch.
 */
export async function runEncoding(
  option: ModelOption,
  scene: Scene,
  settings: { factor: number; preference: BackendPreference; series?: readonly Scene[] },
  client: EncoderPort,
  cb: EncodingCallbacks,
): Promise<EncodingOutcome> {
  const release = client.interruptOn(cb.signal);
  try {
    return await encodeWith(option, scene, settings, client, cb);
  } finally {
    release();
  }
}

async function encodeWith(
  option: ModelOption,
  scene: Scene,
  settings: { factor: number; preference: BackendPreference; series?: readonly Scene[] },
  client: EncoderPort,
  cb: EncodingCallbacks,
): Promise<EncodingOutcome> {
  const shared = globalThis.crossOriginIsolated === true;
  const plan = planEncoding(option, scene, settings.factor, settings.preference, settings.series);
  if (plan.unit === 'patches') {
    const info = await client.init(plan.spec);
    cb.onInfo?.(info);
    let draw: ReturnType<typeof throttledPreview> | undefined;
    let target: EmbeddingGrid | undefined;
    const result = await plan.encode(scene, client, {
      signal: cb.signal,
      shared,
      onStart: (r) => {
        target = r.embeddings;
        draw = throttledPreview(r.grid, plan.dim, cb.onPreview);
      },
      onProgress: (p) => {
        cb.onProgress({
          done: p.patchesDone,
          total: p.patchesTotal,
          elapsedMs: p.elapsedMs,
          unit: 'patches',
        });
        if (!target || !draw?.due()) return;
        // Tiles land anywhere in the grid: recolour every patch done so far (one pass, ~ms).
        const done: number[] = [];
        target.valid.forEach((v, i) => {
          if (v) done.push(i);
        });
        draw.add(target, Uint32Array.from(done));
        draw.show();
      },
    });
    return { grid: result.embeddings, gridSpec: result.grid, info };
  }
  const info = await timedStage('encoder-init', () => client.init(plan.spec));
  cb.onInfo?.(info);
  const draw = throttledPreview(plan.target.grid, info.dim, cb.onPreview);
  const grid = await encodeScene(plan.target, client, {
    dim: info.dim,
    bands: plan.spec.bands,
    steps: plan.steps,
    extraColumns: plan.extraColumns,
    batchSize: plan.batchSize,
    signal: cb.signal,
    shared,
    onBatch: cb.onPreview
      ? (g, indices) => {
          draw.add(g, indices);
          if (draw.due()) draw.show();
        }
      : undefined,
    onProgress: (p) =>
      cb.onProgress({ done: p.pixelsDone, total: p.pixelsTotal, elapsedMs: p.elapsedMs, unit: 'pixels' }),
  });
  return { grid, gridSpec: plan.target.grid, info };
}
