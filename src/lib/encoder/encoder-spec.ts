import type { GridSpec } from '../geo/geotransform.ts';
import type { BackendPreference } from './capabilities.ts';
import type { MosaiksFilters } from './mosaiks-filters.ts';

// The encoder's domain types: what to open and what opened. The worker protocol
// (workers/encoder-api.ts) composes them; the rest of the app imports them from here.

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
