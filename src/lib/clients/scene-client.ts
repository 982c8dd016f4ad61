import * as Comlink from 'comlink';
import type { SceneWorkerApi } from '../../../workers/scene-api.ts';
import { throwIfAborted } from '../errors.ts';
import type { Scene, SceneProgress, SceneRequest } from '../scene/scene.ts';
import { unwrap } from '../worker-result.ts';

/** Main-thread handle on the scene worker. Whoever creates it calls dispose(). */
export class SceneClient {
  private readonly worker = new Worker(new URL('../../../workers/scene.worker.ts', import.meta.url), {
    type: 'module',
    name: 'scene',
  });
  private readonly api = Comlink.wrap<SceneWorkerApi>(this.worker);

  async load(
    request: SceneRequest,
    onProgress: (p: SceneProgress) => void,
    signal: AbortSignal,
  ): Promise<Scene> {
    throwIfAborted(signal, 'Loading the scene');
    const onAbort = () => void this.api.cancel();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      return unwrap(await this.api.load(request, Comlink.proxy(onProgress)));
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }

  dispose(): void {
    this.api[Comlink.releaseProxy]();
    this.worker.terminate();
  }
}
