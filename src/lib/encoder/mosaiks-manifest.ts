import { z } from 'zod';
import rawManifest from '../../../models/mosaiks/manifest.json';
import { AppError } from '../errors.ts';
import { SPECTRAL_BANDS } from './spectral-manifest.ts';

/**
 * The manifest of the `mosaiks` patch encoder (models/mosaiks/manifest.json): what the
 * generated graph takes and returns, and every tunable parameter with its default and
 * allowed range, so the UI, the CLI and the validation in mosaiks-params.ts share one table.
 */

const name = z.string().min(1);
const text = z.string().min(1);

/** An integer parameter: whole-number default, min and max. */
const integerParameter = z.object({
  description: text,
  default: z.number().int(),
  min: z.number().int(),
  max: z.number().int(),
});

/** A real-valued parameter. */
const numberParameter = z.object({
  description: text,
  default: z.number(),
  min: z.number(),
  max: z.number(),
});

const tensor = z.object({ name, layout: text });

const manifestSchema = z.object({
  id: z.literal('mosaiks'),
  name: text,
  description: text,
  kind: z.literal('patch'),
  generator: z.literal('mosaiks'),
  inputs: z.object({ image: tensor, filters: tensor, bias: tensor }),
  bands: z.array(z.enum(SPECTRAL_BANDS)).min(1),
  min_bands: z.number().int().positive(),
  normalisation: z.object({ method: text, invalid_pixels: text, patch_validity: text }),
  parameters: z.object({
    filters: integerParameter,
    kernel: integerParameter,
    pool: integerParameter,
    stride: integerParameter,
    seed: integerParameter,
    bias: numberParameter,
    min_valid_fraction: numberParameter,
    whiten: z.object({ description: text, default: z.boolean() }),
  }),
  defaults_rationale: text,
  output: z.object({
    name,
    layout: text,
    dimension: text,
    resolution: text,
    resolution_m: z.number().positive(),
    normalisation: text,
  }),
  licence: text,
  citation: text,
});

export type MosaiksManifest = z.infer<typeof manifestSchema>;
export type MosaiksNumericParameter = Exclude<keyof MosaiksManifest['parameters'], 'whiten'>;

/** "parameters.kernel.max" from zod's path ["parameters", "kernel", "max"]. */
function pathName(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, key) => {
    if (typeof key === 'number') return `${out}[${key}]`;
    return out === '' ? String(key) : `${out}.${String(key)}`;
  }, '');
}

function invalid(source: string, where: string, what: string): never {
  throw new AppError('model', `${source} is invalid: ${where}: ${what}.`);
}

/** Parses the manifest; the error names the first bad field, e.g. "parameters.kernel.max: ...". */
export function parseMosaiksManifest(raw: unknown, source = 'The MOSAIKS manifest'): MosaiksManifest {
  const result = manifestSchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    invalid(source, issue ? pathName(issue.path) || '(root)' : '(root)', issue?.message ?? 'unknown problem');
  }
  const manifest = result.data;
  for (const [key, p] of Object.entries(manifest.parameters)) {
    if (!('min' in p)) continue;
    if (p.min > p.max) invalid(source, `parameters.${key}`, `min ${p.min} is above max ${p.max}`);
    if (p.default < p.min || p.default > p.max) {
      invalid(source, `parameters.${key}.default`, `${p.default} is outside ${p.min}..${p.max}`);
    }
  }
  const { kernel, filters, seed } = manifest.parameters;
  if (kernel.default % 2 === 0) invalid(source, 'parameters.kernel.default', 'the kernel size must be odd');
  if (filters.min < 1) invalid(source, 'parameters.filters.min', 'at least one filter is needed');
  if (seed.min < 0 || seed.max > 2 ** 32 - 1) invalid(source, 'parameters.seed', 'seeds are 32-bit unsigned');
  if (manifest.min_bands > manifest.bands.length) {
    invalid(
      source,
      'min_bands',
      `${manifest.min_bands} is more than the ${manifest.bands.length} bands listed`,
    );
  }
  return manifest;
}

let cached: MosaiksManifest | undefined;

/** The bundled manifest, parsed on first use (not at import time). */
export function mosaiksManifest(): MosaiksManifest {
  cached ??= parseMosaiksManifest(rawManifest);
  return cached;
}
