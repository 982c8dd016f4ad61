import { createHash } from 'node:crypto';
import { chooseBackendForPixelGraph, probeCapabilities } from '../../../src/lib/encoder/capabilities.ts';
import { PixelEncoderSession } from '../../../src/lib/encoder/encoder-session.ts';
import type { ModelOption } from '../../../src/lib/encoder/encoder-spec.ts';
import type { EncoderFamily } from '../../../src/lib/encoder/family.ts';
import { GraphBuilder } from '../../../src/lib/onnx/index.ts';
import { downsampleScene } from '../../../src/lib/scene/index.ts';

/**
 * A test-only encoder family, whole in this folder: a fixed linear projection of red and NIR
 * reflectance to three features, as an ONNX graph built when the worker opens it. Nothing
 * outside this folder names it; registering it is all the app's pipeline needs.
 */
const ID = 'test-linear';
export const LINEAR_BANDS = ['red', 'nir'] as const;
/** Feature f of a pixel = sum over bands b of reflectance[b] * WEIGHTS[b][f]. */
export const LINEAR_WEIGHTS = [
  [1, 0, 2],
  [0, 1, -1],
];
const DIM = 3;

export interface LinearSettings {
  weights: number[];
}

function graph(weights: readonly number[]): Uint8Array {
  const g = new GraphBuilder(ID);
  const x = g.input('bands', 'float32', ['N', LINEAR_BANDS.length]);
  const w = g.floats('w', weights, [LINEAR_BANDS.length, DIM]);
  g.node('MatMul', [x, w], ['features']);
  g.output('features', 'float32', ['N', DIM]);
  return g.toModel({ opset: 17 });
}

const option: ModelOption = { origin: 'generated', family: ID, id: ID, name: 'Linear (test)' };

export const linearFamily: EncoderFamily<LinearSettings> = {
  id: ID,
  title: 'Linear (test)',
  unit: 'pixels',
  defaultFactor: 2,
  probeSide: 16,
  guessUnitsPerSecond: 100_000,
  choosesBackend: false,
  takesDates: false,
  cached: true,
  option,
  describe: () => 'Linear (test) — red and NIR projected to 3 features',
  plan(_option, scene, { factor }) {
    return {
      unit: 'pixels',
      spec: { family: ID, bands: [...LINEAR_BANDS], settings: { weights: LINEAR_WEIGHTS.flat() } },
      target: downsampleScene(scene, factor),
      // Small batches, so a tiny scene still takes several.
      batchSize: 5,
      keyParams: {},
    };
  },
  async identify(spec) {
    const sha256 = createHash('sha256').update(graph(spec.settings.weights)).digest('hex');
    return { id: ID, sha256, dtype: 'fp32', backend: 'wasm' };
  },
  async open(spec, runtime) {
    const choice = chooseBackendForPixelGraph(await probeCapabilities());
    const ort = await runtime.load(choice);
    const session = await PixelEncoderSession.create(
      ort,
      graph(spec.settings.weights),
      { inputName: 'bands', outputName: 'features', bands: LINEAR_BANDS.length, dim: DIM },
      { executionProviders: [runtime.providers[choice.executionProvider]] },
    );
    return {
      session: {
        encode: async (pixels, count) => ({ embeddings: await session.encode(pixels, count) }),
        release: () => session.release(),
      },
      info: {
        model: ID,
        name: option.name,
        bands: [...LINEAR_BANDS],
        featureNames: ['red', 'nir', 'red_minus_nir'],
        dim: DIM,
        backend: choice.executionProvider,
        dtype: choice.dtype,
        reason: choice.reason,
      },
    };
  },
};
