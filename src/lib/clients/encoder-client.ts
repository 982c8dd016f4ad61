import * as Comlink from 'comlink';
import type {
  CacheLookup,
  EncodeRunEvents,
  EncodeRunOutcome,
  EncodeRunRequest,
  EncoderWorkerApi,
} from '../../../workers/encoder-api.ts';
import type { EncoderInfo, EncoderSpec } from '../encoder/encoder-spec.ts';
import type { ModelIdentity } from '../encoder/model-identity.ts';
import { throwIfAborted } from '../errors.ts';
import { unwrap } from '../worker-result.ts';

export type {
  CacheLookup,
  CacheSlot,
  EncodePreview,
  EncodeRunProgress,
  EncodeRunRequest,
} from '../../../workers/encoder-api.ts';

/** Main-thread handle on the encoder worker. Whoever creates it calls dispose(). */
export class EncoderClient {
  private readonly worker = new Worker(new URL('../../../workers/encoder.worker.ts', import.meta.url), {
    type: 'module',
    name: 'encoder',
  });
  private readonly api = Comlink.wrap<EncoderWorkerApi>(this.worker);

  /**
   * Gives the worker its end of the channel to the scene worker (SceneClient.connectEncoder
   * holds the other): scenes named by handle are read from there, not sent from here.
   */
  connectScenes(port: MessagePort): void {
    void this.api.connectScenes(Comlink.transfer(port, [port]));
  }

  /** The exact model `spec` would run here, asked of the worker that would run it. */
  async identify(spec: EncoderSpec): Promise<ModelIdentity> {
    return unwrap(await this.api.identify(spec));
  }

  async init(spec: EncoderSpec): Promise<EncoderInfo> {
    return unwrap(await this.api.init(spec));
  }

  /**
   * One encoding run in the worker. Only progress, thumbnails and the finished grid (shared
   * memory: a reference) come back; `signal` ends the run between batches with 'aborted'.
   * Events after the answer are dropped (comlink's proxy port may deliver them late).
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
    const onAbort = () => void this.api.cancel();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      return unwrap(await this.api.run(request, Comlink.proxy(live)));
    } finally {
      answered = true;
      signal.removeEventListener('abort', onAbort);
    }
  }

  /** The browser cache's grid for this run, or the slot to save a new one in (see CacheLookup). */
  async lookup(request: EncodeRunRequest): Promise<CacheLookup> {
    return unwrap(await this.api.lookup(request));
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
