import { fetchChecked, fetchJson, readBody } from '../net/index.ts';
import {
  findVariant,
  type ModelDtype,
  type ModelManifest,
  type ModelVariant,
  parseModelManifest,
  verifyModelBytes,
} from './model-manifest.ts';

export interface ModelFetchOptions {
  signal?: AbortSignal;
}

/** The manifest at `url` (e.g. `${BASE_URL}models/presto/manifest.json`), validated. */
export async function fetchModelManifest(
  url: string,
  options: ModelFetchOptions = {},
): Promise<ModelManifest> {
  const raw = await fetchJson(
    url,
    {},
    { service: 'the model server', signal: options.signal, timeoutMs: 30_000, maxBytes: 2 ** 20 },
  );
  return parseModelManifest(raw, `The model manifest at ${url}`);
}

/**
 * Downloads one variant's .onnx from the manifest's folder and verifies its size and SHA-256
 * against the manifest before anyone parses it.
 */
export async function fetchModelVariant(
  manifestUrl: string,
  manifest: ModelManifest,
  dtype: ModelDtype,
  options: ModelFetchOptions = {},
): Promise<{ variant: ModelVariant; bytes: Uint8Array }> {
  const variant = findVariant(manifest, dtype);
  const url = new URL(variant.file, manifestUrl).href;
  const response = await fetchChecked(
    url,
    {},
    { service: 'the model server', signal: options.signal, timeoutMs: 120_000 },
  );
  // Never more than the manifest's size: an endless answer stops there, not at the memory limit.
  const bytes = await readBody(response, {
    service: 'the model server',
    url,
    maxBytes: variant.bytes,
    idleMs: 120_000,
    signal: options.signal,
  });
  await verifyModelBytes(bytes, variant);
  return { variant, bytes };
}
