import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { countValid, type EmbeddingGrid } from '../../src/lib/embeddings/embedding-grid.ts';
import { type EncodeProgress, encodeScene, type PixelEncoder } from '../../src/lib/encoder/encode-scene.ts';
import { PixelEncoderSession } from '../../src/lib/encoder/encoder-session.ts';
import {
  findVariant,
  type ModelDtype,
  parseModelManifest,
  verifyModelBytes,
} from '../../src/lib/encoder/model-manifest.ts';
import { type MosaiksParams, resolveMosaiksParams } from '../../src/lib/encoder/mosaiks-params.ts';
import { prestoBatchInputs } from '../../src/lib/encoder/presto-batch.ts';
import { PrestoSession } from '../../src/lib/encoder/presto-session.ts';
import { buildSpectralEncoder } from '../../src/lib/encoder/spectral-graph.ts';
import { isSpectralBand, spectralManifest } from '../../src/lib/encoder/spectral-manifest.ts';
import { sceneTexture } from '../../src/lib/encoder/spectral-texture.ts';
import { AppError } from '../../src/lib/errors.ts';
import { embeddingsToGeoTiff } from '../../src/lib/export/embeddings-geotiff.ts';
import type { GridSpec } from '../../src/lib/geo/geotransform.ts';
import { downsampleScene } from '../../src/lib/scene/downsample.ts';
import { loadScene } from '../../src/lib/scene/load-scene.ts';
import type { Scene } from '../../src/lib/scene/scene.ts';
import { openGalileoEncoder } from './embed-galileo.ts';
import { embedMosaiks, MOSAIKS_FLAGS, type MosaiksFlag, mosaiksRequest } from './embed-mosaiks.ts';
import { sourceRequest } from './embed-source.ts';
import { UsageError } from './exit-codes.ts';
import { type CliCommand, progress, summary, warn } from './io.ts';
import { asUsage, choiceOption, numberOption, outputFile, parseOptions, requireOptions } from './validate.ts';

const usage = `npm run cli -- embed --source <pack dir | B02.tif B03.tif ... | STAC API URL> --out embeddings.tif
                       [--model spectral|presto|galileo-nano|mosaiks] [--dtype fp32|fp16|int8] [--encoding float32|int8]
                       [--bbox W,S,E,N --datetime START/END [--max-cloud 30]] [--factor 8]
                       [--convention offset-1000|no-offset|reflectance]
                       mosaiks only: [--filters 64] [--kernel 3] [--stride 4] [--pool <stride>] [--seed 0]

Encodes a scene with the same code as the app (onnxruntime-node instead of onnxruntime-web) and
writes a georeferenced multi-band GeoTIFF: float32, or int8 with value = stored * SCALE + OFFSET
per band (GDAL's scale/offset, from each band's range: nothing clipped; nodata -128). Presto and Galileo-nano (pixel mode, one pixel per sample) run on blocks of --factor x --factor pixels (default 1 here) and
need their models built (npm run models). MOSAIKS samples --filters filters of --kernel pixels
from the scene itself and writes 2 x filters bands on a grid --stride times coarser (see
models/mosaiks/manifest.json for the ranges).`;

const MODELS_DIR = join(import.meta.dirname, '../../public/models');

async function openEncoder(
  model: string,
  dtype: string,
  scene: Scene,
): Promise<{
  encoder: PixelEncoder & { release(): Promise<void> };
  bands: string[];
  dim: number;
  names: string[];
  extraColumns?: Float32Array[];
}> {
  if (model === 'spectral') {
    const supported: readonly string[] = spectralManifest().input.bands;
    const spec = buildSpectralEncoder(scene.bands.filter((b) => supported.includes(b)));
    const session = await PixelEncoderSession.create(
      ort,
      spec.bytes,
      { inputName: spec.inputName, outputName: spec.outputName, bands: spec.inputWidth, dim: spec.dim },
      {},
    );
    const extraColumns = sceneTexture(scene, spec.bands);
    return { encoder: session, bands: spec.bands, dim: spec.dim, names: spec.featureNames, extraColumns };
  }
  if (model === 'galileo-nano') return openGalileoEncoder(dtype, scene);
  if (model !== 'presto')
    throw new AppError(
      'bad-input',
      `Unknown --model ${model}; models: spectral, presto, galileo-nano, mosaiks.`,
    );
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
  const session = await PrestoSession.create(ort, bytes, {});
  const bands = scene.bands.filter((b) => isSpectralBand(b));
  const month = new Date(scene.datetime).getUTCMonth();
  if (!Number.isInteger(month))
    throw new AppError('bad-input', 'Presto needs the acquisition month; these files carry no date.');
  const encoder = {
    encode: (pixels: Float32Array, count: number, indices: Uint32Array) =>
      session.encode(prestoBatchInputs(pixels, count, indices, bands, scene.grid, [month])),
    release: () => session.release(),
  };
  return {
    encoder,
    bands,
    dim: PrestoSession.dim,
    names: Array.from({ length: PrestoSession.dim }, (_, i) => `presto_${i}`),
  };
}

const MODELS = ['spectral', 'presto', 'galileo-nano', 'mosaiks'] as const;
const DTYPES = ['fp32', 'fp16', 'int8'] as const;
const ENCODINGS = ['float32', 'int8'] as const;

/** A converted model's manifest, checked before the scene is read: a model not yet built fails at once. */
function modelBuilt(folder: 'presto' | 'galileo-nano', name: string): void {
  if (!existsSync(join(MODELS_DIR, folder, 'manifest.json')))
    throw new AppError('not-found', `The ${name} model is not built: run \`npm run models\` first.`);
}

