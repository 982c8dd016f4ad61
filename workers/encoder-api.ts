import type { BackendPreference } from '../src/lib/encoder/capabilities.ts';
import type { EncodedBatch } from '../src/lib/encoder/manifest-encoder.ts';
import type { MosaiksFilters } from '../src/lib/encoder/mosaiks-filters.ts';
import type { PatchTile } from '../src/lib/encoder/mosaiks-tiles.ts';
import type { GridSpec } from '../src/lib/geo/geotransform.ts';
import type { WorkerResult } from '../src/lib/worker-result.ts';

export type { EncodedBatch };

/** Where a manifest model's files come from: a served folder, or files the user picked. */
export type ModelSource =
  | { kind: 'url'; manifestUrl: string }
  | {
      kind: 'files';
      /** The manifest JSON as read (validated again in the worker). */
      manifest: unknown;
      /** The .onnx files picked, by file name; only variants present here can be chosen. */
      files: { name: string; bytes: Uint8Array }[];
    };

/** Which encoder to open. Bands are the order of the interleaved pixels encode() receives. */
export type EncoderSpec =
  | { model: 'spectral'; bands: string[] }
  | {
      model: 'mosaiks';
      /** The scene's own filters (sampled on the main thread, where the scene is). */
      filters: MosaiksFilters;
      geometry: { pool: number; stride: number };
      featureNames: string[];
    }
  | {
      model: 'manifest';
      source: ModelSource;
      preference: BackendPreference;
      /** Band order of each time step of the interleaved pixels. */
      bands: string[];
      /** The grid the pixel indices refer to, for each pixel's latitude and longitude. */
      grid: GridSpec;
      /** Calendar month of each time step, 0 = January. */
      months: number[];
    };

export interface EncoderInfo {
  model: string;
  /** The model's name for people, and the SHA-256 of the variant running (for links). */
  name: string;
  sha256?: string;
  bands: string[];
  featureNames: string[];
  dim: number;
  backend: string;
  dtype: string;
  reason: string;
}

/** The encoder worker (pixels -> embeddings), as both sides see it through comlink. */
export interface EncoderWorkerApi {
  /** Builds or downloads the model and opens a session (releasing any previous one). */
  init(spec: EncoderSpec): Promise<WorkerResult<EncoderInfo>>;
  /** Encodes count pixels of interleaved band values at these grid indices; buffers are transferred. */
  encode(pixels: Float32Array, count: number, indices: Uint32Array): Promise<WorkerResult<EncodedBatch>>;
  /** Patch encoders (MOSAIKS): one band-major tile with its halo -> dim x rows x cols; transferred. */
  encodeTile(
    image: Float32Array,
    bands: number,
    height: number,
    width: number,
  ): Promise<WorkerResult<PatchTile>>;
  /** Releases the session (page hidden, model change); the next init opens a new one. */
  dispose(): Promise<void>;
}
