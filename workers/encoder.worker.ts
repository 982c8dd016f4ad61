import * as Comlink from 'comlink';
import * as ort from 'onnxruntime-web';
import { chooseBackendForPixelGraph, probeCapabilities } from '../src/lib/encoder/capabilities.ts';
import { PixelEncoderSession } from '../src/lib/encoder/encoder-session.ts';
import { buildSpectralEncoder } from '../src/lib/encoder/spectral-graph.ts';
import { settle } from '../src/lib/worker-result.ts';
import type { EncoderWorkerApi } from './encoder-api.ts';

let session: PixelEncoderSession | undefined;

/** ORT settings are applied here, once a session is asked for, never at import. */
function configureOrt(threads: number): void {
  // The app serves ORT's .wasm itself (see vite.config.ts), so it works offline.
  ort.env.wasm.wasmPaths = new URL(`${import.meta.env.BASE_URL}ort/`, self.location.origin).href;
  ort.env.wasm.numThreads = threads;
  ort.env.wasm.proxy = false;
}

const api: EncoderWorkerApi = {
  init(model, bands) {
    return settle(async () => {
      await session?.release();
      session = undefined;
      const choice = chooseBackendForPixelGraph(await probeCapabilities());
      configureOrt(choice.threads);
      const encoder = buildSpectralEncoder(bands);
      session = await PixelEncoderSession.create(
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
      return {
        model,
        bands: encoder.bands,
        featureNames: encoder.featureNames,
        dim: encoder.dim,
        backend: choice.executionProvider,
        dtype: choice.dtype,
        reason: choice.reason,
      };
    });
  },
  async encode(pixels, count) {
    const result = await settle(async () => {
      if (!session) throw new Error('The encoder is not initialised.');
      return session.encode(pixels, count);
    });
    return result.ok ? Comlink.transfer(result, [result.value.buffer as ArrayBuffer]) : result;
  },
  async dispose() {
    await session?.release();
    session = undefined;
  },
};

Comlink.expose(api);
