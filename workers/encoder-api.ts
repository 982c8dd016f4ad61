import type { EncoderInfo, EncoderSpec, ModelSource } from '../src/lib/encoder/encoder-spec.ts';
import type { EncodedBatch } from '../src/lib/encoder/manifest-runner.ts';
import type { ModelIdentity } from '../src/lib/encoder/model-identity.ts';
import type { PatchTile } from '../src/lib/encoder/mosaiks-tiles.ts';
import type { WorkerResult } from '../src/lib/worker-result.ts';

// The domain types live in src/lib/encoder; re-exported for code written against this file.
export type { EncodedBatch, EncoderInfo, EncoderSpec, ModelSource };

/** The encoder worker (pixels -> embeddings), as both sides see it through comlink. */
export interface EncoderWorkerApi {
  /** The exact model `spec` would run on this device (for cache keys), without opening it. */
  identify(spec: EncoderSpec): Promise<WorkerResult<ModelIdentity>>;
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
