/**
 * `npm run models`: converts the Presto checkpoint into public/models/presto/ (fp32, fp16 and
 * int8 ONNX files plus manifest.json with their sizes and SHA-256). The committed
 * models/presto/manifest.json pins those hashes; the build fails when its output differs.
 *   --update-manifest   accept the new bytes and rewrite models/presto/manifest.json
 *   --out DIR           write somewhere other than public/models/presto
 * PRESTO_CHECKPOINT=path overrides where the checkpoint is looked for first.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCheckpoint } from '../models/convert/checkpoint-source.ts';
import { buildPrestoModels } from '../models/convert/presto-build.ts';
import { checkpointPin, parseModelManifest } from '../src/lib/encoder/model-manifest.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const MANIFEST = path.join(ROOT, 'models/presto/manifest.json');
export const SHARED_CHECKPOINT = path.resolve(ROOT, '../shared/models/presto/default_model.pt');

async function main(argv: readonly string[]): Promise<void> {
  const update = argv.includes('--update-manifest');
  const outIndex = argv.indexOf('--out');
  const outDir = path.resolve(
    outIndex >= 0 ? (argv[outIndex + 1] ?? '') : path.join(ROOT, 'public/models/presto'),
  );
  const manifest = parseModelManifest(JSON.parse(await readFile(MANIFEST, 'utf8')), MANIFEST);
  const checkpoint = await loadCheckpoint({
    paths: [process.env.PRESTO_CHECKPOINT, SHARED_CHECKPOINT].filter((p): p is string => Boolean(p)),
    ...checkpointPin(manifest),
    cachePath: path.join(ROOT, 'build/checkpoints/presto/default_model.pt'),
  });
  const result = await buildPrestoModels({ checkpoint, manifest, outDir, update });
  for (const m of result.built)
    console.log(`${path.join(outDir, m.file)}  ${m.bytes.length} bytes  ${m.sha256}`);
  if (update) {
    await writeFile(MANIFEST, `${JSON.stringify(result.manifest, null, 2)}\n`);
    console.log(
      `updated ${path.relative(ROOT, MANIFEST)}; run \`npx biome format --write models/presto/manifest.json\` before committing it`,
    );
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
