import * as Comlink from 'comlink';
import type { SceneWorkerApi } from '../../../workers/scene-api.ts';
import { throwIfAborted } from '../errors.ts';
import type { SceneListing } from '../scene/load-scene.ts';
import type { Scene, SceneListRequest, SceneProgress, SceneRequest } from '../scene/scene.ts';
import { unwrap, type WorkerResult } from '../worker-result.ts';

/** Main-thread handle on the scene worker. Whoever creates it calls dispose(). */
export class SceneClient {
  private readonly worker = new Worker(new URL('../../../workers/scene.worker.ts', import.meta.url), {
    type: 'module',
    name: 'scene',
  });
  private readonly api = Comlink.wrap<SceneWorkerApi>(this.worker);

  private async run<T>(signal: AbortSignal, call: () => Promise<WorkerResult<T>>): Promise<T> {
    throwIfAborted(signal, 'Loading the scene');
    const onAbort = () => void this.api.cancel();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      return unwrap(await call());
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }

  /** Reads a scene's pixels (a second call cancels the first). */
  load(request: SceneRequest, onProgress: (p: SceneProgress) => void, signal: AbortSignal): Promise<Scene> {
    return this.run(signal, () => this.api.load(request, Comlink.proxy(onProgress)));
  }

  /** Searches for the scene list (dates, cloud, coverage, thumbnails) without reading pixels. */
  list(
    request: SceneListRequest,
    onProgress: (p: SceneProgress) => void,
    signal: AbortSignal,
  ): Promise<SceneListing> {
    return this.run(signal, () => this.api.list(request, Comlink.proxy(onProgress)));
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
