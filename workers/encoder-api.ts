import type { WorkerResult } from '../src/lib/worker-result.ts';

export interface EncoderInfo {
  model: string;
  bands: string[];
  featureNames: string[];
  dim: number;
  backend: string;
  dtype: string;
  reason: string;
}

/** The encoder worker (pixels -> embeddings), as both sides see it through comlink. */
export interface EncoderWorkerApi {
  /** Builds the model for these bands and opens a session (releasing any previous one). */
  init(model: 'spectral', bands: string[]): Promise<WorkerResult<EncoderInfo>>;
  /** Encodes count pixels of interleaved band values; the input buffer is transferred. */
  encode(pixels: Float32Array, count: number): Promise<WorkerResult<Float32Array>>;
  dispose(): Promise<void>;
}
