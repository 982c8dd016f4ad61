import * as Comlink from 'comlink';
import { BrowserCache } from '../src/lib/cache/browser-cache.ts';
import {
  type BackendChoice,
  chooseBackendForModel,
  chooseBackendForPixelGraph,
  probeCapabilities,
} from '../src/lib/encoder/capabilities.ts';
import { PixelEncoderSession } from '../src/lib/encoder/encoder-session.ts';
import { ManifestEncoder } from '../src/lib/encoder/manifest-encoder.ts';
import { modelIdentity } from '../src/lib/encoder/model-identity.ts';
import { runnerFor } from '../src/lib/encoder/model-runner.ts';
import { availableDtypes, sourceManifest, variantBytes } from '../src/lib/encoder/model-source.ts';
import { MosaiksSession } from '../src/lib/encoder/mosaiks-session.ts';
import { configureOrtWeb, loadOrtWeb, type OrtWebModule } from '../src/lib/encoder/ort-web.ts';
import { buildSpectralEncoder } from '../src/lib/encoder/spectral-graph.ts';
import type { Scene } from '../src/lib/scene/scene.ts';
import { settle, unwrap } from '../src/lib/worker-result.ts';
import { type LocalEncoder, runInWorker } from './encode-run.ts';
import type {
  EncodedBatch,
  EncodeRunEvents,
  EncoderInfo,
  EncoderSpec,
  EncoderWorkerApi,
  SceneSource,
} from './encoder-api.ts';
import type { ScenePixelsApi } from './scene-api.ts';

type Active =
  | { kind: 'spectral'; session: PixelEncoderSession }
  | { kind: 'manifest'; encoder: ManifestEncoder }
  | { kind: 'mosaiks'; session: MosaiksSession };

let active: Active | undefined;

/**
 * The onnxruntime-web build for `choice` (plain WASM or JSEP, see ort-web.ts), configured
 * here, once a session is asked for, never at import.
 */
async function ortFor(choice: BackendChoice): Promise<OrtWebModule> {
  const ort = await loadOrtWeb(choice.executionProvider);
  configureOrtWeb(ort, choice.threads);
  return ort;
}

async function release(): Promise<void> {
  const old = active;
  active = undefined;
  await (old?.kind === 'manifest' ? old.encoder : old?.session)?.release();
}

async function openSpectral(bands: string[]): Promise<EncoderInfo> {
  const choice = chooseBackendForPixelGraph(await probeCapabilities());
  const ort = await ortFor(choice);
  const encoder = buildSpectralEncoder(bands);
  const session = await PixelEncoderSession.create(
    ort,
    encoder.bytes,
    {
      inputName: encoder.inputName,
      outputName: encoder.outputName,
      bands: encoder.inputWidth,
      dim: encoder.dim,
    },
    { executionProviders: [choice.executionProvider], graphOptimizationLevel: 'all' },
  );
  active = { kind: 'spectral', session };
  return {
    model: 'spectral',
    name: 'Spectral',
    bands: encoder.bands,
    featureNames: encoder.featureNames,
    dim: encoder.dim,
    backend: choice.executionProvider,
    dtype: choice.dtype,
    reason: choice.reason,
  };
}

async function openMosaiks(spec: Extract<EncoderSpec, { model: 'mosaiks' }>): Promise<EncoderInfo> {
  // A dense convolution: WASM, like the spectral graph (see chooseBackendForPixelGraph's reason).
  const choice = chooseBackendForPixelGraph(await probeCapabilities());
  const ort = await ortFor(choice);
  const session = await MosaiksSession.create(ort, spec.filters, spec.geometry, {
    executionProviders: [choice.executionProvider],
    graphOptimizationLevel: 'all',
  });
  active = { kind: 'mosaiks', session };
  return {
    model: 'mosaiks',
    name: 'MOSAIKS',
    bands: [...spec.filters.bands],
    featureNames: spec.featureNames,
    dim: session.dim,
    backend: choice.executionProvider,
    dtype: choice.dtype,
    reason: choice.reason.replace('the spectral graph is element-wise', 'tiles are small convolutions'),
  };
}

