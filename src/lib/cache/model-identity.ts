import type { EncoderSpec } from '../../../workers/encoder-api.ts';
import { chooseBackendForModel, probeCapabilities } from '../encoder/capabilities.ts';
import { findVariant, sha256Hex } from '../encoder/model-manifest.ts';
import { availableDtypes, sourceManifest } from '../encoder/model-source.ts';
import type { ModelIdentity } from './embedding-key.ts';

/**
 * The model an encoder spec will run, known before the encoder is opened (so a cache hit
 * costs no model download): the spectral graph's ONNX bytes are generated here and hashed;
 * Presto's variant is the one the encoder worker will choose on this device (the same choice
 * function, the same capabilities), named by the SHA-256 its manifest pins.
 */
export async function modelIdentity(spec: EncoderSpec): Promise<ModelIdentity> {
  if (spec.model === 'spectral') {
    // Loaded on demand: the graph builder is not part of the page's start-up code.
    const { buildSpectralEncoder } = await import('../encoder/spectral-graph.ts');
    const bytes = buildSpectralEncoder(spec.bands).bytes;
    // The encoder worker always runs this element-wise graph on WASM in float32.
    return { id: 'spectral', sha256: await sha256Hex(bytes), dtype: 'fp32', backend: 'wasm' };
  }
  if (spec.model === 'mosaiks') throw new Error('MOSAIKS embeddings are not cached.');
  const manifest = await sourceManifest(spec.source);
  const choice = chooseBackendForModel(
    await probeCapabilities(),
    spec.preference,
    availableDtypes(manifest, spec.source),
  );
  const variant = findVariant(manifest, choice.dtype);
  return { id: manifest.id, sha256: variant.sha256, dtype: variant.dtype, backend: choice.executionProvider };
}
