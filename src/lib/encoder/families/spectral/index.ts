import { downsampleScene } from '../../../scene/index.ts';
import { chooseBackendForPixelGraph, probeCapabilities } from '../../capabilities.ts';
import { PixelEncoderSession } from '../../encoder-session.ts';
import type { ModelOption } from '../../encoder-spec.ts';
import type { EncoderFamily } from '../../family.ts';
import { sha256Hex } from '../../model-manifest.ts';
import { buildSpectralEncoder } from '../../spectral-graph.ts';
import { spectralManifest } from '../../spectral-manifest.ts';
import { sceneTexture } from '../../spectral-texture.ts';

const ID = 'spectral';

/** The spectral encoder needs nothing but the scene's bands (the spec's `bands`). */
export type SpectralSettings = Record<string, never>;

const option: ModelOption = { origin: 'generated', family: ID, id: ID, name: 'Spectral' };

/**
 * The spectral encoder: per pixel, log z-scored reflectances, normalised differences, a
 * brightness coordinate and the local texture, as an ONNX graph the project generates from
 * the scene's bands (spectral-graph.ts). It runs on every pixel, on WASM.
 */
export const spectralFamily: EncoderFamily<SpectralSettings> = {
  id: ID,
  title: 'Spectral',
  unit: 'pixels',
  defaultFactor: 1,
  probeSide: 128,
  guessUnitsPerSecond: 300_000,
  choosesBackend: false,
  takesDates: false,
  cached: true,
  option,
  describe: () => 'Spectral — bands and indices, instant',
  plan(_option, scene, { factor }) {
    const target = downsampleScene(scene, factor);
    const supported: readonly string[] = spectralManifest().input.bands;
    const bands = scene.bands.filter((b) => supported.includes(b));
    // The texture (~0.1-0.2 s per 1M px) when the run asks for it: a cache lookup that finds
    // the grid needs only the plan's spec and target.
    let texture: Float32Array[] | undefined;
    return {
      unit: 'pixels',
      spec: { family: ID, bands, settings: {} },
      target,
      batchSize: 32_768,
      get extraColumns() {
        texture ??= sceneTexture(target, bands);
        return texture;
      },
      keyParams: {},
    };
  },
  async identify(spec) {
    const bytes = buildSpectralEncoder(spec.bands).bytes;
    // The encoder worker always runs this element-wise graph on WASM in float32.
    return { id: ID, sha256: await sha256Hex(bytes), dtype: 'fp32', backend: 'wasm' };
  },
  async open(spec, runtime) {
    const choice = chooseBackendForPixelGraph(await probeCapabilities());
    const ort = await runtime.load(choice);
    const encoder = buildSpectralEncoder(spec.bands);
    const session = await PixelEncoderSession.create(
      ort,
      encoder.bytes,
      {
        inputName: encoder.inputName,
        outputName: encoder.outputName,
        bands: encoder.inputWidth,
        dim: encoder.dim,
      },
      { executionProviders: [runtime.providers[choice.executionProvider]], graphOptimizationLevel: 'all' },
    );
    return {
      session: {
        encode: async (pixels, count) => ({ embeddings: await session.encode(pixels, count) }),
        release: () => session.release(),
      },
      info: {
        model: ID,
        name: option.name,
        bands: encoder.bands,
        featureNames: encoder.featureNames,
        dim: encoder.dim,
        backend: choice.executionProvider,
        dtype: choice.dtype,
        reason: choice.reason,
      },
    };
  },
};
