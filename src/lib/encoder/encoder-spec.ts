import type { GridSpec } from '../geo/index.ts';
import type { BackendPreference } from './capabilities.ts';
import type { ModelRunner } from './manifest-runner.ts';
import type { ModelManifest } from './model-manifest.ts';

// The encoder's domain types: what to open and what opened. The worker protocol
// (workers/encoder-api.ts) composes them; the rest of the app imports them from here.
// Which encoder a spec or an option means is its `family`, an id the registry
// (families/registry.ts) resolves: no code outside a family's folder branches on it.

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

/**
 * Which encoder to open. `settings` are the family's own (structured-cloneable: they are
 * posted to the encoder worker); only that family reads them.
 */
export interface EncoderSpec<S = unknown> {
  /** The encoder family that plans, identifies and opens it (a registry id). */
  family: string;
  /** Band order of each time step of the interleaved pixels encode() receives. */
  bands: string[];
  settings: S;
}

/** The settings of every manifest-described model (Presto, Galileo-nano, a user's model). */
export interface ManifestSettings {
  source: ModelSource;
  preference: BackendPreference;
  /** The grid the pixel indices refer to, for each pixel's latitude and longitude. */
  grid: GridSpec;
  /** Calendar month of each time step, 0 = January. */
  months: number[];
}

/** A model the picker offers: one the project generates (spectral, MOSAIKS), or one a manifest describes. */
export type ModelOption =
  | { origin: 'generated'; family: string; id: string; name: string }
  | {
      origin: 'built-in' | 'url' | 'files';
      family: string;
      id: string;
      name: string;
      source: ModelSource;
      manifest: ModelManifest;
      runner: ModelRunner;
    };

export type ManifestOption = Extract<ModelOption, { origin: 'built-in' | 'url' | 'files' }>;

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

/** The exact model: its id, the SHA-256 of the ONNX bytes that run, their variant and backend. */
export interface ModelIdentity {
  id: string;
  sha256: string;
  dtype: string;
  /** ONNX Runtime execution provider ('wasm', 'webgpu'): results differ in the last bits. */
  backend: string;
}
