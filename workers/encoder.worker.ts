import * as Comlink from 'comlink';
import { BrowserCache } from '../src/lib/cache/index.ts';
import type { BackendChoice } from '../src/lib/encoder/index.ts';
import { EncoderHost, revivedOption } from '../src/lib/encoder/index.ts';
import { configureOrtWeb, loadOrtWeb, type OrtWebModule } from '../src/lib/encoder/ort.ts';
import type { Scene } from '../src/lib/scene/index.ts';
import { settle, unwrap } from '../src/lib/worker-result.ts';
import { forgetPlan, planOnce, runInWorker } from './encode-run.ts';
import type { EncoderWorkerApi, SceneSource } from './encoder-api.ts';
import type { ScenePixelsApi } from './scene-api.ts';

/**
 * The onnxruntime-web build for `choice` (plain WASM or JSEP, see ort-web.ts), configured
 * here, once a session is asked for, never at import.
 */
async function ortFor(choice: BackendChoice): Promise<OrtWebModule> {
  const ort = await loadOrtWeb(choice.executionProvider);
  configureOrtWeb(ort, choice.threads);
  return ort;
}

// The spec's family opens the session (families/<id>/); this worker only owns the runtime.
const host = new EncoderHost({ load: ortFor, providers: { wasm: 'wasm', webgpu: 'webgpu' } });

/** The scene worker's end of the port between the two workers (connectScenes). */
let scenes: Comlink.Remote<ScenePixelsApi> | undefined;
let running: AbortController | undefined;
/** The embeddings part of the browser's cache, looked up and written here (never the main thread). */
let cache: BrowserCache | undefined;

async function sceneOf(source: SceneSource): Promise<Scene> {
  if (source.kind === 'pixels') return source.scene;
  if (!scenes) throw new Error('The encoder worker is not connected to the scene worker.');
  return unwrap(await scenes.pixels(source.handle));
}

const api: EncoderWorkerApi = {
  connectScenes(port) {
    scenes?.[Comlink.releaseProxy]();
    scenes = Comlink.wrap<ScenePixelsApi>(port);
  },
  async run(request, events) {
    running?.abort();
    const controller = new AbortController();
    running = controller;
    const result = await settle(async () => {
      const outcome = await runInWorker(request, host, sceneOf, events, controller.signal);
      if (!request.save) return outcome;
      cache ??= new BrowserCache();
      const saveNote = await cache.saveEmbeddings(request.save, outcome.grid, outcome.info);
      return saveNote ? { ...outcome, saveNote } : outcome;
    });
    if (running === controller) running = undefined;
    // A grid in shared memory goes back as a reference; otherwise its buffer is handed over.
    if (!result.ok || result.value.grid.data.buffer instanceof SharedArrayBuffer) return result;
    const { data, valid } = result.value.grid;
    return Comlink.transfer(result, [data.buffer as ArrayBuffer, valid.buffer as ArrayBuffer]);
  },
  lookup(request) {
    return settle(async () => {
      cache ??= new BrowserCache();
      const scene = await sceneOf(request.scene);
      const series = request.series ? await Promise.all(request.series.map(sceneOf)) : undefined;
      const found = await cache.findEmbeddings(
        scene,
        revivedOption(request.option),
        {
          factor: request.factor,
          preference: request.preference,
          series,
          plan: () => planOnce(request, scene, series),
        },
        (spec) => host.identify(spec),
      );
      // A hit needs no run: the plan kept for it would only hold the scene's pixels.
      if (found.hit) forgetPlan();
      const notice = cache.takeNotice();
      const save = found.key && found.model ? { key: found.key, model: found.model } : undefined;
      const hit = found.hit && {
        grid: found.hit.grid,
        gridSpec: found.hit.gridSpec,
        info: found.hit.info,
        note: found.hit.note,
      };
      return { ...(hit ? { hit } : {}), ...(save ? { save } : {}), ...(notice ? { notice } : {}) };
    });
  },
  cancel() {
    running?.abort();
  },
  async dispose() {
    running?.abort();
    forgetPlan();
    cache?.close();
    cache = undefined;
    await host.release();
  },
};

Comlink.expose(api);
