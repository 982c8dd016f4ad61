import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import type { PixelEncoder } from '../../src/lib/encoder/encode-scene.ts';
import { galileoInputsFromPresto } from '../../src/lib/encoder/galileo-inputs.ts';
import { GalileoSession } from '../../src/lib/encoder/galileo-session.ts';
import {
  findVariant,
  type ModelDtype,
  parseModelManifest,
  verifyModelBytes,
} from '../../src/lib/encoder/model-manifest.ts';
import { prestoBatchInputs } from '../../src/lib/encoder/presto-batch.ts';
import { isSpectralBand } from '../../src/lib/encoder/spectral-manifest.ts';
import { AppError } from '../../src/lib/errors.ts';
import type { Scene } from '../../src/lib/scene/scene.ts';

const MODEL_DIR = join(import.meta.dirname, '../../public/models/galileo-nano');

/**
 * `embed --model galileo-nano`: Galileo-nano in pixel mode (one pixel per sample, the month
 * of each date), from the files `npm run models` wrote, checked against their manifest.
 * The inputs are the app's: the Presto channel layout narrowed to Galileo's 13 channels.
 */
export async function openGalileoEncoder(
  dtype: string,
  scene: Scene,
  months: readonly number[],
): Promise<{
  encoder: PixelEncoder & { release(): Promise<void> };
  bands: string[];
  dim: number;
  names: string[];
}> {
  let manifestText: string;
  try {
    manifestText = readFileSync(join(MODEL_DIR, 'manifest.json'), 'utf8');
  } catch {
    throw new AppError('not-found', 'The Galileo-nano model is not built: run `npm run models` first.');
  }
  const manifest = parseModelManifest(JSON.parse(manifestText));
  const variant = findVariant(manifest, dtype as ModelDtype);
  const bytes = new Uint8Array(readFileSync(join(MODEL_DIR, variant.file)));
  await verifyModelBytes(bytes, variant);
  const session = await GalileoSession.create(ort, bytes, {});
  const bands = scene.bands.filter((b) => isSpectralBand(b));
  const encoder = {
    encode: (pixels: Float32Array, count: number, indices: Uint32Array) =>
      session.encode(
        galileoInputsFromPresto(prestoBatchInputs(pixels, count, indices, bands, scene.grid, months)),
      ),
    release: () => session.release(),
  };
  return {
    encoder,
    bands,
    dim: GalileoSession.dim,
    names: Array.from({ length: GalileoSession.dim }, (_, i) => `galileo_${i}`),
  };
}
