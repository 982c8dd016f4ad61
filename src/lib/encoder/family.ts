import type { Scene } from '../scene/index.ts';
import type { BackendChoice, BackendPreference } from './capabilities.ts';
import type { EncoderInfo, EncoderSpec, ModelIdentity, ModelOption } from './encoder-spec.ts';
import type { EncodedBatch, ExecutionProvider, ModelRunner } from './manifest-runner.ts';
import type { ModelManifest } from './model-manifest.ts';
import type { PatchEncodeResult, PatchEncoder, PatchProgress, PatchTile } from './mosaiks-tiles.ts';
import type { EncoderOrt } from './ort-embedding-session.ts';

/**
 * An encoder family: everything the app, the encoder worker and the cache need to know about
 * one kind of encoder, in one folder (families/<id>/index.ts) behind the registry
 * (registry.ts). Generic code asks the family of an option or a spec (`family`, its id) and
 * never names one: a new encoder is a new folder and one line in the registry.
 */
export interface EncoderFamily<S = unknown> {
  /** The registry id: specs, options and model runners name their family by it. */
  readonly id: string;
  readonly title: string;
  /** What progress and rates count: encoded pixels, or patches of factor x factor pixels. */
  readonly unit: 'pixels' | 'patches';
  /** The resolution factor (patch stride) a model of this family starts at when chosen. */
  readonly defaultFactor: number;
  /** Side (pixels) of the first calibration probe's block: slow models need few pixels. */
  readonly probeSide: number;
  /** Work units per second before this device has run it (a 2-core laptop's rate, a guess). */
  readonly guessUnitsPerSecond: number;
  /** Whether the user may choose the backend (WebGPU or WASM); otherwise it runs on WASM. */
  readonly choosesBackend: boolean;
  /** Whether it is fed dated series (yearly mode) and told each date's month. */
  readonly takesDates: boolean;
  /** Whether its embeddings are kept in the browser cache (a key identifies them exactly). */
  readonly cached: boolean;
  /** A remark the picker shows while one of its models is chosen. */
  readonly note?: string;
  /** Families the project generates (no manifest) offer one model, listed from the start. */
  readonly option?: ModelOption;
  /** Families of manifest-described models: how a manifest is recognised and fed. */
  readonly manifest?: ManifestFamilyHooks;
  /**
   * The project's own converted model of this family, if any: its folder under public/models
   * (`npm run models` builds it), which is also its model id, and its name for messages.
   */
  readonly builtIn?: { id: string; label: string };
  /** The picker's line for one of its models. */
  describe(option: ModelOption): string;
  /** What one "Compute embeddings" runs (planned in the encoder worker, which reads the scene). */
  plan(option: ModelOption, scene: Scene, settings: PlanSettings): EncodingPlan<S>;
  /** The exact model a spec runs on this device, for cache keys (in the encoder worker). */
  identify(spec: EncoderSpec<S>): Promise<ModelIdentity>;
  /** Builds or downloads the model and opens its session (in the encoder worker). */
  open(spec: EncoderSpec<S>, runtime: OrtRuntime): Promise<OpenedEncoder>;
}

/** Families of manifest models: a manifest naming none is offered to each in turn. */
export interface ManifestFamilyHooks {
  /** Whether a manifest that does not name its family has this family's inputs. */
  recognises(manifest: ModelManifest): boolean;
  /** The runner for a manifest of this family; the error names the field it cannot work with. */
  runner(manifest: ModelManifest, source: string): ModelRunner;
}

export interface PlanSettings {
  /** Encode on blocks of factor x factor pixels (MOSAIKS: the patch stride). */
  factor: number;
  preference: BackendPreference;
  /** Yearly mode: the scenes of each month on the scene's grid, oldest first. */
  series?: readonly Scene[];
}

/** A per-pixel plan: valid pixels of `target` are streamed in batches to the encoder. */
export interface PixelPlan<S = unknown> {
  unit: 'pixels';
  spec: EncoderSpec<S>;
  /** The scene (possibly coarser) whose valid pixels are encoded. */
  target: Scene;
  /** Yearly mode: one scene per time step on the target's grid. */
  steps?: Scene[];
  batchSize: number;
  /** Columns fed after the bands (the spectral encoder's texture) on the target's grid. */
  extraColumns?: Float32Array[];
  /** What besides the factor tells this family's embeddings apart in a cache key. */
  keyParams: Record<string, string>;
}

export interface PatchRunOptions {
  signal?: AbortSignal;
  onProgress?: (progress: PatchProgress) => void;
  /** Called once with the still empty grid before the first tile, to show it as it fills. */
  onStart?: (result: PatchEncodeResult) => void;
  /** Allocate the grid in a SharedArrayBuffer so workers read it without copies. */
  shared?: boolean;
}

/** A patch plan: the scene is cut into tiles the encoder turns into patch embeddings. */
export interface PatchPlan<S = unknown> {
  unit: 'patches';
  spec: EncoderSpec<S>;
  dim: number;
  encode(scene: Scene, encoder: PatchEncoder, options: PatchRunOptions): Promise<PatchEncodeResult>;
}

export type EncodingPlan<S = unknown> = PixelPlan<S> | PatchPlan<S>;

/** An opened encoder in the worker: a pixel or a tile session, and what it is. */
export interface OpenedEncoder {
  info: EncoderInfo;
  session: FamilySession;
}

export interface FamilySession {
  encode?(pixels: Float32Array, count: number, indices: Uint32Array): Promise<EncodedBatch>;
  encodeTile?(image: Float32Array, bands: number, height: number, width: number): Promise<PatchTile>;
  release(): Promise<void>;
}

/**
 * The ONNX Runtime a family opens its session with: onnxruntime-web in the encoder worker,
 * onnxruntime-node in the CLI and tests (the module that owns it loads it; families get it
 * injected and never import it).
 */
export interface OrtRuntime {
  load(choice: BackendChoice): Promise<EncoderOrt>;
  /** The runtime's name of each execution provider (onnxruntime-node's CPU one is "cpu"). */
  providers: Record<ExecutionProvider, string>;
}
