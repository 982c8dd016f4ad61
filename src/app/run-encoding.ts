import type { SceneClient } from '../lib/clients/index.ts';
import {
  type CacheLookup,
  type CacheSlot,
  type EncodeRunProgress,
  type EncodeRunRequest,
  EncoderClient,
} from '../lib/clients/index.ts';
import type { EmbeddingGrid } from '../lib/embeddings/index.ts';
import type { BackendPreference, EncoderInfo } from '../lib/encoder/index.ts';
import { type ModelOption, postedOption } from '../lib/encoder/index.ts';
import type { GridSpec } from '../lib/geo/index.ts';
import { gridCornersWgs84 } from '../lib/geo/index.ts';
import type { Corners } from '../lib/layers/index.ts';
import { stageEnd, stageStart } from '../lib/perf/index.ts';
import type { Scene } from '../lib/scene/index.ts';

export interface EncodingCallbacks {
  signal: AbortSignal;
  /** Before encoding starts: the worker's model, backend and why. */
  onInfo?: (info: EncoderInfo) => void;
  onProgress: (p: EncodeRunProgress) => void;
  /** The embeddings computed so far as colours (a thumbnail), at most every 300 ms (omit for none). */
  onPreview?: (preview: { image: ImageData; corners: Corners }) => void;
  /** The worker had to switch backend mid-run (WebGPU lost -> WASM). */
  onBackendChange?: (backend: string, reason: string) => void;
  /** Keep the grid in the browser's cache here (lookupEmbeddings' slot); the worker writes it. */
  save?: CacheSlot;
}

export interface EncodingOutcome {
  grid: EmbeddingGrid;
  gridSpec: GridSpec;
  info: EncoderInfo;
  /** Why the grid could not be kept in the browser's cache. */
  saveNote?: string;
}

type Settings = { factor: number; preference: BackendPreference; series?: readonly Scene[] };

function requestOf(
  option: ModelOption,
  scene: Scene,
  settings: Settings,
  previewSide: number,
): EncodeRunRequest {
  return {
    option: postedOption(option),
    scene: sourceOf(scene),
    ...(settings.series ? { series: settings.series.map(sourceOf) } : {}),
    factor: settings.factor,
    preference: settings.preference,
    previewSide,
  };
}

/**
 * The grid this run would compute, if the browser's cache holds it, else the slot to save it
 * in: looked up in the encoder worker, which plans the run and hashes its input there.
 */
export function lookupEmbeddings(
  option: ModelOption,
  scene: Scene,
  settings: Settings,
  client: EncoderClient,
): Promise<CacheLookup> {
  return client.lookup(requestOf(option, scene, settings, 0));
}

/** Longest side of the preview thumbnails: enough for a progress picture, ~1 MB a frame. */
const PREVIEW_SIDE = 512;

/** A new encoder worker with a MessageChannel to the scene worker (pixels go worker to worker). */
export function connectedEncoder(scenes: SceneClient): EncoderClient {
  // Each encoder worker, a fresh one after an interrupted run too, gets its own channel.
  return new EncoderClient(() => {
    const channel = new MessageChannel();
    scenes.connectEncoder(channel.port1);
    return channel.port2;
  });
}

/**
 * A scene as the encoder worker takes it: by the scene worker's handle (the pixels go worker
 * to worker), or, for a block cut here (a probe), with its pixels.
 */
function sourceOf(scene: Scene) {
  return scene.handle
    ? { kind: 'handle' as const, handle: scene.handle }
    : { kind: 'pixels' as const, scene };
}

/**
 * One encoding run in the encoder worker: the worker plans it, reads the scene's pixels from
 * the scene worker, encodes every batch and fills the grid; this thread only hears progress
 * and thumbnails. `factor` is the resolution (patch families: the stride). Cancelling it
 * stops the worker's call in flight at once (EncoderClient.interruptOn), not after the batch.
 */
export async function runEncoding(
  option: ModelOption,
  scene: Scene,
  settings: Settings,
  client: EncoderClient,
  cb: EncodingCallbacks,
): Promise<EncodingOutcome> {
  stageStart('encoder-init');
  const request = requestOf(option, scene, settings, cb.onPreview ? PREVIEW_SIDE : 0);
  const release = client.interruptOn(cb.signal);
  return client
    .run(
      cb.save ? { ...request, save: cb.save } : request,
      {
        onInfo: (info) => {
          stageEnd('encoder-init');
          cb.onInfo?.(info);
        },
        onProgress: (p) => cb.onProgress(p),
        onPreview: (p) =>
          cb.onPreview?.({
            image: new ImageData(p.rgba, p.width, p.height),
            corners: gridCornersWgs84(p.grid),
          }),
        onBackendChange: (backend, reason) => cb.onBackendChange?.(backend, reason),
      },
      cb.signal,
    )
    .finally(release);
}
