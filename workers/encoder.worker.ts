import * as Comlink from 'comlink';
import {
  type BackendChoice,
  chooseBackendForModel,
  chooseBackendForPixelGraph,
  probeCapabilities,
} from '../src/lib/encoder/capabilities.ts';
import { PixelEncoderSession } from '../src/lib/encoder/encoder-session.ts';
import { fetchModelManifest, fetchModelVariant } from '../src/lib/encoder/model-download.ts';
import type { ModelDtype } from '../src/lib/encoder/model-manifest.ts';
import { configureOrtWeb, loadOrtWeb, type OrtWebModule } from '../src/lib/encoder/ort-web.ts';
import { prestoBatchInputs } from '../src/lib/encoder/presto-batch.ts';
import { PrestoSession } from '../src/lib/encoder/presto-session.ts';
import { buildSpectralEncoder } from '../src/lib/encoder/spectral-graph.ts';
import { settle } from '../src/lib/worker-result.ts';
import type { EncodedBatch, EncoderSpec, EncoderWorkerApi } from './encoder-api.ts';

type Active =
  | { kind: 'spectral'; session: PixelEncoderSession }
  | {
      kind: 'presto';
      session: PrestoSession;
      spec: Extract<EncoderSpec, { model: 'presto' }>;
      choice: BackendChoice;
    };

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
  await old?.session.release();
}

async function openPresto(spec: Extract<EncoderSpec, { model: 'presto' }>) {
  const manifest = await fetchModelManifest(spec.manifestUrl);
  const choice = chooseBackendForModel(
    await probeCapabilities(),
    spec.preference,
    manifest.variants.map((v) => v.dtype),
  );
  const ort = await ortFor(choice);
  const { bytes } = await fetchModelVariant(spec.manifestUrl, manifest, choice.dtype as ModelDtype);
  const session = await PrestoSession.create(ort, bytes, {
    executionProviders: [choice.executionProvider],
    graphOptimizationLevel: 'all',
  });
  active = { kind: 'presto', session, spec, choice };
  return { manifest, choice };
}

/** WebGPU failed mid-run (device lost, EP error): reopen on WASM and say so; the batch is redone. */
async function fallBackToWasm(
  current: Extract<Active, { kind: 'presto' }>,
  error: unknown,
): Promise<EncodedBatch['backendChange']> {
  await current.session.release().catch(() => undefined);
  const { choice } = await openPresto({ ...current.spec, preference: 'wasm' });
  return {
    backend: 'wasm',
    reason: `WebGPU failed (${error instanceof Error ? error.message : String(error)}); finishing on ${choice.reason}`,
  };
}

const api: EncoderWorkerApi = {
  init(spec) {
    return settle(async () => {
      await release();
      if (spec.model === 'spectral') {
        const choice = chooseBackendForPixelGraph(await probeCapabilities());
        const ort = await ortFor(choice);
        const encoder = buildSpectralEncoder(spec.bands);
        const session = await PixelEncoderSession.create(
          ort,
          encoder.bytes,
          {
            inputName: encoder.inputName,
            outputName: encoder.outputName,
            bands: encoder.bands.length,
            dim: encoder.dim,
          },
          { executionProviders: [choice.executionProvider], graphOptimizationLevel: 'all' },
        );
        active = { kind: 'spectral', session };
        return {
          model: 'spectral',
          bands: encoder.bands,
          featureNames: encoder.featureNames,
          dim: encoder.dim,
          backend: choice.executionProvider,
          dtype: choice.dtype,
          reason: choice.reason,
        };
      }
      const { manifest, choice } = await openPresto(spec);
      const dim = PrestoSession.dim;
      return {
        model: manifest.id,
        bands: spec.bands,
        featureNames: Array.from({ length: dim }, (_, i) => `presto_${i}`),
        dim,
        backend: choice.executionProvider,
        dtype: choice.dtype,
        reason: choice.reason,
      };
    });
  },
  async encode(pixels, count, indices) {
    const result = await settle(async (): Promise<EncodedBatch> => {
      const current = active;
      if (!current) throw new Error('The encoder is not initialised.');
      if (current.kind === 'spectral') return { embeddings: await current.session.encode(pixels, count) };
      const inputs = prestoBatchInputs(
        pixels,
        count,
        indices,
        current.spec.bands,
        current.spec.grid,
        current.spec.month,
      );
      try {
        return { embeddings: await current.session.encode(inputs) };
      } catch (error) {
        if (current.choice.executionProvider !== 'webgpu') throw error;
        const backendChange = await fallBackToWasm(current, error);
        const again = active;
        if (again?.kind !== 'presto') throw error;
        return { embeddings: await again.session.encode(inputs), backendChange };
      }
    });
    return result.ok ? Comlink.transfer(result, [result.value.embeddings.buffer as ArrayBuffer]) : result;
  },
  async dispose() {
    await release();
  },
};

Comlink.expose(api);
