import type { ModelRunner } from './manifest-runner.ts';
import type { ModelManifest } from './model-manifest.ts';
import { familyOfManifest } from './registry.ts';

export type { ModelRunner };

/**
 * Runners fed per-date Sentinel-2 series with months (single date or yearly mode).
 */
export function takesDates(runner: ModelRunner): boolean {
  return runner.takesDates;
}

/**
 * The runner for a validated manifest, made by its family (the one it names, or the one
 * whose inputs it has); the error names the field the app cannot work with.
 */
export function runnerFor(manifest: ModelManifest, source = 'the model manifest'): ModelRunner {
  const hooks = familyOfManifest(manifest, source).manifest;
  if (!hooks) throw new Error(`${source}: its family reads no manifest.`);
  return hooks.runner(manifest, source);
}
