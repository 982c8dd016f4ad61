import { AppError } from '../errors.ts';
import type { ManifestOption, ModelOption, ModelSource } from './encoder-spec.ts';
import { mosaiksFamily } from './families/mosaiks/index.ts';
import { spectralFamily } from './families/spectral/index.ts';
import { fetchModelManifest } from './model-download.ts';
import { parseModelManifest, verifyModelBytes } from './model-manifest.ts';
import { availableDtypes } from './model-source.ts';
import { familyById, familyOfManifest } from './registry.ts';

export type { ManifestOption, ModelOption };

/** The generated models, for code and tests that name one (the catalog lists the registry's). */
export const SPECTRAL_OPTION: ModelOption = spectralFamily.option!;
export const MOSAIKS_OPTION: ModelOption = mosaiksFamily.option!;

/**
 * A model option as it is posted to a worker: structured-cloneable, so without a manifest
 * option's runner (it holds functions); the worker makes the runner again (revivedOption).
 */
export type PostedOption = Extract<ModelOption, { origin: 'generated' }> | Omit<ManifestOption, 'runner'>;

export function postedOption(option: ModelOption): PostedOption {
  if (option.origin === 'generated') return option;
  const { origin, family, id, name, source, manifest } = option;
  return { origin, family, id, name, source, manifest };
}

/** The option a worker received, its runner made again by its family. */
export function revivedOption(posted: PostedOption): ModelOption {
  if (posted.origin === 'generated') return posted;
  const hooks = familyById(posted.family).manifest;
  if (!hooks) throw new AppError('model', `${posted.name}: its family reads no manifest.`);
  return { ...posted, runner: hooks.runner(posted.manifest, `The ${posted.name} manifest`) };
}

/** A manifest option: the family the manifest names (or whose inputs it has) makes its runner. */
function manifestOption(
  manifest: ManifestOption['manifest'],
  origin: ManifestOption['origin'],
  source: ModelSource,
  where: string,
): ManifestOption {
  const family = familyOfManifest(manifest, where);
  const runner = family.manifest!.runner(manifest, where);
  return { origin, family: family.id, id: manifest.id, name: manifest.name, source, manifest, runner };
}

/** A model served at a URL (the app's own Presto, or a user's): manifest checked now, bytes at use. */
export async function modelFromUrl(
  manifestUrl: string,
  origin: 'built-in' | 'url',
  signal?: AbortSignal,
): Promise<ManifestOption> {
  const manifest = await fetchModelManifest(manifestUrl, { signal });
  return manifestOption(
    manifest,
    origin,
    { kind: 'url', manifestUrl },
    `The model manifest at ${manifestUrl}`,
  );
}

/** What a picked file offers: its name and bytes (File in the browser, a Buffer in tests). */
export interface PickedFile {
  name: string;
  bytes: Uint8Array;
}

/**
 * A user's own model from picked files: one manifest (.json) and its .onnx variant(s). The
 * manifest is validated (errors name the field) and every .onnx is checked against its
 * size and SHA-256 before the model is offered.
 */
export async function modelFromFiles(files: readonly PickedFile[]): Promise<ManifestOption> {
  const manifests = files.filter((f) => f.name.toLowerCase().endsWith('.json'));
  const onnx = files.filter((f) => f.name.toLowerCase().endsWith('.onnx'));
  const other = files.find((f) => !manifests.includes(f) && !onnx.includes(f));
  if (other) throw new AppError('bad-input', `${other.name}: pick a manifest (.json) and .onnx files only.`);
  if (manifests.length !== 1)
    throw new AppError(
      'bad-input',
      `Pick exactly one manifest (.json) with the .onnx file(s); got ${manifests.length}.`,
    );
  const picked = manifests[0]!;
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder().decode(picked.bytes));
  } catch (error) {
    throw new AppError(
      'model',
      `${picked.name} is not JSON: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const manifest = parseModelManifest(raw, `The manifest ${picked.name}`);
  const source: ModelSource = {
    kind: 'files',
    manifest: raw,
    files: onnx.map((f) => ({ name: f.name, bytes: f.bytes })),
  };
  const option = manifestOption(manifest, 'files', source, `The manifest ${picked.name}`);
  availableDtypes(manifest, source);
  for (const file of onnx) {
    const variant = manifest.variants.find((v) => v.file === file.name);
    if (variant) await verifyModelBytes(file.bytes, variant);
  }
  return option;
}
