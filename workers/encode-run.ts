import type { EmbeddingGrid } from '../src/lib/embeddings/index.ts';
import type { EncoderHost } from '../src/lib/encoder/index.ts';
import {
  type EncodingPlan,
  encodeScene,
  type PixelEncoder,
  planEncoding,
  revivedOption,
} from '../src/lib/encoder/index.ts';
import type { GridSpec } from '../src/lib/geo/index.ts';
import { EmbeddingPreview } from '../src/lib/render/index.ts';
import type { Scene } from '../src/lib/scene/index.ts';
import { canShareMemory } from '../src/lib/scene/index.ts';
import type { EncodeRunEvents, EncodeRunOutcome, EncodeRunRequest, SceneSource } from './encoder-api.ts';

/**
 * The last plan made, by request: a cache lookup and the run after its miss plan the same
 * request, and a plan can be costly (the spectral family's texture over every pixel). Only
 * requests naming their scenes by handle are remembered (the handles name the pixels exactly).
 */
let lastPlan: { key: string; plan: EncodingPlan } | undefined;

function planKey(request: EncodeRunRequest): string | undefined {
  const sources = [request.scene, ...(request.series ?? [])];
  if (sources.some((s) => s.kind !== 'handle')) return undefined;
  return JSON.stringify([sources, request.option, request.factor, request.preference]);
}

/** The plan for `request` on its scenes, made once for a lookup and the run that follows. */
export function planOnce(request: EncodeRunRequest, scene: Scene, series?: readonly Scene[]): EncodingPlan {
  const key = planKey(request);
  if (key !== undefined && lastPlan?.key === key) return lastPlan.plan;
  const plan = planEncoding(revivedOption(request.option), scene, request.factor, request.preference, series);
  // A probe's plan (pixels posted: the speed calibration between a lookup and its run) leaves
  // the remembered one in place.
  if (key !== undefined) lastPlan = { key, plan };
  return plan;
}

/** Forgets the remembered plan (its texture columns): when the worker ends. */
export function forgetPlan(): void {
  lastPlan = undefined;
}

/** The plan for a run: the remembered one when its lookup made it, then forgotten (the run is its last use). */
export function takePlan(request: EncodeRunRequest, scene: Scene, series?: readonly Scene[]): EncodingPlan {
  const plan = planOnce(request, scene, series);
  if (planKey(request) !== undefined) forgetPlan();
  return plan;
}

/** The worker's session host as a run drives it in place (no message per batch). */
export type RunHost = Pick<EncoderHost, 'init' | 'encode' | 'encodeTile'>;

/** A thumbnail at most every 300 ms, so the map stays fluid while a scene encodes. */
function throttledPreview(spec: GridSpec, dim: number, side: number, events: EncodeRunEvents) {
  // Only the pixels the thumbnail shows are coloured.
  const preview = new EmbeddingPreview(spec.width, spec.height, dim, 1, side);
  let shown = 0;
  return {
    add: (grid: EmbeddingGrid, indices: Uint32Array) => preview.addBatch(grid, indices),
    due: () => side > 0 && performance.now() - shown >= 300,
    show: () => {
      shown = performance.now();
      events.onPreview({ ...preview.thumbnail(side), grid: spec });
    },
  };
}

/** The host's batches as encodeScene takes them; a backend switched mid-run is reported. */
function pixelEncoder(host: RunHost, events: EncodeRunEvents): PixelEncoder {
  return {
    async encode(pixels, count, indices) {
      const batch = await host.encode(pixels, count, indices);
      if (batch.backendChange)
        events.onBackendChange(batch.backendChange.backend, batch.backendChange.reason);
      return batch.embeddings;
    },
  };
}

/**
 * One encoding run inside the encoder worker (what the main thread did before: planning,
 * texture, batches, scattering into the grid, preview colours), as the model's family plans
 * it: per-pixel plans stream batches through `host`; patch plans cut the scene into tiles.
 */
export async function runInWorker(
  request: EncodeRunRequest,
  host: RunHost,
  sceneOf: (source: SceneSource) => Promise<Scene>,
  events: EncodeRunEvents,
  signal: AbortSignal,
): Promise<EncodeRunOutcome> {
  const shared = canShareMemory();
  const scene = await sceneOf(request.scene);
  const { previewSide } = request;
  const series = request.series ? await Promise.all(request.series.map(sceneOf)) : undefined;
  const plan = takePlan(request, scene, series);
  const info = await host.init(plan.spec);
  events.onInfo(info);
  if (plan.unit === 'patches') {
    let draw: ReturnType<typeof throttledPreview> | undefined;
    let target: EmbeddingGrid | undefined;
    const result = await plan.encode(scene, host, {
      signal,
      shared,
      onStart: (r) => {
        target = r.embeddings;
        draw = throttledPreview(r.grid, plan.dim, previewSide, events);
      },
      onProgress: (p) => {
        events.onProgress({
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
  const draw = throttledPreview(plan.target.grid, info.dim, previewSide, events);
  const grid = await encodeScene(plan.target, pixelEncoder(host, events), {
    dim: info.dim,
    bands: plan.spec.bands,
    ...(plan.steps ? { steps: plan.steps } : {}),
    ...(plan.extraColumns ? { extraColumns: plan.extraColumns } : {}),
    batchSize: plan.batchSize,
    signal,
    shared,
    onBatch:
      previewSide > 0
        ? (g, indices) => {
            draw.add(g, indices);
            if (draw.due()) draw.show();
          }
        : undefined,
    onProgress: (p) =>
      events.onProgress({ done: p.pixelsDone, total: p.pixelsTotal, elapsedMs: p.elapsedMs, unit: 'pixels' }),
  });
  return { grid, gridSpec: plan.target.grid, info };
}
