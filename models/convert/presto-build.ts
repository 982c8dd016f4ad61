import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  MODEL_DTYPES,
  type ModelDtype,
  type ModelManifest,
  parseModelManifest,
  sha256Hex,
} from '../../src/lib/encoder/index.ts';
import { AppError } from '../../src/lib/errors.ts';
import type { StreamNorm } from './presto-blocks.ts';
import { buildPrestoOnnx } from './presto-graph.ts';
import { readTorchCheckpoint } from './torch-checkpoint.ts';

export interface BuiltModel {
  dtype: ModelDtype;
  file: string;
  bytes: Uint8Array;
  sha256: string;
}

export const prestoFileName = (dtype: ModelDtype): string => `presto.${dtype}.onnx`;

/** Converts the checkpoint into every variant; the bytes depend on nothing but the checkpoint. */
export async function convertPresto(
  checkpoint: Uint8Array,
  options: { streamNorm?: StreamNorm } = {},
): Promise<BuiltModel[]> {
  const weights = readTorchCheckpoint(checkpoint);
  const out: BuiltModel[] = [];
  for (const dtype of MODEL_DTYPES) {
    const bytes = buildPrestoOnnx(weights, dtype, options);
    out.push({ dtype, file: prestoFileName(dtype), bytes, sha256: await sha256Hex(bytes) });
  }
  return out;
}

/** The manifest with its variants' sizes and hashes replaced by what was built. */
export function withBuiltVariants(manifest: ModelManifest, built: readonly BuiltModel[]): ModelManifest {
  return parseModelManifest({
    ...manifest,
    variants: manifest.variants.map((v) => {
      const model = built.find((m) => m.dtype === v.dtype);
      return model ? { ...v, file: model.file, bytes: model.bytes.length, sha256: model.sha256 } : v;
    }),
  });
}

/** Names every variant whose built bytes differ from the committed manifest's pin. */
export function mismatches(manifest: ModelManifest, built: readonly BuiltModel[]): string[] {
  return built.flatMap((m) => {
    const pinned = manifest.variants.find((v) => v.dtype === m.dtype);
    if (!pinned) return [`${m.dtype}: not in the manifest`];
    if (pinned.file !== m.file || pinned.bytes !== m.bytes.length || pinned.sha256 !== m.sha256) {
      return [
        `${m.dtype}: built ${m.file}, ${m.bytes.length} bytes, ${m.sha256}; pinned ${pinned.file}, ${pinned.bytes} bytes, ${pinned.sha256}`,
      ];
    }
    return [];
  });
}

/**
 * Converts and writes `<outDir>/presto.<dtype>.onnx` and `<outDir>/manifest.json`. Unless
 * `update`, the build fails when any file differs from the committed manifest's pin: the
 * converter is deterministic, so a difference means the converter (or checkpoint) changed.
 */
export async function buildPrestoModels(options: {
  checkpoint: Uint8Array;
  manifest: ModelManifest;
  outDir: string;
  update?: boolean;
}): Promise<{ manifest: ModelManifest; built: BuiltModel[] }> {
  const built = await convertPresto(options.checkpoint);
  const wrong = mismatches(options.manifest, built);
  if (wrong.length > 0 && !options.update) {
    throw new AppError(
      'model',
      `The converted Presto models differ from models/presto/manifest.json:\n  ${wrong.join('\n  ')}\nIf the converter changed on purpose, run \`npm run models -- --update-manifest\` and commit the manifest.`,
    );
  }
  const manifest = withBuiltVariants(options.manifest, built);
  await mkdir(options.outDir, { recursive: true });
  for (const m of built) await writeFile(join(options.outDir, m.file), m.bytes);
  await writeFile(join(options.outDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return { manifest, built };
}
