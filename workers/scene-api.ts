import type { Scene, SceneProgress, SceneRequest } from '../src/lib/scene/scene.ts';
import type { WorkerResult } from '../src/lib/worker-result.ts';

/** The scene worker (source -> pixels), as both sides see it through comlink. */
export interface SceneWorkerApi {
  /** Loads a scene; a second call cancels the first. Progress comes through a comlink proxy. */
  load(request: SceneRequest, onProgress: (progress: SceneProgress) => void): Promise<WorkerResult<Scene>>;
  cancel(): void;
}
