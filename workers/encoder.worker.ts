import * as Comlink from 'comlink';
import type { BackendChoice } from '../src/lib/encoder/capabilities.ts';
import { EncoderHost } from '../src/lib/encoder/encoder-host.ts';
import { configureOrtWeb, loadOrtWeb, type OrtWebModule } from '../src/lib/encoder/ort-web.ts';
import { settle } from '../src/lib/worker-result.ts';
import type { EncoderWorkerApi } from './encoder-api.ts';

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

const api: EncoderWorkerApi = {
  identify(spec) {
    return settle(() => host.identify(spec));
  },
  init(spec) {
    return settle(() => host.init(spec));
  },
  async encode(pixels, count, indices) {
    const result = await settle(() => host.encode(pixels, count, indices));
    return result.ok ? Comlink.transfer(result, [result.value.embeddings.buffer as ArrayBuffer]) : result;
  },
  async encodeTile(image, bands, height, width) {
    const result = await settle(() => host.encodeTile(image, bands, height, width));
    return result.ok ? Comlink.transfer(result, [result.value.data.buffer as ArrayBuffer]) : result;
  },
  async dispose() {
    await host.release();
  },
};

Comlink.expose(api);
