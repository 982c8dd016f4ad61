import { chooseBackendForPixelGraph, probeCapabilities } from '../../capabilities.ts';
import type { ModelOption } from '../../encoder-spec.ts';
import type { EncoderFamily } from '../../family.ts';
import { encodeMosaiks, planMosaiks } from '../../mosaiks.ts';
import type { MosaiksFilters } from '../../mosaiks-filters.ts';
import { MosaiksSession } from '../../mosaiks-session.ts';

const ID = 'mosaiks';

/** What the encoder worker needs: the scene's own filters (sampled from the scene where the run is planned). */
export interface MosaiksSettings {
  filters: MosaiksFilters;
  geometry: { pool: number; stride: number };
  featureNames: string[];
}

const option: ModelOption = { origin: 'generated', family: ID, id: ID, name: 'MOSAIKS' };

/**
 * MOSAIKS: training-free random convolutional features (Rolf et al. 2021), filters sampled
 * from the scene's own patches, one ONNX graph taking them as an input; it encodes tiles
 * into patch embeddings on a grid `factor` (the stride) times coarser. Not cached: the
 * filters are the scene's own.
 */
export const mosaiksFamily: EncoderFamily<MosaiksSettings> = {
  id: ID,
  title: 'MOSAIKS',
  unit: 'patches',
  // 40 m patches: its paper's scale.
  defaultFactor: 4,
  probeSide: 64,
  guessUnitsPerSecond: 200_000,
  choosesBackend: false,
  takesDates: false,
  cached: false,
  option,
  describe: () => "MOSAIKS — random convolutional features of the scene's own patches, 128 features",
  plan(_option, scene, { factor }) {
    const plan = planMosaiks(scene, { stride: factor });
    return {
      unit: 'patches',
      spec: {
        family: ID,
        bands: [...plan.filters.bands],
        settings: {
          filters: plan.filters,
          geometry: { pool: plan.params.pool, stride: plan.params.stride },
          featureNames: plan.featureNames,
        },
      },
      dim: plan.dim,
      encode: (target, encoder, options) => encodeMosaiks(target, plan, encoder, options),
    };
  },
  identify() {
    return Promise.reject(new Error('MOSAIKS embeddings are not cached.'));
  },
  async open(spec, runtime) {
    const { filters, geometry, featureNames } = spec.settings;
    // A dense convolution: WASM, like the spectral graph (see chooseBackendForPixelGraph's reason).
    const choice = chooseBackendForPixelGraph(await probeCapabilities());
    const ort = await runtime.load(choice);
    const session = await MosaiksSession.create(ort, filters, geometry, {
      executionProviders: [runtime.providers[choice.executionProvider]],
      graphOptimizationLevel: 'all',
    });
    return {
      session: {
        encodeTile: (image, bands, height, width) => session.encodeTile(image, bands, height, width),
        release: () => session.release(),
      },
      info: {
        model: ID,
        name: option.name,
        bands: [...filters.bands],
        featureNames,
        dim: session.dim,
        backend: choice.executionProvider,
        dtype: choice.dtype,
        reason: choice.reason.replace('the spectral graph is element-wise', 'tiles are small convolutions'),
      },
    };
  },
};
