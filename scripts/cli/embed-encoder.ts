import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import type { OrtRuntime, PixelEncoder } from '../../src/lib/encoder/index.ts';
import {
  findVariant,
  isSpectralBand,
  type ModelDtype,
  parseModelManifest,
  runnerFor,
  verifyModelBytes,
} from '../../src/lib/encoder/index.ts';
import { AppError } from '../../src/lib/errors.ts';
import type { Scene } from '../../src/lib/scene/index.ts';
import { type CliModel, cliModel } from './embed-models.ts';

export const MODELS_DIR = join(import.meta.dirname, '../../public/models');

/** onnxruntime-node, whose CPU execution provider is "cpu" (the app's "wasm"). */
const NODE_RUNTIME: OrtRuntime = { load: async () => ort, providers: { wasm: 'cpu', webgpu: 'cpu' } };

/** An opened encoder, its input bands (per time step), output size and band names. */
export interface OpenedEncoder {
  encoder: PixelEncoder & { release(): Promise<void> };
  bands: string[];
  dim: number;
  names: string[];
  /** Per-pixel columns computed beside the graph (the spectral encoder's texture). */
  extraColumns?: Float32Array[];
}

/** A converted model's manifest, checked before the scene is read: a model not yet built fails at once. */
export function modelBuilt(folder: string, name: string): void {
  if (!existsSync(join(MODELS_DIR, folder, 'manifest.json')))
    throw new AppError('not-found', `The ${name} model is not built: run \`npm run models\` first.`);
}

/** A converted model's `dtype` variant: bytes checked against its manifest, and its manifest. */
async function convertedModel(model: CliModel, folder: string, dtype: string) {
  let manifestText: string;
  try {
    manifestText = readFileSync(join(MODELS_DIR, folder, 'manifest.json'), 'utf8');
  } catch {
    throw new AppError('not-found', `The ${model.label} model is not built: run \`npm run models\` first.`);
  }
  const manifest = parseModelManifest(JSON.parse(manifestText));
  const variant = findVariant(manifest, dtype as ModelDtype);
  const bytes = new Uint8Array(readFileSync(join(MODELS_DIR, folder, variant.file)));
  await verifyModelBytes(bytes, variant);
  return { manifest, bytes };
}

/**
 * The encoder for `--model` on `target` (the scene whose grid the pixel indices refer to), as
 * its family opens it in the app's encoder worker, on onnxruntime-node. Dated models (Presto,
 * Galileo-nano) get the calendar month of every time step (`months`, one per date, from
 * planSeries), exactly as the app's encoder worker feeds them; `dtype` picks their variant.
 */
export async function openEncoder(
  model: string,
  dtype: string,
  target: Scene,
  months: readonly number[],
): Promise<OpenedEncoder> {
  const entry = cliModel(model);
  if (entry.folder === undefined) {
    // A generated per-pixel model: planned and opened by its family, as in the app.
    if (!entry.option) throw new AppError('internal', `${entry.label} has no model to open.`);
    const plan = entry.family.plan(entry.option, target, { factor: 1, preference: 'wasm' });
    if (plan.unit !== 'pixels') throw new AppError('internal', `${entry.label} encodes patches, not pixels.`);
    const { session, info } = await entry.family.open(plan.spec, NODE_RUNTIME);
    const encode = session.encode?.bind(session);
    if (!encode) throw new AppError('internal', `${entry.label} encodes tiles, not pixels.`);
    return {
      encoder: {
        encode: async (pixels, count, indices) => (await encode(pixels, count, indices)).embeddings,
        release: () => session.release(),
      },
      bands: info.bands,
      dim: info.dim,
      names: info.featureNames,
      ...(plan.extraColumns ? { extraColumns: plan.extraColumns } : {}),
    };
  }
  // A converted model: its manifest's family feeds the variant --dtype names.
  const { manifest, bytes } = await convertedModel(entry, entry.folder, dtype);
  const runner = runnerFor(manifest, `The ${entry.label} manifest`);
  const bands = runner.takesDates ? target.bands.filter((b) => isSpectralBand(b)) : [...runner.bands];
  const encoder = await runner.open(ort, bytes, NODE_RUNTIME.providers.wasm, {
    bands,
    grid: target.grid,
    months,
  });
  return {
    encoder,
    bands,
    dim: runner.dim,
    names: Array.from({ length: runner.dim }, (_, i) => `${entry.family.id}_${i}`),
  };
}
