import type { BackendPreference } from '../src/lib/encoder/capabilities.ts';
import type { GridSpec } from '../src/lib/geo/geotransform.ts';
import type { WorkerResult } from '../src/lib/worker-result.ts';

/** Which encoder to open. Bands are the order of the interleaved pixels encode() receives. */
export type EncoderSpec =
  | { model: 'spectral'; bands: string[] }
  | {
      model: 'presto';
      manifestUrl: string;
      preference: BackendPreference;
      bands: string[];
      /** The grid the pixel indices refer to, for each pixel's latitude and longitude. */
      grid: GridSpec;
      /** Month of the acquisition, 0 = January. */
      month: number;
    };

export interface EncoderInfo {
  model: string;
  bands: string[];
  featureNames: string[];
  dim: number;
  backend: string;
  dtype: string;
  reason: string;
}

export interface EncodedBatch {
  embeddings: Float32Array;
  /** Set when the backend changed mid-run (e.g. WebGPU device lost -> WASM). */
  backendChange?: { backend: string; reason: string };
}

/** The encoder worker (pixels -> embeddings), as both sides see it through comlink. */
export interface EncoderWorkerApi {
  /** Builds or downloads the model and opens a session (releasing any previous one). */
  init(spec: EncoderSpec): Promise<WorkerResult<EncoderInfo>>;
  /** Encodes count pixels of interleaved band values at these grid indices; buffers are transferred. */
  encode(pixels: Float32Array, count: number, indices: Uint32Array): Promise<WorkerResult<EncodedBatch>>;
  dispose(): Promise<void>;
}
