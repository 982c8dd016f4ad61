import * as Comlink from 'comlink';
import { loadScene } from '../src/lib/scene/load-scene.ts';
import { settle } from '../src/lib/worker-result.ts';
import type { SceneWorkerApi } from './scene-api.ts';

let current: AbortController | undefined;

const api: SceneWorkerApi = {
  async load(request, onProgress) {
    current?.abort();
    const controller = new AbortController();
    current = controller;
    const result = await settle(() => loadScene(request, onProgress, controller.signal));
    if (current === controller) current = undefined;
    if (!result.ok) return result;
    const scene = result.value;
    // Hand the pixel buffers over instead of copying them.
    return Comlink.transfer(result, [
      ...scene.reflectance.map((b) => b.buffer as ArrayBuffer),
      scene.valid.buffer as ArrayBuffer,
    ]);
  },
  cancel() {
    current?.abort();
  },
};

Comlink.expose(api);
