import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import type { PixelEncoder } from '../../src/lib/encoder/encode-scene.ts';
import { PixelEncoderSession } from '../../src/lib/encoder/encoder-session.ts';
import {
  findVariant,
  type ModelDtype,
  parseModelManifest,
  verifyModelBytes,
} from '../../src/lib/encoder/model-manifest.ts';
import { prestoBatchInputs } from '../../src/lib/encoder/presto-batch.ts';
import { PrestoSession } from '../../src/lib/encoder/presto-session.ts';
import { buildSpectralEncoder } from '../../src/lib/encoder/spectral-graph.ts';
import { isSpectralBand, spectralManifest } from '../../src/lib/encoder/spectral-manifest.ts';
import { sceneTexture } from '../../src/lib/encoder/spectral-texture.ts';
import { AppError } from '../../src/lib/errors.ts';
import type { Scene } from '../../src/lib/scene/scene.ts';
import { openGalileoEncoder } from './embed-galileo.ts';

export const MODELS_DIR = join(import.meta.dirname, '../../public/models');

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
export function modelBuilt(folder: 'presto' | 'galileo-nano', name: string): void {
  if (!existsSync(join(MODELS_DIR, folder, 'manifest.json')))
    throw new AppError('not-found', `The ${name} model is not built: run \`npm run models\` first.`);
}

async function prestoBytes(dtype: string): Promise<Uint8Array> {
  let manifestText: string;
  try {
    manifestText = readFileSync(join(MODELS_DIR, 'presto/manifest.json'), 'utf8');
  } catch {
    throw new AppError('not-found', 'The Presto model is not built: run `npm run models` first.');
  }
  const manifest = parseModelManifest(JSON.parse(manifestText));
  const variant = findVariant(manifest, dtype as ModelDtype);
  const bytes = new Uint8Array(readFileSync(join(MODELS_DIR, 'presto', variant.file)));
  await verifyModelBytes(bytes, variant);
  return bytes;
}

/**
 * The encoder for `--model` on `target` (the scene whose grid the pixel indices refer to).
 * Presto and Galileo-nano get the calendar month of every time step (`months`, one per date,
 * from planSeries), exactly as the app's encoder worker feeds them.
 */
export async function openEncoder(
  model: string,
  dtype: string,
  target: Scene,
  months: readonly number[],
): Promise<OpenedEncoder> {
  if (model === 'spectral') {
    const supported: readonly string[] = spectralManifest().input.bands;
    const spec = buildSpectralEncoder(target.bands.filter((b) => supported.includes(b)));
    const session = await PixelEncoderSession.create(
      ort,
      spec.bytes,
      { inputName: spec.inputName, outputName: spec.outputName, bands: spec.inputWidth, dim: spec.dim },
      {},
    );
    const extraColumns = sceneTexture(target, spec.bands);
    return { encoder: session, bands: spec.bands, dim: spec.dim, names: spec.featureNames, extraColumns };
  }
  if (model === 'galileo-nano') return openGalileoEncoder(dtype, target, months);
  if (model !== 'presto')
    throw new AppError(
      'bad-input',
      `Unknown --model ${model}; models: spectral, presto, galileo-nano, mosaiks.`,
    );
  const session = await PrestoSession.create(ort, await prestoBytes(dtype), {});
  const bands = target.bands.filter((b) => isSpectralBand(b));
  const encoder = {
    encode: (pixels: Float32Array, count: number, indices: Uint32Array) =>
      session.encode(prestoBatchInputs(pixels, count, indices, bands, target.grid, months)),
    release: () => session.release(),
  };
  return {
    encoder,
    bands,
    dim: PrestoSession.dim,
    names: Array.from({ length: PrestoSession.dim }, (_, i) => `presto_${i}`),
  };
}
