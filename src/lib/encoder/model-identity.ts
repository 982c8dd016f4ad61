import { chooseBackendForModel, probeCapabilities } from './capabilities.ts';
import type { EncoderSpec } from './encoder-spec.ts';
import { findVariant, sha256Hex } from './model-manifest.ts';
import { availableDtypes, sourceManifest } from './model-source.ts';
// Static: this runs in the encoder worker, which builds the spectral graph anyway.
import { buildSpectralEncoder } from './spectral-graph.ts';

/** The exact model: its id, the SHA-256 of the ONNX bytes that run, their variant and backend. */
export interface ModelIdentity {
  id: string;
  sha256: string;
  dtype: string;
  /** ONNX Runtime execution provider ('wasm', 'webgpu'): results differ in the last bits. */
  backend: string;
}

/**
 * The model an encoder spec will run, known before the encoder is opened (so a cache hit
 * costs no model download): the spectral graph's ONNX bytes are generated and hashed;
 * Presto's variant is the one the encoder will choose on this device, named by the SHA-256
 * its manifest pins. The encoder worker answers this (EncoderClient.identify), so the choice
 * is made where the model runs, not predicted on the main thread.
 */
export async function modelIdentity(spec: EncoderSpec): Promise<ModelIdentity> {
  if (spec.model === 'spectral') {
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
