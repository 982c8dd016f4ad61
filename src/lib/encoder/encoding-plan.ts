import { AppError } from '../errors.ts';
import { downsampleScene } from '../scene/downsample.ts';
import type { Scene } from '../scene/scene.ts';
import type { BackendPreference } from './capabilities.ts';
import type { EncoderSpec } from './encoder-spec.ts';
import type { ModelOption } from './model-options.ts';
import { takesDates } from './model-runner.ts';
import { isSpectralBand, spectralManifest } from './spectral-manifest.ts';
import { sceneTexture } from './spectral-texture.ts';
import { planSeries } from './time-series.ts';

/** What one "Compute embeddings" runs: the worker spec, the scene it encodes, its time steps. */
export interface EncodingPlan {
  spec: Exclude<EncoderSpec, { model: 'mosaiks' }>;
  /** The scene (possibly coarser) whose valid pixels are encoded. */
  target: Scene;
  /** Yearly mode: one scene per time step on the target's grid. */
  steps?: Scene[];
  batchSize: number;
  /** Columns fed after the bands: the spectral encoder's texture on the target's grid. */
  extraColumns?: Float32Array[];
}

/**
 * The plan for a model on a scene at `factor` x its resolution. `series` (yearly mode) are the
 * scenes of each month, on the scene's grid, oldest first.
 */
export function planEncoding(
  option: Exclude<ModelOption, { kind: 'mosaiks' }>,
  scene: Scene,
  factor: number,
  preference: BackendPreference,
  series?: readonly Scene[],
): EncodingPlan {
  const target = downsampleScene(scene, factor);
  if (option.kind === 'spectral') {
    const supported: readonly string[] = spectralManifest().input.bands;
    const bands = scene.bands.filter((b) => supported.includes(b));
    return {
      spec: { model: 'spectral', bands },
      target,
      batchSize: 32_768,
      extraColumns: sceneTexture(target, bands),
    };
  }
  const runner = option.runner;
  const available = scene.bands.filter((b) => isSpectralBand(b));
  const bands = takesDates(runner) ? available : runner.bands;
  const missing = bands.filter((b) => !scene.bands.includes(b));
  if (missing.length > 0)
    throw new AppError(
      'bad-input',
      `${option.name} needs the band(s) ${missing.join(', ')}, which this scene lacks.`,
    );
  const base = { model: 'manifest' as const, source: option.source, preference, bands, grid: target.grid };
  if (series && series.length > 1 && !takesDates(runner))
    throw new AppError('bad-input', `${option.name} takes a single date, not a time series.`);
  if (!takesDates(runner))
    // A band-input model encodes undated files too: it is not told the month.
    return { spec: { ...base, months: [0] }, target, batchSize: 32_768 };
  // Presto and Galileo: one date or several, planned as the CLI's multi-date embed plans them.
  const plan = planSeries(scene, series, factor);
  return {
    spec: { ...base, months: plan.months },
    target: plan.target,
    ...(plan.steps ? { steps: plan.steps } : {}),
    batchSize: plan.steps ? 512 : 1024,
  };
}