export const command: CliCommand = {
  usage,
  async run(args) {
    const { values } = parseOptionsWithFiles(args);
    requireOptions(values, ['out'], usage);
    // Everything the command line says is checked before the scene is read.
    const out = outputFile(values.out!);
    const encoding = choiceOption('encoding', values.encoding, ENCODINGS, 'float32');
    const factor = numberOption('factor', values.factor, 1, { min: 1, max: 64, integer: true });
    const model = choiceOption('model', values.model, MODELS, 'spectral');
    const dtype = choiceOption('dtype', values.dtype, DTYPES, 'fp32');
    const mosaiks =
      model === 'mosaiks' ? asUsage(() => resolveMosaiksParams(mosaiksRequest(values))) : undefined;
    const stray = (Object.keys(MOSAIKS_FLAGS) as MosaiksFlag[]).find((flag) => values[flag] !== undefined);
    if (!mosaiks && stray) throw new UsageError(`--${stray} applies to --model mosaiks only.`);
    if (values.dtype !== undefined && model !== 'presto' && model !== 'galileo-nano')
      throw new UsageError('--dtype applies to --model presto and galileo-nano only.');
    if (model === 'presto') modelBuilt('presto', 'Presto');
    if (model === 'galileo-nano') modelBuilt('galileo-nano', 'Galileo-nano');
    const { request, close } = await sourceRequest(values.source, {
      bbox: values.bbox,
      datetime: values.datetime,
      maxCloud: values['max-cloud'],
      convention: values.convention,
    });
    const started = performance.now();
    try {
      const loaded = await loadScene(request, (p) =>
        progress(p.stage, p.done, p.total, { message: p.message }),
      );
      const scene = downsampleScene(loaded, factor);
      // Nothing valid to encode (all nodata, all masked as cloud): an input error, no file written.
      if (!(scene.validFraction > 0)) throw noValidPixels(scene, 'scene');
      const { embeddings, grid, dim, names } = await encodeWith(model, dtype, scene, mosaiks);
      const validFraction = countValid(embeddings) / embeddings.valid.length;
      if (!(validFraction > 0)) throw noValidPixels(scene, 'embeddings');
      if (validFraction < LOW_VALID_FRACTION)
        warn(
          `Only ${(validFraction * 100).toFixed(1)} % of the pixels are valid (${scene.maskDescription}).`,
          {
            valid_fraction: validFraction,
          },
        );
      const bytes = embeddingsToGeoTiff({
        embeddings,
        grid,
        encoding,
        names,
        metadata: { MODEL: model, SCENE: scene.id },
      });
      await writeFile(out, bytes);
      summary({
        out: values.out,
        model,
        scene: scene.id,
        datetime: scene.datetime,
        width: grid.width,
        height: grid.height,
        epsg: grid.epsg,
        resolution_m: grid.transform.resX,
        dim,
        encoding,
        valid_fraction: validFraction,
        bytes: bytes.length,
        seconds: (performance.now() - started) / 1000,
      });
      return 0;
    } finally {
      await close();
    }
  },
};

/** Below this share of valid pixels the summary is not enough: a warning line says it. */
const LOW_VALID_FRACTION = 0.05;

function noValidPixels(scene: Scene, what: 'scene' | 'embeddings'): AppError {
  return new AppError(
    'bad-input',
    `${scene.title} has no valid pixel${what === 'embeddings' ? ' left after encoding' : ''} (${scene.maskDescription}): every pixel is nodata or masked. Nothing was written; choose another scene, area or date.`,
  );
}

/** Encodes the scene with a pixel encoder (on the scene's grid) or MOSAIKS (on its patch grid). */
async function encodeWith(
  model: string,
  dtype: string,
  scene: Scene,
  mosaiks: MosaiksParams | undefined,
): Promise<{ embeddings: EmbeddingGrid; grid: GridSpec; dim: number; names: string[] }> {
  if (mosaiks) return embedMosaiks(scene, mosaiks);
  const { encoder, bands, dim, names, extraColumns } = await openEncoder(model, dtype, scene);
  try {
    const embeddings = await encodeScene(scene, encoder, {
      dim,
      bands,
      extraColumns,
      batchSize: model === 'presto' || model === 'galileo-nano' ? 1024 : 32_768,
      onProgress: (p: EncodeProgress) => progress('encode', p.pixelsDone, p.pixelsTotal),
    });
    return { embeddings, grid: scene.grid, dim, names };
  } finally {
    await encoder.release();
  }
}

/** Options plus the extra file names that follow --source (B02.tif B03.tif ...). */
function parseOptionsWithFiles(args: string[]) {
  // Files after --source are gathered until the next option.
  const files: string[] = [];
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--source') {
      while (i + 1 < args.length && !args[i + 1]!.startsWith('--')) files.push(args[++i]!);
    } else rest.push(arg);
  }
  const parsed = parseOptions(rest, {
    out: { type: 'string' },
    model: { type: 'string' },
    dtype: { type: 'string' },
    encoding: { type: 'string' },
    bbox: { type: 'string' },
    datetime: { type: 'string' },
    'max-cloud': { type: 'string' },
    factor: { type: 'string' },
    convention: { type: 'string' },
    filters: { type: 'string' },
    kernel: { type: 'string' },
    pool: { type: 'string' },
    stride: { type: 'string' },
    seed: { type: 'string' },
  });
  return { values: { ...parsed.values, source: files } };
}
