import { galileoInputsFromPresto } from '../../galileo-inputs.ts';
import { GalileoSession } from '../../galileo-session.ts';
import { GALILEO_CHANNELS, GALILEO_DIM } from '../../galileo-spec.ts';
import { badManifest, manifestFamily } from '../../manifest-family.ts';
import type { ModelRunner } from '../../manifest-runner.ts';
import type { ModelManifest } from '../../model-manifest.ts';
import { prestoBatchInputs } from '../../presto-batch.ts';
import { SPECTRAL_BANDS } from '../../spectral-manifest.ts';

const ID = 'galileo';
const INPUTS = ['mask', 'month', 'x'];

function recognises(manifest: ModelManifest): boolean {
  const names = manifest.inputs.map((i) => i.name).sort();
  const x = manifest.inputs.find((i) => i.name === 'x');
  return names.join() === INPUTS.join() && x?.channels?.join() === GALILEO_CHANNELS.join();
}

function runner(manifest: ModelManifest, source: string): ModelRunner {
  if (!recognises(manifest))
    badManifest(
      source,
      `inputs: a Galileo model takes the inputs ${INPUTS.join(', ')}, x with the channels ${GALILEO_CHANNELS.join(', ')}.`,
    );
  if (manifest.output.dim !== GALILEO_DIM)
    badManifest(
      source,
      `output.dim: a Galileo-layout model returns ${GALILEO_DIM} features, not ${manifest.output.dim}.`,
    );
  return {
    kind: ID,
    dim: GALILEO_DIM,
    bands: [...SPECTRAL_BANDS],
    takesDates: true,
    async open(ort, bytes, provider, ctx) {
      const session = await GalileoSession.create(ort, bytes, {
        executionProviders: [provider],
        graphOptimizationLevel: 'all',
        // Errors only: on WebGPU, ORT's warning that shape ops stay on the CPU is no error.
        logSeverityLevel: 3,
      });
      return {
        encode: (pixels, count, indices) =>
          session.encode(
            galileoInputsFromPresto(
              prestoBatchInputs(pixels, count, indices, ctx.bands, ctx.grid, ctx.months),
            ),
          ),
        release: () => session.release(),
      };
    },
  };
}

/**
 * Galileo-nano in pixel mode: x and mask [N, T, 13] (S1, S2, NDVI) and month [N, T], built
 * from the same per-date batch as Presto's; Sentinel-1 and its other inputs are masked.
 */
export const galileoFamily = manifestFamily({
  id: ID,
  title: 'Galileo',
  takesDates: true,
  builtIn: { id: 'galileo-nano', label: 'Galileo-nano' },
  note:
    "Pixel mode: each pixel is encoded on its own, from the ten 10/20 m bands and NDVI of each date. Sentinel-1 and Galileo's " +
    'other inputs (elevation, weather, land cover) are masked: this source has only Sentinel-2. Patch mode (4 or 8 px patches) ' +
    "is not offered: on a Sentinel-2 scene 93–98% of the variance of windowed embeddings was each pixel's place in its window " +
    '(scripts/galileo-patch-study.ts), so they group places by position rather than by land cover, and removing the ' +
    'per-position mean did not bring back the per-pixel neighbours.',
  recognises,
  runner,
});
