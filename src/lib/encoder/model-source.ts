import { AppError } from '../errors.ts';
import type { ModelSource } from './encoder-spec.ts';
import { fetchModelManifest, fetchModelVariant } from './model-download.ts';
import {
  findVariant,
  type ModelDtype,
  type ModelManifest,
  type ModelVariant,
  parseModelManifest,
  verifyModelBytes,
} from './model-manifest.ts';

/** The validated manifest of a model source. */
export async function sourceManifest(source: ModelSource, signal?: AbortSignal): Promise<ModelManifest> {
  if (source.kind === 'url') return fetchModelManifest(source.manifestUrl, { signal });
  return parseModelManifest(source.manifest, 'The chosen manifest');
}

/**
 * Variants the source can deliver: all listed ones from a server, only the picked files
 * otherwise. A picked .onnx the manifest does not list is an error, not ignored.
 */
export function availableDtypes(manifest: ModelManifest, source: ModelSource): ModelDtype[] {
  if (source.kind === 'url') return manifest.variants.map((v) => v.dtype);
  for (const file of source.files) {
    if (!manifest.variants.some((v) => v.file === file.name)) {
      const listed = manifest.variants.map((v) => v.file).join(', ');
      throw new AppError('model', `The file ${file.name} is not one of the manifest's variants (${listed}).`);
    }
  }
  const dtypes = manifest.variants
    .filter((v) => source.files.some((f) => f.name === v.file))
    .map((v) => v.dtype);
  if (dtypes.length === 0)
    throw new AppError(
      'model',
      `Pick the model's .onnx file too (${manifest.variants.map((v) => v.file).join(' or ')}).`,
    );
  return dtypes;
}

/** The bytes of one variant, with size and SHA-256 checked against the manifest. */
export async function variantBytes(
  source: ModelSource,
  manifest: ModelManifest,
  dtype: ModelDtype,
  signal?: AbortSignal,
): Promise<{ variant: ModelVariant; bytes: Uint8Array }> {
  if (source.kind === 'url') return fetchModelVariant(source.manifestUrl, manifest, dtype, { signal });
  const variant = findVariant(manifest, dtype);
  const file = source.files.find((f) => f.name === variant.file);
  if (!file) throw new AppError('model', `The file ${variant.file} was not picked.`);
  await verifyModelBytes(file.bytes, variant);
  return { variant, bytes: file.bytes };
}