async function openManifest(spec: Extract<EncoderSpec, { model: 'manifest' }>): Promise<EncoderInfo> {
  const manifest = await sourceManifest(spec.source);
  const runner = runnerFor(manifest, `The ${manifest.name} manifest`);
  const choice = chooseBackendForModel(
    await probeCapabilities(),
    spec.preference,
    availableDtypes(manifest, spec.source),
  );
  const ort = await ortFor(choice);
  const { variant, bytes } = await variantBytes(spec.source, manifest, choice.dtype);
  const encoder = await ManifestEncoder.open(
    ort,
    bytes,
    runner,
    { bands: spec.bands, grid: spec.grid, months: spec.months },
    { ep: choice.executionProvider },
  );
  active = { kind: 'manifest', encoder };
  return {
    model: manifest.id,
    name: manifest.name,
    sha256: variant.sha256,
    bands: spec.bands,
    featureNames: Array.from({ length: runner.dim }, (_, i) => `${manifest.id}_${i}`),
    dim: runner.dim,
    backend: choice.executionProvider,
    dtype: choice.dtype,
    reason: choice.reason,
  };
}

async function openSpec(spec: EncoderSpec): Promise<EncoderInfo> {
  await release();
  if (spec.model === 'spectral') return openSpectral(spec.bands);
  return spec.model === 'mosaiks' ? openMosaiks(spec) : openManifest(spec);
}

async function encodeBatch(pixels: Float32Array, count: number, indices: Uint32Array): Promise<EncodedBatch> {
  const current = active;
  if (!current) throw new Error('The encoder is not initialised.');
  if (current.kind === 'spectral') return { embeddings: await current.session.encode(pixels, count) };
  if (current.kind === 'mosaiks') throw new Error('MOSAIKS encodes tiles, not pixels.');
  return current.encoder.encode(pixels, count, indices);
}

function encodeTile(image: Float32Array, bands: number, height: number, width: number) {
  const current = active;
  if (current?.kind !== 'mosaiks') throw new Error('The MOSAIKS encoder is not initialised.');
  return current.session.encodeTile(image, bands, height, width);
}

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

/** This worker's session driven in place by a run: batches never leave the worker. */
function localEncoder(events: EncodeRunEvents): LocalEncoder {
  return {
    init: openSpec,
    async encode(pixels, count, indices) {
      const batch = await encodeBatch(pixels, count, indices);
      if (batch.backendChange)
        events.onBackendChange(batch.backendChange.backend, batch.backendChange.reason);
      return batch.embeddings;
    },
    encodeTile,
  };
}

const api: EncoderWorkerApi = {
  identify(spec) {
    return settle(() => modelIdentity(spec));
  },
  connectScenes(port) {
    scenes?.[Comlink.releaseProxy]();
    scenes = Comlink.wrap<ScenePixelsApi>(port);
  },
  async run(request, events) {
    running?.abort();
    const controller = new AbortController();
    running = controller;
    const result = await settle(async () => {
      const outcome = await runInWorker(request, localEncoder(events), sceneOf, events, controller.signal);
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
        request.option,
        { factor: request.factor, preference: request.preference, series },
        modelIdentity,
      );
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
  init(spec) {
    return settle(() => openSpec(spec));
  },
  async encode(pixels, count, indices) {
    const result = await settle(() => encodeBatch(pixels, count, indices));
    return result.ok ? Comlink.transfer(result, [result.value.embeddings.buffer as ArrayBuffer]) : result;
  },
  async encodeTile(image, bands, height, width) {
    const result = await settle(async () => encodeTile(image, bands, height, width));
    return result.ok ? Comlink.transfer(result, [result.value.data.buffer as ArrayBuffer]) : result;
  },
  async dispose() {
    running?.abort();
    cache?.close();
    cache = undefined;
    await release();
  },
};

Comlink.expose(api);
