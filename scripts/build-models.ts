/**
 * `npm run models`: converts the Presto and Galileo-nano checkpoints into public/models/presto/
 * and public/models/galileo-nano/ (fp32, fp16 and int8 ONNX files plus manifest.json with
 * their sizes and SHA-256). The committed models/<id>/manifest.json pins those hashes; the
 * build fails when its output differs.
 *   --update-manifest   accept the new bytes and rewrite models/<id>/manifest.json
 *   --out DIR           write Presto somewhere other than public/models/presto
 * PRESTO_CHECKPOINT=path / GALILEO_CHECKPOINT=path override where a checkpoint is looked for first.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCheckpoint } from '../models/convert/checkpoint-source.ts';
import { buildGalileoModels } from '../models/convert/galileo-build.ts';
import { buildPrestoModels } from '../models/convert/presto-build.ts';
import { checkpointPin, parseModelManifest } from '../src/lib/encoder/index.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const MANIFEST = path.join(ROOT, 'models/presto/manifest.json');
export const SHARED_CHECKPOINT = path.resolve(ROOT, '../shared/models/presto/default_model.pt');
const GALILEO_MANIFEST = path.join(ROOT, 'models/galileo-nano/manifest.json');
const GALILEO_SHARED_CHECKPOINT = path.resolve(ROOT, '../shared/models/galileo-nano/encoder.pt');

/** Galileo-nano, like Presto: pinned checkpoint in, pinned ONNX files out. */
async function buildGalileo(update: boolean): Promise<void> {
  const manifest = parseModelManifest(JSON.parse(await readFile(GALILEO_MANIFEST, 'utf8')), GALILEO_MANIFEST);
  const checkpoint = await loadCheckpoint({
    paths: [process.env.GALILEO_CHECKPOINT, GALILEO_SHARED_CHECKPOINT].filter((p): p is string => Boolean(p)),
    ...checkpointPin(manifest),
    cachePath: path.join(ROOT, 'build/checkpoints/galileo-nano/encoder.pt'),
  });
  const outDir = path.join(ROOT, 'public/models/galileo-nano');
  const result = await buildGalileoModels({ checkpoint, manifest, outDir, update });
  for (const m of result.built)
    console.log(`${path.join(outDir, m.file)}  ${m.bytes.length} bytes  ${m.sha256}`);
  if (update) {
    await writeFile(GALILEO_MANIFEST, `${JSON.stringify(result.manifest, null, 2)}\n`);
    console.log(`updated ${path.relative(ROOT, GALILEO_MANIFEST)}`);
  }
}

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
  await buildGalileo(update);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
