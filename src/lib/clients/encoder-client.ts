import * as Comlink from 'comlink';
import type { EncodedBatch, EncoderWorkerApi } from '../../../workers/encoder-api.ts';
import type { PixelEncoder } from '../encoder/encode-scene.ts';
import type { EncoderInfo, EncoderSpec } from '../encoder/encoder-spec.ts';
import type { ModelIdentity } from '../encoder/model-identity.ts';
import type { PatchEncoder, PatchTile } from '../encoder/mosaiks-tiles.ts';
import { abortError } from '../errors.ts';
import { unwrap, type WorkerResult } from '../worker-result.ts';

/** One encoder worker and the way its calls end when it is stopped mid-call. */
interface WorkerGeneration {
  worker: Worker;
  api: Comlink.Remote<EncoderWorkerApi>;
  /** Rejects every call still waiting on this worker (it was terminated: none will answer). */
  stopped: Promise<never>;
  stop: (reason: Error) => void;
}

function startWorker(): WorkerGeneration {
  const worker = new Worker(new URL('../../../workers/encoder.worker.ts', import.meta.url), {
    type: 'module',
    name: 'encoder',
  });
  let stop: (reason: Error) => void = () => undefined;
  const stopped = new Promise<never>((_, reject) => {
    stop = reject;
  });
  // Nobody may be waiting when it is stopped: that rejection is no error.
  stopped.catch(() => undefined);
  return { worker, api: Comlink.wrap<EncoderWorkerApi>(worker), stopped, stop };
}

/**
 * Main-thread handle on the encoder worker. Whoever creates it calls dispose(). A cancelled
 * run does not wait for the batch in flight: one ONNX Runtime `session.run` cannot be
 * interrupted, and on a software WebGPU adapter one batch of Presto took ~50 s, so Cancel
 * took that long. interruptOn() instead terminates the worker when its run is cancelled
 * mid-call and starts a fresh one, which the next run initialises as usual.
 */
export class EncoderClient implements PixelEncoder, PatchEncoder {
  private current = startWorker();
  /** Calls sent to the current worker and not yet answered. */
  private inFlight = 0;

  /** Called when the worker had to switch backend mid-run (WebGPU lost -> WASM). */
  onBackendChange: ((backend: string, reason: string) => void) | undefined;

  /**
   * Until the returned function is called, `signal` aborting while a call is in flight
   * terminates the worker (that call rejects as cancelled) and starts a fresh one.
   */
  interruptOn(signal: AbortSignal): () => void {
    const interrupt = () => {
      if (this.inFlight > 0) this.restart();
    };
    if (signal.aborted) interrupt();
    else signal.addEventListener('abort', interrupt, { once: true });
    return () => signal.removeEventListener('abort', interrupt);
  }

  /** The exact model `spec` would run here, asked of the worker that would run it. */
  async identify(spec: EncoderSpec): Promise<ModelIdentity> {
    return unwrap(await this.call<WorkerResult<ModelIdentity>>((api) => api.identify(spec)));
  }

  async init(spec: EncoderSpec): Promise<EncoderInfo> {
    return unwrap(await this.call<WorkerResult<EncoderInfo>>((api) => api.init(spec)));
  }

  async encode(pixels: Float32Array, count: number, indices: Uint32Array): Promise<Float32Array> {
    const batch = unwrap(
      await this.call<WorkerResult<EncodedBatch>>((api) =>
        api.encode(
          Comlink.transfer(pixels, [pixels.buffer as ArrayBuffer]),
          count,
          Comlink.transfer(indices, [indices.buffer as ArrayBuffer]),
        ),
      ),
    );
    if (batch.backendChange) this.onBackendChange?.(batch.backendChange.backend, batch.backendChange.reason);
    return batch.embeddings;
  }

  /** One MOSAIKS tile; the image buffer is transferred (the tiler builds a new one per tile). */
  async encodeTile(image: Float32Array, bands: number, height: number, width: number): Promise<PatchTile> {
    return unwrap(
      await this.call<WorkerResult<PatchTile>>((api) =>
        api.encodeTile(Comlink.transfer(image, [image.buffer as ArrayBuffer]), bands, height, width),
      ),
    );
  }

  /** Releases the worker's ORT session (page hidden); the next init opens a new one. */
  async release(): Promise<void> {
    await this.call((api) => api.dispose());
  }

  async dispose(): Promise<void> {
    const { api, worker } = this.current;
    // Release the ORT session before the worker goes, then end the worker either way.
    await Promise.race([api.dispose(), new Promise((resolve) => setTimeout(resolve, 1000))]).catch(
      () => undefined,
    );
    api[Comlink.releaseProxy]();
    worker.terminate();
  }

  /** A call to the current worker that rejects as cancelled when that worker is terminated. */
  private async call<T>(send: (api: Comlink.Remote<EncoderWorkerApi>) => Promise<T>): Promise<T> {
    const generation = this.current;
    this.inFlight++;
    try {
      return await Promise.race([send(generation.api), generation.stopped]);
    } finally {
      if (this.current === generation) this.inFlight--;
    }
  }

  /** Terminates the worker (and the session run it is stuck in) and starts a fresh one. */
  private restart(): void {
    const old = this.current;
    this.current = startWorker();
    this.inFlight = 0;
    old.stop(abortError('Computing embeddings'));
    old.worker.terminate();
  }
}
