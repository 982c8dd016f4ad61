import * as Comlink from 'comlink';
import type { SceneWorkerApi } from '../../../workers/scene-api.ts';
import { throwIfAborted } from '../errors.ts';
import type {
  PackStartPlan,
  Scene,
  SceneListing,
  SceneListRequest,
  SceneProgress,
  SceneRequest,
} from '../scene/index.ts';
import { unwrap, type WorkerResult } from '../worker-result.ts';

/** Main-thread handle on the scene worker. Whoever creates it calls dispose(). */
export class SceneClient {
  private readonly worker = new Worker(new URL('../../../workers/scene.worker.ts', import.meta.url), {
    type: 'module',
    name: 'scene',
  });
  private readonly api = Comlink.wrap<SceneWorkerApi>(this.worker);

  /**
   * One worker call. Progress reaches the caller only until the answer is in: comlink sends
   * progress through the proxy's own port, whose messages may arrive after the answer on the
   * worker's port, and a late "step 5 / 5" would otherwise show a finished load as running.
   */
  private async run<T>(
    signal: AbortSignal,
    onProgress: (p: SceneProgress) => void,
    call: (report: (p: SceneProgress) => void) => Promise<WorkerResult<T>>,
  ): Promise<T> {
    throwIfAborted(signal, 'Loading the scene');
    let answered = false;
    const report = (p: SceneProgress) => {
      if (!answered) onProgress(p);
    };
    const onAbort = () => void this.api.cancel();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      return unwrap(await call(report));
    } finally {
      answered = true;
      signal.removeEventListener('abort', onAbort);
    }
  }

  /**
   * Starts reading the pack a start-up opens (the app's first script, before the main script
   * has loaded): the worker fetches the pack index, builds the request (packStartRequest) and
   * reads it; the load() of the same request adopts that read, progress included, instead of
   * starting again, and any other load() cancels it. Resolves when the read ends.
   */
  startPack(indexUrl: string, plan: PackStartPlan): Promise<unknown> {
    return this.api.startPack(indexUrl, plan);
  }

  /** Reads a scene's pixels (a second call cancels the first, unless it is the start-up's read). */
  load(request: SceneRequest, onProgress: (p: SceneProgress) => void, signal: AbortSignal): Promise<Scene> {
    return this.run(signal, onProgress, (report) => this.api.load(request, Comlink.proxy(report)));
  }

  /** Searches for the scene list (dates, cloud, coverage, thumbnails) without reading pixels. */
  list(
    request: SceneListRequest,
    onProgress: (p: SceneProgress) => void,
    signal: AbortSignal,
  ): Promise<SceneListing> {
    return this.run(signal, onProgress, (report) => this.api.list(request, Comlink.proxy(report)));
  }

  /** Serves scenes' pixels by handle on `port` (the encoder worker holds the other end). */
  connectEncoder(port: MessagePort): void {
    void this.api.connectEncoder(Comlink.transfer(port, [port]));
  }

  /** Forgets scenes the app no longer shows or encodes (their pixels are freed there). */
  release(scenes: readonly (Scene | undefined)[]): void {
    const handles = scenes.flatMap((s) => (s?.handle ? [s.handle] : []));
    if (handles.length) void this.api.release(handles);
  }

  dispose(): void {
    // The worker ends its decoder pool first; terminate() follows either way.
    void this.api
      .dispose()
      .catch(() => undefined)
      .finally(() => {
        this.api[Comlink.releaseProxy]();
        this.worker.terminate();
      });
  }
}
