import * as Comlink from 'comlink';
import type { EncoderWorkerApi } from '../../../workers/encoder-api.ts';
import type { PixelEncoder } from '../encoder/encode-scene.ts';
import type { EncoderInfo, EncoderSpec } from '../encoder/encoder-spec.ts';
import type { ModelIdentity } from '../encoder/model-identity.ts';
import type { PatchEncoder, PatchTile } from '../encoder/mosaiks-tiles.ts';
import { unwrap } from '../worker-result.ts';

/** Main-thread handle on the encoder worker. Whoever creates it calls dispose(). */
export class EncoderClient implements PixelEncoder, PatchEncoder {
  private readonly worker = new Worker(new URL('../../../workers/encoder.worker.ts', import.meta.url), {
    type: 'module',
    name: 'encoder',
  });
  private readonly api = Comlink.wrap<EncoderWorkerApi>(this.worker);

  /** Called when the worker had to switch backend mid-run (WebGPU lost -> WASM). */
  onBackendChange: ((backend: string, reason: string) => void) | undefined;

  /** The exact model `spec` would run here, asked of the worker that would run it. */
  async identify(spec: EncoderSpec): Promise<ModelIdentity> {
    return unwrap(await this.api.identify(spec));
  }

  async init(spec: EncoderSpec): Promise<EncoderInfo> {
    return unwrap(await this.api.init(spec));
  }

  async encode(pixels: Float32Array, count: number, indices: Uint32Array): Promise<Float32Array> {
    const batch = unwrap(
      await this.api.encode(
        Comlink.transfer(pixels, [pixels.buffer as ArrayBuffer]),
        count,
        Comlink.transfer(indices, [indices.buffer as ArrayBuffer]),
      ),
    );
    if (batch.backendChange) this.onBackendChange?.(batch.backendChange.backend, batch.backendChange.reason);
    return batch.embeddings;
  }

  /** One MOSAIKS tile; the image buffer is transferred (the tiler builds a new one per tile). */
  async encodeTile(image: Float32Array, bands: number, height: number, width: number): Promise<PatchTile> {
    return unwrap(
      await this.api.encodeTile(Comlink.transfer(image, [image.buffer as ArrayBuffer]), bands, height, width),
    );
  }

  /** Releases the worker's ORT session (page hidden); the next init opens a new one. */
  async release(): Promise<void> {
    await this.api.dispose();
  }

  async dispose(): Promise<void> {
    // Release the ORT session before the worker goes, then end the worker either way.
    await Promise.race([this.api.dispose(), new Promise((resolve) => setTimeout(resolve, 1000))]).catch(
      () => undefined,
    );
    this.api[Comlink.releaseProxy]();
    this.worker.terminate();
  }
}
