import { AppError } from '../errors.ts';
import { GALILEO_CHANNELS, GALILEO_DIM } from './galileo-spec.ts';
import { bandsNeeded, type ChannelSource, planChannels } from './model-channels.ts';
import type { ModelManifest } from './model-manifest.ts';
import { PRESTO_DIM } from './presto-spec.ts';
import { SPECTRAL_BANDS, type SpectralBand } from './spectral-manifest.ts';

/**
 * How the app feeds a manifest's model: the input layouts it knows how to build. Presto's five
 * tensors (x, mask, dynamic_world, latlons, month), or one [N, C] float32 tensor of bands and
 * indices — the layout a user's own per-pixel model most often has.
 */
export type ModelRunner =
  | { kind: 'presto'; dim: number; bands: SpectralBand[] }
  /** Galileo-nano pixel mode: x and mask [N, T, 13] (S1, S2, NDVI), month [N, T]. */
  | { kind: 'galileo'; dim: number; bands: SpectralBand[] }
  | {
      kind: 'bands';
      inputName: string;
      outputName: string;
      dim: number;
      channels: ChannelSource[];
      /** Scene bands the channels read, the order pixels are sent in. */
      bands: SpectralBand[];
      reflectanceScale: number;
    };

const PRESTO_INPUTS = ['dynamic_world', 'latlons', 'mask', 'month', 'x'];
const GALILEO_INPUTS = ['mask', 'month', 'x'];

/** Runners fed per-date Sentinel-2 series with months (single date or yearly mode). */
export function takesDates(runner: ModelRunner): boolean {
  return runner.kind === 'presto' || runner.kind === 'galileo';
}

function bad(source: string, what: string): never {
  throw new AppError('model', `${source} is invalid: ${what}`);
}

/** The runner for a validated manifest; the error names the field the app cannot work with. */
export function runnerFor(manifest: ModelManifest, source = 'the model manifest'): ModelRunner {
  const names = manifest.inputs.map((i) => i.name).sort();
  if (names.join() === PRESTO_INPUTS.join()) {
    if (manifest.output.dim !== PRESTO_DIM)
      bad(
        source,
        `output.dim: a Presto-layout model returns ${PRESTO_DIM} features, not ${manifest.output.dim}.`,
      );
    return { kind: 'presto', dim: PRESTO_DIM, bands: [...SPECTRAL_BANDS] };
  }
  const x = manifest.inputs.find((i) => i.name === 'x');
  if (names.join() === GALILEO_INPUTS.join() && x?.channels?.join() === GALILEO_CHANNELS.join()) {
    if (manifest.output.dim !== GALILEO_DIM)
      bad(
        source,
        `output.dim: a Galileo-layout model returns ${GALILEO_DIM} features, not ${manifest.output.dim}.`,
      );
    return { kind: 'galileo', dim: GALILEO_DIM, bands: [...SPECTRAL_BANDS] };
  }
  if (manifest.inputs.length !== 1) {
    bad(
      source,
      `inputs: the app can feed one [N, C] float32 input of bands (or Presto's x, mask, dynamic_world, latlons, month); this model has ${manifest.inputs.length} inputs.`,
    );
  }
  const input = manifest.inputs[0]!;
  if (input.dtype !== 'float32') bad(source, `inputs[0].dtype: expected float32, got ${input.dtype}.`);
  const [n, c, ...rest] = input.shape;
  if (typeof n !== 'string' || typeof c !== 'number' || rest.length > 0)
    bad(source, `inputs[0].shape: expected ["N", C] (a named batch axis and a channel count).`);
  if (!input.channels)
    bad(source, 'inputs[0].channels: name each of the C channels (e.g. "B4", "B8", "NDVI").');
  if (input.channels.length !== c)
    bad(source, `inputs[0].channels: ${input.channels.length} names for ${c} channels.`);
  if (input.reflectance_scale === undefined)
    bad(
      source,
      'inputs[0].reflectance_scale: say what the bands are multiplied by (10000 for digital numbers, 1 for 0..1).',
    );
  if (manifest.time_steps.min > 1)
    bad(
      source,
      `time_steps.min: a band-input model takes one time step; this one needs ${manifest.time_steps.min}.`,
    );
  const channels = planChannels(input.channels, 'inputs[0].channels');
  return {
    kind: 'bands',
    inputName: input.name,
    outputName: manifest.output.name,
    dim: manifest.output.dim,
    channels,
    bands: bandsNeeded(channels),
    reflectanceScale: input.reflectance_scale,
  };
}
