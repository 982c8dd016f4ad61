import rawManifest from '../../../models/spectral/manifest.json';
import { AppError } from '../errors.ts';

/** Earth Search (element84 sentinel-2-l2a) asset keys the spectral encoder understands. */
export const SPECTRAL_BANDS = [
  'blue',
  'green',
  'red',
  'rededge1',
  'rededge2',
  'rededge3',
  'nir',
  'nir08',
  'swir16',
  'swir22',
] as const;
export type SpectralBand = (typeof SPECTRAL_BANDS)[number];

export interface SpectralIndexDef {
  id: string;
  name: string;
  /** index = (a - b) / (a + b) */
  a: SpectralBand;
  b: SpectralBand;
}

export interface SpectralManifest {
  id: 'spectral';
  name: string;
  kind: 'pixel';
  generator: 'spectral';
  input: { name: string; bands: SpectralBand[]; units: string; minBands: number };
  /** Per-band statistics already converted to reflectance units (DN * dn_scale). */
  mean: Record<SpectralBand, number>;
  std: Record<SpectralBand, number>;
  indices: SpectralIndexDef[];
  output: { name: string; resolutionM: number };
  licence: string;
  citation: string;
}

export function isSpectralBand(value: unknown): value is SpectralBand {
  return typeof value === 'string' && (SPECTRAL_BANDS as readonly string[]).includes(value);
}

type Json = Record<string, unknown>;

function fail(what: string): never {
  throw new AppError('model', `The spectral manifest is invalid: ${what}.`);
}

function obj(value: unknown, what: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(`${what} is not an object`);
  return value as Json;
}

function str(value: unknown, what: string): string {
  if (typeof value !== 'string' || value === '') fail(`${what} is not a non-empty string`);
  return value;
}

function num(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(`${what} is not a finite number`);
  return value;
}

function band(value: unknown, what: string): SpectralBand {
  if (!isSpectralBand(value)) fail(`${what} is not a supported band (${String(value)})`);
  return value;
}

function perBand(
  value: unknown,
  what: string,
  scale: number,
  positive: boolean,
): Record<SpectralBand, number> {
  const table = obj(value, what);
  const out = {} as Record<SpectralBand, number>;
  for (const key of SPECTRAL_BANDS) {
    const v = num(table[key], `${what}.${key}`);
    if (positive && v <= 0) fail(`${what}.${key} must be positive`);
    out[key] = v * scale;
  }
  return out;
}

/** Checks the manifest JSON and converts it to the typed, reflectance-unit form. */
export function parseSpectralManifest(raw: unknown): SpectralManifest {
  const root = obj(raw, 'the manifest');
  if (root.id !== 'spectral' || root.kind !== 'pixel' || root.generator !== 'spectral') {
    fail('id/kind/generator must be spectral/pixel/spectral');
  }
  const input = obj(root.input, 'input');
  if (!Array.isArray(input.bands)) fail('input.bands is not an array');
  const norm = obj(root.normalisation, 'normalisation');
  const scale = num(norm.dn_scale, 'normalisation.dn_scale');
  if (!Array.isArray(root.indices)) fail('indices is not an array');
  const output = obj(root.output, 'output');
  return {
    id: 'spectral',
    name: str(root.name, 'name'),
    kind: 'pixel',
    generator: 'spectral',
    input: {
      name: str(input.name, 'input.name'),
      bands: input.bands.map((b, i) => band(b, `input.bands[${i}]`)),
      units: str(input.units, 'input.units'),
      minBands: num(input.min_bands, 'input.min_bands'),
    },
    mean: perBand(norm.mean, 'normalisation.mean', scale, false),
    std: perBand(norm.std, 'normalisation.std', scale, true),
    indices: root.indices.map((entry, i) => {
      const o = obj(entry, `indices[${i}]`);
      return {
        id: str(o.id, `indices[${i}].id`),
        name: str(o.name, `indices[${i}].name`),
        a: band(o.a, `indices[${i}].a`),
        b: band(o.b, `indices[${i}].b`),
      };
    }),
    output: {
      name: str(output.name, 'output.name'),
      resolutionM: num(output.resolution_m, 'output.resolution_m'),
    },
    licence: str(root.licence, 'licence'),
    citation: str(root.citation, 'citation'),
  };
}

let cached: SpectralManifest | undefined;

/** The bundled manifest, parsed on first use (not at import time). */
export function spectralManifest(): SpectralManifest {
  cached ??= parseSpectralManifest(rawManifest);
  return cached;
}
