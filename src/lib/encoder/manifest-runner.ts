import type { GridSpec } from '../geo/index.ts';
import type { EncoderOrt } from './ort-embedding-session.ts';
import type { SpectralBand } from './spectral-manifest.ts';

/** Where a batch's pixels lie and when they were seen: what location-aware models need. */
export interface BatchContext {
  /** Band order of the interleaved pixels (per time step). */
  bands: readonly string[];
  /** The grid the pixel indices refer to. */
  grid: GridSpec;
  /** Calendar month (0 = January) of each time step; one entry for a single scene. */
  months: readonly number[];
}

export type ExecutionProvider = 'wasm' | 'webgpu';

export interface EncodedBatch {
  embeddings: Float32Array;
  /** Set when the backend changed mid-run (WebGPU device lost or an EP error -> WASM). */
  backendChange?: { backend: ExecutionProvider; reason: string };
}

/** One ORT session of a manifest model, fed batches of interleaved pixels. */
export interface ManifestSession {
  encode(pixels: Float32Array, count: number, indices: Uint32Array): Promise<Float32Array>;
  release(): Promise<void>;
}

/**
 * How the app feeds a manifest's model, made by the model's family (families/<id>/) from the
 * validated manifest: Presto's five tensors, Galileo's pixel-mode tensors, or one [N, C]
 * tensor of bands and indices. `kind` is the family's id.
 */
export interface ModelRunner {
  kind: string;
  dim: number;
  /** Scene bands the model reads (per time step), the order pixels are sent in. */
  bands: SpectralBand[];
  /** Fed per-date Sentinel-2 series with months (single date or yearly mode). */
  takesDates: boolean;
  /** Opens one session of the model's bytes on `provider` (an ORT execution provider name). */
  open(ort: EncoderOrt, bytes: Uint8Array, provider: string, ctx: BatchContext): Promise<ManifestSession>;
}
