import type {
  PackStartPlan,
  Scene,
  SceneListing,
  SceneListRequest,
  SceneProgress,
  SceneRequest,
} from '../src/lib/scene/index.ts';
import type { WorkerResult } from '../src/lib/worker-result.ts';

/** The scene worker (source -> pixels), as both sides see it through comlink. */
export interface SceneWorkerApi {
  /**
   * Begins reading the pack a start-up opens: fetches the pack index at `indexUrl`, builds the
   * request from `plan` (packStartRequest) and reads it. A load() of the same request adopts
   * the read; anything else cancels it. Resolves when the read ends, however it ends.
   */
  startPack(indexUrl: string, plan: PackStartPlan): Promise<void>;
  /**
   * Loads a scene; a second call cancels the first, except that the load of the request
   * startPack() is reading takes that read over. Progress comes through a comlink proxy.
   */
  load(request: SceneRequest, onProgress: (progress: SceneProgress) => void): Promise<WorkerResult<Scene>>;
  /** Searches without reading pixels: the scene list, the default choice, the best per month. */
  list(
    request: SceneListRequest,
    onProgress: (progress: SceneProgress) => void,
  ): Promise<WorkerResult<SceneListing>>;
  /**
   * Serves the loaded scenes' pixels on `port` (ScenePixelsApi) to the encoder worker, which
   * holds the other end: pixels go worker to worker, the main thread passes handles. One
   * encoder worker at a time: a new port closes the previous one (its worker was restarted).
   */
  connectEncoder(port: MessagePort): void;
  /** Forgets scenes by handle (a new scene replaced them, a series was encoded). */
  release(handles: readonly string[]): void;
  /** Cancels the running load or list. */
  cancel(): void;
  /** Ends the decoder worker pool (before the worker itself is terminated). */
  dispose(): Promise<void>;
}

/** What the scene worker answers on the encoder worker's port. */
export interface ScenePixelsApi {
  /** The scene loaded under `handle` (shared memory: a reference; else a copy, worker to worker). */
  pixels(handle: string): Promise<WorkerResult<Scene>>;
}
