import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  buildSpectralEncoder,
  findVariant,
  isSpectralBand,
  parseModelManifest,
  spectralManifest,
} from '../../src/lib/encoder/index.ts';
import { AppError } from '../../src/lib/errors.ts';
import type { JobModel, JobPlan } from '../../src/lib/jobs/index.ts';
import { cliModel } from '../cli/embed-models.ts';

const MODELS_DIR = join(import.meta.dirname, '../../public/models');

export const sha256Hex = (bytes: Uint8Array | string): string =>
  createHash('sha256').update(bytes).digest('hex');

/**
 * The exact model a job runs on scenes with `sceneBands`: the SHA-256 of the ONNX bytes
 * (the spectral graph is generated for the bands present, so its hash depends on them; the
 * converted models' hash is their manifest's pin for the weight type), its dimension and the
 * bands it reads. `plan` records it; every shard recomputes it and refuses to encode with
 * anything else, so one job never mixes models.
 */
export function jobModelIdentity(
  model: JobModel,
  dtype: JobPlan['settings']['dtype'],
  sceneBands: readonly string[],
): JobPlan['model'] {
  const entry = cliModel(model);
  // The generated model a job runs (spectral) is built for the bands present; the others are converted models.
  if (entry.folder === undefined) {
    const supported: readonly string[] = spectralManifest().input.bands;
    const spec = buildSpectralEncoder(sceneBands.filter((b) => supported.includes(b)));
    return { id: model, sha256: sha256Hex(spec.bytes), dim: spec.dim, bands: [...spec.bands] };
  }
  const folder = join(MODELS_DIR, entry.folder);
  const name = entry.label;
  if (!existsSync(join(folder, 'manifest.json')))
    throw new AppError('not-found', `The ${name} model is not built: run \`npm run models\` first.`);
  const manifest = parseModelManifest(JSON.parse(readFileSync(join(folder, 'manifest.json'), 'utf8')));
  const variant = findVariant(manifest, dtype);
  return { id: model, sha256: variant.sha256, dim: 128, bands: sceneBands.filter((b) => isSpectralBand(b)) };
}
