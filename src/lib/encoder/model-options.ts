import { AppError } from '../errors.ts';
import type { ModelSource } from './encoder-spec.ts';
import { fetchModelManifest } from './model-download.ts';
import { type ModelManifest, parseModelManifest, verifyModelBytes } from './model-manifest.ts';
import { type ModelRunner, runnerFor } from './model-runner.ts';
import { availableDtypes } from './model-source.ts';

/** A model the picker offers: the built-in spectral graph, or one described by a manifest. */
export type ModelOption =
  | { kind: 'spectral'; id: 'spectral'; name: string }
  | { kind: 'mosaiks'; id: 'mosaiks'; name: string }
  | {
      kind: 'manifest';
      id: string;
      name: string;
      origin: 'built-in' | 'url' | 'files';
      source: ModelSource;
      manifest: ModelManifest;
      runner: ModelRunner;
    };

export const SPECTRAL_OPTION: ModelOption = { kind: 'spectral', id: 'spectral', name: 'Spectral' };
export const MOSAIKS_OPTION: ModelOption = { kind: 'mosaiks', id: 'mosaiks', name: 'MOSAIKS' };

/** A model served at a URL (the app's own Presto, or a user's): manifest checked now, bytes at use. */
export async function modelFromUrl(
  manifestUrl: string,
  origin: 'built-in' | 'url',
  signal?: AbortSignal,
): Promise<Extract<ModelOption, { kind: 'manifest' }>> {
  const manifest = await fetchModelManifest(manifestUrl, { signal });
  const runner = runnerFor(manifest, `The model manifest at ${manifestUrl}`);
  return {
    kind: 'manifest',
    id: manifest.id,
    name: manifest.name,
    origin,
    source: { kind: 'url', manifestUrl },
    manifest,
    runner,
  };
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
export async function modelFromFiles(
  files: readonly PickedFile[],
): Promise<Extract<ModelOption, { kind: 'manifest' }>> {
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
  const runner = runnerFor(manifest, `The manifest ${picked.name}`);
  const source: ModelSource = {
    kind: 'files',
    manifest: raw,
    files: onnx.map((f) => ({ name: f.name, bytes: f.bytes })),
  };
  availableDtypes(manifest, source);
  for (const file of onnx) {
    const variant = manifest.variants.find((v) => v.file === file.name);
    if (variant) await verifyModelBytes(file.bytes, variant);
  }
  return {
    kind: 'manifest',
    id: manifest.id,
    name: manifest.name,
    origin: 'files',
    source,
    manifest,
    runner,
  };
}
