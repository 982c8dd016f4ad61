import { PixelEncoderSession } from '../../encoder-session.ts';
import { badManifest, manifestFamily } from '../../manifest-family.ts';
import type { ModelRunner } from '../../manifest-runner.ts';
import { bandsNeeded, fillChannels, planChannels } from '../../model-channels.ts';
import type { ModelManifest } from '../../model-manifest.ts';

const ID = 'bands';

function runner(manifest: ModelManifest, source: string): ModelRunner {
  // Annotated, so that TypeScript narrows after each call (it never returns).
  const bad: (what: string) => never = (what) => badManifest(source, what);
  if (manifest.inputs.length !== 1) {
    bad(
      `inputs: the app can feed one [N, C] float32 input of bands (or Presto's x, mask, dynamic_world, latlons, month); this model has ${manifest.inputs.length} inputs.`,
    );
  }
  const input = manifest.inputs[0]!;
  if (input.dtype !== 'float32') bad(`inputs[0].dtype: expected float32, got ${input.dtype}.`);
  const [n, c, ...rest] = input.shape;
  if (typeof n !== 'string' || typeof c !== 'number' || rest.length > 0)
    bad(`inputs[0].shape: expected ["N", C] (a named batch axis and a channel count).`);
  if (!input.channels) bad('inputs[0].channels: name each of the C channels (e.g. "B4", "B8", "NDVI").');
  if (input.channels.length !== c)
    bad(`inputs[0].channels: ${input.channels.length} names for ${c} channels.`);
  const scale = input.reflectance_scale;
  if (scale === undefined)
    bad(
      'inputs[0].reflectance_scale: say what the bands are multiplied by (10000 for digital numbers, 1 for 0..1).',
    );
  if (manifest.time_steps.min > 1)
    bad(`time_steps.min: a band-input model takes one time step; this one needs ${manifest.time_steps.min}.`);
  const channels = planChannels(input.channels, 'inputs[0].channels');
  const dim = manifest.output.dim;
  const outputName = manifest.output.name;
  return {
    kind: ID,
    dim,
    bands: bandsNeeded(channels),
    takesDates: false,
    async open(ort, bytes, provider, ctx) {
      const session = await PixelEncoderSession.create(
        ort,
        bytes,
        { inputName: input.name, outputName, bands: channels.length, dim },
        // Errors only: on WebGPU, ORT's warning that shape ops stay on the CPU is no error.
        { executionProviders: [provider], graphOptimizationLevel: 'all', logSeverityLevel: 3 },
      );
      return {
        encode: (pixels, count) =>
          session.encode(fillChannels(pixels, count, ctx.bands, channels, scale), count),
        release: () => session.release(),
      };
    },
  };
}

/**
 * A user's own per-pixel model: one [N, C] float32 input of Sentinel-2 bands and indices
 * (named by the manifest's channels) scaled by its `reflectance_scale`, one [N, D] output.
 * The registry's fallback for a manifest that names no family and no other family recognises.
 */
export const bandsFamily = manifestFamily({
  id: ID,
  title: 'Your model',
  takesDates: false,
  recognises: (manifest) => manifest.inputs.length === 1,
  runner,
});
