import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MODEL_DTYPES, type ModelManifest, sha256Hex } from '../../src/lib/encoder/index.ts';
import { AppError } from '../../src/lib/errors.ts';
import { buildGalileoPixelOnnx } from './galileo-graph.ts';
import type { StreamNorm } from './presto-blocks.ts';
import { type BuiltModel, mismatches, withBuiltVariants } from './presto-build.ts';
import { readTorchCheckpoint } from './torch-checkpoint.ts';

export const galileoFileName = (dtype: string): string => `galileo-nano.${dtype}.onnx`;

/** Converts the checkpoint into every pixel-mode variant; the bytes depend on nothing but it. */
export async function convertGalileo(
  checkpoint: Uint8Array,
  options: { streamNorm?: StreamNorm } = {},
): Promise<BuiltModel[]> {
  const weights = readTorchCheckpoint(checkpoint);
  const out: BuiltModel[] = [];
  for (const dtype of MODEL_DTYPES) {
    const bytes = buildGalileoPixelOnnx(weights, dtype, options);
    out.push({ dtype, file: galileoFileName(dtype), bytes, sha256: await sha256Hex(bytes) });
  }
  return out;
}

/**
 * Converts and writes `<outDir>/galileo-nano.<dtype>.onnx` and `<outDir>/manifest.json`.
 * Unless `update`, fails when any file differs from models/galileo-nano/manifest.json's pin.
 */
export async function buildGalileoModels(options: {
  checkpoint: Uint8Array;
  manifest: ModelManifest;
  outDir: string;
  update?: boolean;
}): Promise<{ manifest: ModelManifest; built: BuiltModel[] }> {
  const built = await convertGalileo(options.checkpoint);
  const wrong = mismatches(options.manifest, built);
  if (wrong.length > 0 && !options.update) {
    throw new AppError(
      'model',
      `The converted Galileo-nano models differ from models/galileo-nano/manifest.json:\n  ${wrong.join('\n  ')}\nIf the converter changed on purpose, run \`npm run models -- --update-manifest\` and commit the manifest.`,
    );
  }
  const manifest = withBuiltVariants(options.manifest, built);
  await mkdir(options.outDir, { recursive: true });
  for (const m of built) await writeFile(join(options.outDir, m.file), m.bytes);
  await writeFile(join(options.outDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return { manifest, built };
}
