import { AppError } from '../errors.ts';
import { downsampleScene } from '../scene/index.ts';
import { chooseBackendForModel, probeCapabilities } from './capabilities.ts';
import type { EncoderSpec, ManifestSettings, ModelOption } from './encoder-spec.ts';
import type { EncoderFamily, ManifestFamilyHooks } from './family.ts';
import { ManifestEncoder } from './manifest-encoder.ts';
import { findVariant } from './model-manifest.ts';
import { availableDtypes, sourceManifest, variantBytes } from './model-source.ts';
import { isSpectralBand } from './spectral-manifest.ts';
import { planSeries } from './time-series.ts';

/** What a manifest family states itself; manifestFamily() adds what all of them share. */
export interface ManifestFamilyDef extends ManifestFamilyHooks {
  id: string;
  title: string;
  takesDates: boolean;
  note?: string;
  builtIn?: { id: string; label: string };
}

function describe(option: ModelOption): string {
  if (option.origin === 'generated') return option.name;
  const yours = option.origin === 'files' ? 'files' : 'a URL';
  return `${option.name} — ${option.runner.dim} features${option.origin === 'built-in' ? '' : ` (your model, from ${yours})`}`;
}

/**
 * A family of models a manifest describes (downloaded or picked, checked against its SHA-256):
 * planned from the manifest's runner, identified by the variant this device would run, opened
 * as a ManifestEncoder (WebGPU or WASM, finishing on WASM when WebGPU fails mid-run).
 */
export function manifestFamily(def: ManifestFamilyDef): EncoderFamily<ManifestSettings> {
  return {
    id: def.id,
    title: def.title,
    unit: 'pixels',
    // Learned models are slow on a laptop CPU: they start on 80 m blocks.
    defaultFactor: 8,
    probeSide: 8,
    guessUnitsPerSecond: 1000,
    choosesBackend: true,
    takesDates: def.takesDates,
    cached: true,
    ...(def.note ? { note: def.note } : {}),
    ...(def.builtIn ? { builtIn: def.builtIn } : {}),
    manifest: { recognises: def.recognises, runner: def.runner },
    describe,
    plan(option, scene, { factor, preference, series }) {
      if (option.origin === 'generated')
        throw new AppError('internal', `${option.name} is not described by a manifest.`);
      const target = downsampleScene(scene, factor);
      const runner = option.runner;
      const available = scene.bands.filter((b) => isSpectralBand(b));
      const bands = runner.takesDates ? available : runner.bands;
      const missing = bands.filter((b) => !scene.bands.includes(b));
      if (missing.length > 0)
        throw new AppError(
          'bad-input',
          `${option.name} needs the band(s) ${missing.join(', ')}, which this scene lacks.`,
        );
      const settings = { source: option.source, preference, grid: target.grid };
      const spec = (months: number[]): EncoderSpec<ManifestSettings> => ({
        family: def.id,
        bands,
        settings: { ...settings, months },
      });
      const keyParams = (months: number[]) => ({ months: months.join(',') });
      if (series && series.length > 1 && !runner.takesDates)
        throw new AppError('bad-input', `${option.name} takes a single date, not a time series.`);
      if (!runner.takesDates)
        // A band-input model encodes undated files too: it is not told the month.
        return { unit: 'pixels', spec: spec([0]), target, batchSize: 32_768, keyParams: keyParams([0]) };
      // Dated models: one date or several, planned as the CLI's multi-date embed plans them.
      const plan = planSeries(scene, series, factor);
      return {
        unit: 'pixels',
        spec: spec(plan.months),
        target: plan.target,
        ...(plan.steps ? { steps: plan.steps } : {}),
        batchSize: plan.steps ? 512 : 1024,
        keyParams: keyParams(plan.months),
      };
    },
    async identify(spec) {
      const { source, preference } = spec.settings;
      const manifest = await sourceManifest(source);
      const choice = chooseBackendForModel(
        await probeCapabilities(),
        preference,
        availableDtypes(manifest, source),
      );
      const variant = findVariant(manifest, choice.dtype);
      return {
        id: manifest.id,
        sha256: variant.sha256,
        dtype: variant.dtype,
        backend: choice.executionProvider,
      };
    },
    async open(spec, runtime) {
      const { source, preference, grid, months } = spec.settings;
      const manifest = await sourceManifest(source);
      const runner = def.runner(manifest, `The ${manifest.name} manifest`);
      const choice = chooseBackendForModel(
        await probeCapabilities(),
        preference,
        availableDtypes(manifest, source),
      );
      const ort = await runtime.load(choice);
      const { variant, bytes } = await variantBytes(source, manifest, choice.dtype);
      const encoder = await ManifestEncoder.open(
        ort,
        bytes,
        runner,
        { bands: spec.bands, grid, months },
        { ep: choice.executionProvider, providers: runtime.providers },
      );
      return {
        session: encoder,
        info: {
          model: manifest.id,
          name: manifest.name,
          sha256: variant.sha256,
          bands: spec.bands,
          featureNames: Array.from({ length: runner.dim }, (_, i) => `${manifest.id}_${i}`),
          dim: runner.dim,
          backend: choice.executionProvider,
          dtype: choice.dtype,
          reason: choice.reason,
        },
      };
    },
  };
}

/** The error a manifest family's runner throws: it names the field the app cannot work with. */
export function badManifest(source: string, what: string): never {
  throw new AppError('model', `${source} is invalid: ${what}`);
}
