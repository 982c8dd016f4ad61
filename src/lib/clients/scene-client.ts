import * as Comlink from 'comlink';
import type { SceneWorkerApi } from '../../../workers/scene-api.ts';
import { throwIfAborted } from '../errors.ts';
import type { Scene, SceneListing, SceneListRequest, SceneProgress, SceneRequest } from '../scene/index.ts';
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

  /** A read begun before anyone asked (start-up), adopted by the first load() of the same request. */
  private early:
    | {
        key: string;
        answer: Promise<WorkerResult<Scene>>;
        forward: (report: (p: SceneProgress) => void) => void;
      }
    | undefined;

  /**
   * Starts reading `request` now (the app's start-up, before its map draws): the load() that
   * asks for the same request takes this read over, progress included, instead of starting
   * again. Any other load() cancels it, as a second load does. Resolves when the read ends.
   */
  prefetch(request: SceneRequest): Promise<unknown> {
    let report: (p: SceneProgress) => void = () => undefined;
    const answer = this.api.load(
      request,
      Comlink.proxy((p: SceneProgress) => report(p)),
    );
    this.early = { key: JSON.stringify(request), answer, forward: (to) => (report = to) };
    return answer;
  }

  /** Reads a scene's pixels (a second call cancels the first). */
  load(request: SceneRequest, onProgress: (p: SceneProgress) => void, signal: AbortSignal): Promise<Scene> {
    const early = this.early;
    this.early = undefined;
    if (early?.key === JSON.stringify(request))
      return this.run(signal, onProgress, (report) => {
        early.forward(report);
        return early.answer;
      });
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
