import * as Comlink from 'comlink';
import { Pool } from 'geotiff';
import { ByteStore, SceneCache } from '../src/lib/cache/index.ts';
import { AppError } from '../src/lib/errors.ts';
import type { Scene, SceneProgress, SceneRequest } from '../src/lib/scene/index.ts';
import { listPacks, listScenes, loadScene, packStartRequest, shareScene } from '../src/lib/scene/index.ts';
import { settle, type WorkerResult } from '../src/lib/worker-result.ts';
import { EarlyRead } from './early-read.ts';
import type { ScenePixelsApi, SceneWorkerApi } from './scene-api.ts';

let current: AbortController | undefined;
let pool: Pool | undefined;
/** The browser's cache of COG byte ranges, opened at the first load and closed by dispose(). */
let tiles: Promise<SceneCache> | undefined;

/**
 * Tile decoding runs in a geotiff.js worker Pool (loadScene's `pool`) of up to cores - 1
 * workers, so fetching and resampling here overlap with decoding there. `npm run bench`
 * (cog_decode_pool_mbps) measured 0.7x to 1.4x of single-thread throughput on a loaded
 * 2-core machine; the browser tests (tests/e2e/sources.e2e.ts) run with it under the page's COEP.
 */
const POOL_MIN_CORES = 2;

function decoderPool(): Pool | undefined {
  const cores = globalThis.navigator?.hardwareConcurrency ?? 1;
  if (cores < POOL_MIN_CORES) return undefined;
  pool ??= new Pool(Math.min(4, cores - 1));
  return pool;
}

/**
 * Loaded scenes by handle, for the encoder worker. The main thread releases those it drops; the
 * cap bounds what a missed release could keep (a yearly series is up to 24 dates plus two).
 */
const scenes = new Map<string, Scene>();
const MAX_SCENES = 32;
let nextHandle = 0;

function keep(scene: Scene): Scene {
  const handle = `scene-${++nextHandle}`;
  const kept = { ...shareScene(scene), handle };
  scenes.set(handle, kept);
  for (const old of scenes.keys()) if (scenes.size > MAX_SCENES) scenes.delete(old);
  return kept;
}

const pixelsApi: ScenePixelsApi = {
  pixels(handle) {
    return settle(() => {
      const scene = scenes.get(handle);
      if (!scene)
        throw new AppError('not-found', 'The scene was replaced before its pixels were read: load it again.');
      return scene;
    });
  },
};

function begin(): AbortController {
  current?.abort();
  const controller = new AbortController();
  current = controller;
  return controller;
}

/** The port the current encoder worker reads scenes on (connectEncoder). */
let encoderPort: MessagePort | undefined;

/** One load under `controller`: the scene kept under a handle, or the error. */
async function read(
  request: SceneRequest,
  onProgress: (p: SceneProgress) => void,
  controller: AbortController,
): Promise<WorkerResult<Scene>> {
  tiles ??= SceneCache.open(() => ByteStore.open());
  const cache = request.kind === 'files' ? undefined : await tiles;
  const result = await settle(async () => {
    const scene = await loadScene(request, onProgress, controller.signal, decoderPool(), cache);
    // The stored bytes count in the Storage panel once the scene shows; a failed write is said now.
    await cache?.settle();
    return { ...scene, storageNotice: cache?.takeProblem() };
  });
  if (current === controller) current = undefined;
  if (!result.ok) return result;
  // Shared memory: the main thread gets references to the pixels kept here, not a copy.
  // Without it (a page not cross-origin isolated) postMessage copies them: ours stay here.
  return { ok: true, value: keep(result.value) };
}

/** The start-up pack's read (startPack), until a load adopts it or another call replaces it. */
let early: EarlyRead<WorkerResult<Scene>> | undefined;

const api: SceneWorkerApi = {
  async startPack(indexUrl, plan) {
    const controller = begin();
    const mine = new EarlyRead<WorkerResult<Scene>>();
    early = mine;
    mine.result = (async (): Promise<WorkerResult<Scene>> => {
      const found = await settle(() => listPacks(indexUrl, controller.signal));
      const start = found.ok ? packStartRequest(plan, found.value) : undefined;
      mine.settle(start?.request);
      // No read to adopt: the page's own load finds the index's problem and says it.
      if (!found.ok) return found;
      if (!start)
        return settle(() => {
          throw new AppError('not-found', `The start-up's pack is not in ${indexUrl}.`);
        });
      return read(start.request, mine.onProgress, controller);
    })();
    await mine.result;
  },
  async load(request, onProgress) {
    const mine = early;
    early = undefined;
    const adopted = await mine?.adopt(request, onProgress);
    if (adopted) return adopted;
    // Not adopted: the read is cancelled (begin) or its scene, if it finished, forgotten.
    void mine?.result?.then((r) => r.ok && r.value.handle && scenes.delete(r.value.handle));
    return read(request, onProgress, begin());
  },
  async list(request, onProgress) {
    const controller = begin();
    const result = await settle(() => listScenes(request, onProgress, controller.signal));
    if (current === controller) current = undefined;
    return result;
  },
  connectEncoder(port) {
    // One encoder worker at a time: a new port means the previous worker was terminated
    // (a cancelled run restarts it), so its port is closed rather than left listening.
    encoderPort?.close();
    encoderPort = port;
    Comlink.expose(pixelsApi, port);
  },
  release(handles) {
    for (const h of handles) scenes.delete(h);
  },
  cancel() {
    current?.abort();
  },
  async dispose() {
    current?.abort();
    await pool?.destroy();
    pool = undefined;
    scenes.clear();
    (await tiles)?.close();
    tiles = undefined;
  },
};

Comlink.expose(api);
