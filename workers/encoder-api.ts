import type { EmbeddingGrid } from '../src/lib/embeddings/index.ts';
import type {
  BackendPreference,
  EncodedBatch,
  EncoderInfo,
  EncoderSpec,
  ModelIdentity,
  ModelSource,
  PostedOption,
} from '../src/lib/encoder/index.ts';
import type { GridSpec } from '../src/lib/geo/index.ts';
import type { Scene } from '../src/lib/scene/index.ts';
import type { WorkerResult } from '../src/lib/worker-result.ts';

// The domain types live in src/lib/encoder; re-exported for code written against this file.
export type { EncodedBatch, EncoderInfo, EncoderSpec, ModelSource };

/**
 * Where the encoder worker gets a scene: by the scene worker's handle (read through the port
 * that joins the two workers), or given with its pixels (a probe's small block, cut here).
 */
export type SceneSource = { kind: 'handle'; handle: string } | { kind: 'pixels'; scene: Scene };

/** One "Compute embeddings": the model, the scene (and yearly steps) and the user's settings. */
export interface EncodeRunRequest {
  /** The model (its runner is made again in the worker: functions are not posted). */
  option: PostedOption;
  scene: SceneSource;
  /** Yearly mode: one scene per date on the scene's grid, oldest first. */
  series?: SceneSource[];
  /** The resolution factor (patch families: the patch stride). */
  factor: number;
  preference: BackendPreference;
  /** Longest side (px) of the preview thumbnails sent while encoding; 0 sends none. */
  previewSide: number;
  /** Keep the grid in the browser's cache under this lookup's key (lookup() gave it). */
  save?: CacheSlot;
}

/** Where a grid goes in the browser's cache: its key and the exact model the key names. */
export interface CacheSlot {
  key: string;
  model: ModelIdentity;
}

/**
 * The browser cache's answer for a run, looked up in the encoder worker (planning, texture and
 * the input digest stay off the main thread): a grid, or the slot to save the new one in.
 */
export interface CacheLookup {
  hit?: EncodeRunOutcome & { note: string };
  save?: CacheSlot;
  /** A storage problem met here, worded for the user (said once). */
  notice?: string;
}

export interface EncodeRunProgress {
  done: number;
  total: number;
  elapsedMs: number;
  unit: 'pixels' | 'patches';
}

/** The embeddings computed so far as colours, cut to a thumbnail (RGBA, width x height). */
export interface EncodePreview {
  rgba: Uint8ClampedArray<ArrayBuffer>;
  width: number;
  height: number;
  /** The grid the thumbnail covers. */
  grid: GridSpec;
}

/** What the main thread hears while a run goes: small messages only, never pixels. */
export interface EncodeRunEvents {
  onInfo(info: EncoderInfo): void;
  onProgress(progress: EncodeRunProgress): void;
  onPreview(preview: EncodePreview): void;
  /** The worker had to switch backend mid-run (WebGPU lost -> WASM). */
  onBackendChange(backend: string, reason: string): void;
}

/**
 * A finished run. The grid lives in a SharedArrayBuffer on a cross-origin-isolated page, so
 * the main thread (and the analysis worker it hands the grid to) receives a reference.
 */
export interface EncodeRunOutcome {
  grid: EmbeddingGrid;
  gridSpec: GridSpec;
  info: EncoderInfo;
  /** Why the grid was not kept in the browser's cache, when it was to be and could not. */
  saveNote?: string;
}

/** The encoder worker (pixels -> embeddings), as both sides see it through comlink. */
export interface EncoderWorkerApi {
  /** The port to the scene worker (ScenePixelsApi), which scenes are read from by handle. */
  connectScenes(port: MessagePort): void;
  /**
   * Plans and runs one encoding here: the scene's pixels come from the scene worker, batches
   * are gathered and encoded here, and only progress, thumbnails and the grid go back.
   * A second run cancels the first; cancel() ends it between batches with 'aborted'.
   */
  run(request: EncodeRunRequest, events: EncodeRunEvents): Promise<WorkerResult<EncodeRunOutcome>>;
  /** The cached grid for this run, if the browser holds one (uncached families and yearly runs: none). */
  lookup(request: EncodeRunRequest): Promise<WorkerResult<CacheLookup>>;
  cancel(): void;
  /** Releases the session (page hidden, model change); the next run opens a new one. */
  dispose(): Promise<void>;
}
