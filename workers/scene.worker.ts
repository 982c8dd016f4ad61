import * as Comlink from 'comlink';
import { Pool } from 'geotiff';
import { listScenes, loadScene } from '../src/lib/scene/load-scene.ts';
import { settle } from '../src/lib/worker-result.ts';
import type { SceneWorkerApi } from './scene-api.ts';

let current: AbortController | undefined;
let pool: Pool | undefined;

/**
 * Tile decoding can run in a geotiff.js worker Pool (loadScene's `pool`). `npm run bench`
 * (cog_decode_pool_mbps) measured 0.7x to 1.4x of single-thread throughput on a loaded
 * 2-core machine, and the pool's blob-URL workers are not yet covered by a browser test
 * under the page's COEP, so the worker decodes on its own thread (already off the main
 * thread) until both say otherwise: set POOL_MIN_CORES to enable it on larger devices.
 */
const POOL_MIN_CORES = Number.POSITIVE_INFINITY;

function decoderPool(): Pool | undefined {
  const cores = globalThis.navigator?.hardwareConcurrency ?? 1;
  if (cores < POOL_MIN_CORES) return undefined;
  pool ??= new Pool(Math.min(4, cores - 1));
  return pool;
}

function begin(): AbortController {
  current?.abort();
  const controller = new AbortController();
  current = controller;
  return controller;
}

const api: SceneWorkerApi = {
  async load(request, onProgress) {
    const controller = begin();
    const result = await settle(() => loadScene(request, onProgress, controller.signal, decoderPool()));
    if (current === controller) current = undefined;
    if (!result.ok) return result;
    const scene = result.value;
    // Hand the pixel buffers over instead of copying them.
    return Comlink.transfer(result, [
      ...scene.reflectance.map((b) => b.buffer as ArrayBuffer),
      scene.valid.buffer as ArrayBuffer,
    ]);
  },
  async list(request, onProgress) {
    const controller = begin();
    const result = await settle(() => listScenes(request, onProgress, controller.signal));
    if (current === controller) current = undefined;
    return result;
  },
  cancel() {
    current?.abort();
  },
  async dispose() {
    current?.abort();
    await pool?.destroy();
    pool = undefined;
  },
};

Comlink.expose(api);
