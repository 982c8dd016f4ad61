import { badManifest, manifestFamily } from '../../manifest-family.ts';
import type { ModelRunner } from '../../manifest-runner.ts';
import type { ModelManifest } from '../../model-manifest.ts';
import { prestoBatchInputs } from '../../presto-batch.ts';
import { PrestoSession } from '../../presto-session.ts';
import { PRESTO_DIM } from '../../presto-spec.ts';
import { SPECTRAL_BANDS } from '../../spectral-manifest.ts';

const ID = 'presto';
const INPUTS = ['dynamic_world', 'latlons', 'mask', 'month', 'x'];

function recognises(manifest: ModelManifest): boolean {
  return (
    manifest.inputs
      .map((i) => i.name)
      .sort()
      .join() === INPUTS.join()
  );
}

function runner(manifest: ModelManifest, source: string): ModelRunner {
  if (!recognises(manifest))
    badManifest(source, `inputs: a Presto model takes the inputs ${INPUTS.join(', ')}.`);
  if (manifest.output.dim !== PRESTO_DIM)
    badManifest(
      source,
      `output.dim: a Presto-layout model returns ${PRESTO_DIM} features, not ${manifest.output.dim}.`,
    );
  return {
    kind: ID,
    dim: PRESTO_DIM,
    bands: [...SPECTRAL_BANDS],
    takesDates: true,
    async open(ort, bytes, provider, ctx) {
      const session = await PrestoSession.create(ort, bytes, {
        executionProviders: [provider],
        graphOptimizationLevel: 'all',
        // Errors only: on WebGPU, ORT's warning that shape ops stay on the CPU is no error.
        logSeverityLevel: 3,
      });
      return {
        encode: (pixels, count, indices) =>
          session.encode(prestoBatchInputs(pixels, count, indices, ctx.bands, ctx.grid, ctx.months)),
        release: () => session.release(),
      };
    },
  };
}

/**
 * Presto (NASA Harvest): five tensors per batch (x, mask, dynamic_world, latlons, month) built
 * from each pixel's Sentinel-2 bands of every date, its place and the dates' months.
 */
export const prestoFamily = manifestFamily({
  id: ID,
  title: 'Presto',
  takesDates: true,
  builtIn: { id: ID, label: 'Presto' },
  recognises,
  runner,
});
