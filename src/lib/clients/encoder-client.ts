import * as Comlink from 'comlink';
import type {
  CacheLookup,
  EncodeRunEvents,
  EncodeRunOutcome,
  EncodeRunRequest,
  EncoderWorkerApi,
} from '../../../workers/encoder-api.ts';
import { abortError, throwIfAborted } from '../errors.ts';
import { unwrap, type WorkerResult } from '../worker-result.ts';

export type {
  CacheLookup,
  CacheSlot,
  EncodePreview,
  EncodeRunProgress,
  EncodeRunRequest,
} from '../../../workers/encoder-api.ts';

/** One encoder worker and the way its calls end when it is stopped mid-call. */
interface WorkerGeneration {
  worker: Worker;
  api: Comlink.Remote<EncoderWorkerApi>;
  /** Rejects every call still waiting on this worker (it was terminated: none will answer). */
  stopped: Promise<never>;
  stop: (reason: Error) => void;
}

function startWorker(scenePort: MessagePort | undefined): WorkerGeneration {
  const worker = new Worker(new URL('../../../workers/encoder.worker.ts', import.meta.url), {
    type: 'module',
    name: 'encoder',
  });
  const api = Comlink.wrap<EncoderWorkerApi>(worker);
  // Posted before any call, so the worker holds its scene port before a run asks for pixels.
  if (scenePort) void api.connectScenes(Comlink.transfer(scenePort, [scenePort]));
  let stop: (reason: Error) => void = () => undefined;
  const stopped = new Promise<never>((_, reject) => {
    stop = reject;
  });
  // Nobody may be waiting when it is stopped: that rejection is no error.
  stopped.catch(() => undefined);
  return { worker, api, stopped, stop };
}

/**
 * Main-thread handle on the encoder worker. Whoever creates it calls dispose(). The worker
 * reads scenes by handle from the scene worker over its own channel: `scenePort` makes one
 * for each worker started (a restarted worker is connected again).
 *
 * A cancelled run does not wait for the batch in flight: one ONNX Runtime `session.run`
 * cannot be interrupted, and on a software WebGPU adapter one batch of Presto took ~50 s, so
 * Cancel took that long. interruptOn() instead terminates the worker when its run is
 * cancelled mid-call and starts a fresh one, which the next run initialises as usual.
 */
export class EncoderClient {
  private current: WorkerGeneration;
  /** Calls sent to the current worker and not yet answered. */
  private inFlight = 0;

  constructor(private readonly scenePort?: () => MessagePort) {
    this.current = startWorker(scenePort?.());
  }

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

  /**
   * One encoding run in the worker. Only progress, thumbnails and the finished grid (shared
   * memory: a reference) come back; `signal` ends the run between batches with 'aborted'
   * (at once, when interruptOn holds it). Events after the answer are dropped (comlink's
   * proxy port may deliver them late).
   */
  async run(
    request: EncodeRunRequest,
    events: EncodeRunEvents,
    signal: AbortSignal,
  ): Promise<EncodeRunOutcome> {
    throwIfAborted(signal, 'Computing embeddings');
    let answered = false;
    const live: EncodeRunEvents = {
      onInfo: (info) => !answered && events.onInfo(info),
      onProgress: (p) => !answered && events.onProgress(p),
      onPreview: (p) => !answered && events.onPreview(p),
      onBackendChange: (backend, reason) => !answered && events.onBackendChange(backend, reason),
    };
    const generation = this.current;
    // A worker interruptOn already terminated has nothing left to cancel.
    const onAbort = () => {
      if (this.current === generation) void generation.api.cancel();
    };
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      return unwrap(
        await this.call<WorkerResult<EncodeRunOutcome>>((api) => api.run(request, Comlink.proxy(live))),
      );
    } finally {
      answered = true;
      signal.removeEventListener('abort', onAbort);
    }
  }

  /** The browser cache's grid for this run, or the slot to save a new one in (see CacheLookup). */
  async lookup(request: EncodeRunRequest): Promise<CacheLookup> {
    return unwrap(await this.call<WorkerResult<CacheLookup>>((api) => api.lookup(request)));
  }

  /** Releases the worker's ORT session (page hidden); the next run opens a new one. */
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
    this.current = startWorker(this.scenePort?.());
    this.inFlight = 0;
    old.stop(abortError('Computing embeddings'));
    old.worker.terminate();
  }
}
