import { writeFile } from 'node:fs/promises';
import { countValid, type EmbeddingGrid } from '../../src/lib/embeddings/index.ts';
import {
  type EncodeProgress,
  encodeScene,
  type MosaiksParams,
  planSeries,
  resolveMosaiksParams,
  type SeriesPlan,
} from '../../src/lib/encoder/index.ts';
import { AppError } from '../../src/lib/errors.ts';
import { embeddingsToGeoTiff } from '../../src/lib/export/index.ts';
import type { GridSpec } from '../../src/lib/geo/index.ts';
import type { Scene } from '../../src/lib/scene/index.ts';
import { downsampleScene, loadScene } from '../../src/lib/scene/index.ts';
import { resOption } from './embed-catalog.ts';
import { modelBuilt, openEncoder } from './embed-encoder.ts';
import { type CliModel, cliModel, cliModels, listOf } from './embed-models.ts';
import { embedMosaiks, MOSAIKS_FLAGS, type MosaiksFlag, mosaiksRequest } from './embed-mosaiks.ts';
import { type ResolvedSources, resolveSources } from './embed-source.ts';
import { UsageError } from './exit-codes.ts';
import { type CliCommand, progress, summary, warn } from './io.ts';
import { asUsage, choiceOption, numberOption, outputFile, parseOptions, requireOptions } from './validate.ts';

const usage = `npm run cli -- embed --source <pack dir(s) | GeoTIFF file(s) | STAC API URL> --out embeddings.tif
                       [--model spectral|presto|galileo-nano|mosaiks] [--dtype fp32|fp16|int8] [--encoding float32|int8]
                       [--factor 8] [--res 10|20|40|80|160]
                       files: [--bands B02,B03,B04,-,B08] [--convention offset|no-offset|reflectance]
                              [--date YYYY-MM-DD | --dates D1,D2,...]
                       packs: [--bbox W,S,E,N] [--item ID[,ID] | --dates D1,D2 | --dates all | --yearly]
                       STAC:  --bbox W,S,E,N --datetime START/END [--max-cloud 30] [--item ID | --dates D1,D2 | --yearly]
                       mosaiks only: [--filters 64] [--kernel 3] [--stride 4] [--pool <stride>] [--seed 0]

Encodes a scene with the same code as the app (onnxruntime-node instead of onnxruntime-web) and
writes a georeferenced multi-band GeoTIFF: float32, or int8 with value = stored * SCALE + OFFSET
per band (GDAL's scale/offset, from each band's range: nothing clipped; nodata -128). Its
metadata records the model and the dates (DATES).

Files: the band of each file comes from its band descriptions (GDAL_METADATA), else its name
(B04.tif, red.tif), else --bands; B01, B09 and B10 are skipped with a note. The date and the
convention come from the files' metadata or names when they state them, else --date/--dates
and --convention (offset = baseline 04.00+ with BOA_ADD_OFFSET -1000; no-offset: before 04.00).

Several dates (Presto and Galileo-nano, up to 24, ordered by date, each date's cloud mask
kept; the app's yearly mode): one stacked file (or set of band files) per date with --dates
(one date per file) or dates the files state; several pack folders; --item A,B, --dates or
--dates all among one pack's scenes; --yearly over a pack or a STAC search (best scene per
month, last 12 months). A pack with several scenes and no choice is an error listing them.

--res is the app's load resolution (res_m): packs and STAC read COG overviews of that pixel
size; files are averaged to it. --factor then encodes blocks of factor x factor pixels.
Presto and Galileo-nano (pixel mode) need their models built (npm run models). MOSAIKS samples
--filters filters of --kernel pixels from the scene itself and writes 2 x filters bands on a
grid --stride times coarser (see models/mosaiks/manifest.json for the ranges).`;

const MODELS = cliModels().map((m) => m.id);
const DTYPES = ['fp32', 'fp16', 'int8'] as const;
const ENCODINGS = ['float32', 'int8'] as const;
type Model = string;
/** The first model (spectral): what `--model` defaults to. */
const DEFAULT_MODEL = MODELS[0]!;

/** Models told the month of each date (their family's): they take one date or several. */
export function takesSeveralDates(model: Model): boolean {
  return cliModel(model).family.takesDates;
}

/** The models whose ids a message lists: dated ones, converted ones (--dtype), patch ones. */
const modelsWhere = (keep: (m: CliModel) => boolean) =>
  cliModels()
    .filter(keep)
    .map((m) => m.id);

/** Below this share of valid pixels the summary is not enough: a warning line says it. */
const LOW_VALID_FRACTION = 0.05;

function noValidPixels(scene: Scene, what: 'scene' | 'embeddings'): AppError {
  return new AppError(
    'bad-input',
    `${scene.title} has no valid pixel${what === 'embeddings' ? ' left after encoding' : ''} (${scene.maskDescription}): every pixel is nodata or masked. Nothing was written; choose another scene, area or date.`,
  );
}

/** Loads every date of the sources (oldest first once planned), saying each scene's notes. */
export async function loadDates(resolved: ResolvedSources): Promise<Scene[]> {
  const scenes: Scene[] = [];
  for (const [i, step] of resolved.steps.entries()) {
    const scene = await loadScene(step.request, (p) =>
      progress(p.stage, p.done, p.total, {
        message:
          resolved.steps.length > 1
            ? `Date ${i + 1}/${resolved.steps.length} (${step.label}): ${p.message}`
            : p.message,
      }),
    );
    for (const note of scene.notes ?? []) warn(note, { scene: scene.id });
    scenes.push(scene);
  }
  return scenes;
}

/** `--res` on files (read whole on their own grid): the whole factor that gives that pixel size. */
function filesResFactor(scene: Scene, res: number | undefined): number {
  if (res === undefined) return 1;
  const native = scene.grid.transform.resX;
  const ratio = res / native;
  if (scene.grid.epsg === 4326 || Math.abs(ratio - Math.round(ratio)) > 1e-6 || Math.round(ratio) < 1)
    throw new UsageError(
      `--res ${res}: these files have ${scene.grid.epsg === 4326 ? 'pixels in degrees' : `${native} m pixels`}; --res needs a whole multiple of their pixel size (or use --factor).`,
    );
  return Math.round(ratio);
}

/** Encodes the plan with a pixel encoder (on the target's grid) or MOSAIKS (on its patch grid). */
export async function encodeWith(
  model: Model,
  dtype: string,
  plan: SeriesPlan,
  mosaiks: MosaiksParams | undefined,
): Promise<{ embeddings: EmbeddingGrid; grid: GridSpec; dim: number; names: string[] }> {
  if (mosaiks) return embedMosaiks(plan.target, mosaiks);
  const { encoder, bands, dim, names, extraColumns } = await openEncoder(
    model,
    dtype,
    plan.target,
    plan.months,
  );
  try {
    const embeddings = await encodeScene(plan.target, encoder, {
      dim,
      bands,
      ...(extraColumns ? { extraColumns } : {}),
      ...(plan.steps ? { steps: plan.steps } : {}),
      batchSize: takesSeveralDates(model) ? (plan.steps ? 512 : 1024) : 32_768,
      onProgress: (p: EncodeProgress) => progress('encode', p.pixelsDone, p.pixelsTotal),
    });
    return { embeddings, grid: plan.target.grid, dim, names };
  } finally {
    await encoder.release();
  }
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
    const res = resOption(values.res);
    const model = choiceOption('model', values.model, MODELS, DEFAULT_MODEL);
    const chosen = cliModel(model);
    const dtype = choiceOption('dtype', values.dtype, DTYPES, 'fp32');
    // The patch flags are MOSAIKS' parameters (its filters are sampled here, on the CLI's side).
    const patches = (m: CliModel) => m.family.unit === 'patches';
    const mosaiks = patches(chosen) ? asUsage(() => resolveMosaiksParams(mosaiksRequest(values))) : undefined;
    const stray = (Object.keys(MOSAIKS_FLAGS) as MosaiksFlag[]).find((flag) => values[flag] !== undefined);
    if (!mosaiks && stray)
      throw new UsageError(`--${stray} applies to --model ${listOf(modelsWhere(patches), 'or')} only.`);
    if (values.dtype !== undefined && chosen.folder === undefined)
      throw new UsageError(
        `--dtype applies to --model ${listOf(
          modelsWhere((m) => m.folder !== undefined),
          'and',
        )} only.`,
      );
    if (chosen.folder !== undefined) modelBuilt(chosen.folder, chosen.label);
    const resolved = await resolveSources(values.source, {
      bbox: values.bbox,
      datetime: values.datetime,
      maxCloud: values['max-cloud'],
      convention: values.convention,
      bands: values.bands,
      date: values.date,
      dates: values.dates,
      item: values.item,
      yearly: values.yearly,
      res: values.res,
      needsDates: takesSeveralDates(model),
    });
    const started = performance.now();
    try {
      const steps = resolved.steps;
      if (steps.length > 1 && !takesSeveralDates(model))
        throw new UsageError(
          `--source holds ${steps.length} dates (${steps.map((s) => s.label).join('; ')}); --model ${model} encodes one. Several dates need --model ${listOf(
            modelsWhere((m) => m.family.takesDates),
            'or',
          )}, or choose one date.`,
        );
      const scenes = await loadDates(resolved);
      const first = scenes[0]!;
      const total = factor * (resolved.kind === 'files' ? filesResFactor(first, res) : 1);
      const plan: SeriesPlan = takesSeveralDates(model)
        ? planSeries(first, scenes.length > 1 ? scenes : undefined, total)
        : { target: downsampleScene(first, total), months: [0] };
      // Nothing valid to encode (all nodata, all masked as cloud): an input error, no file written.
      if (!(plan.target.validFraction > 0)) throw noValidPixels(plan.target, 'scene');
      const { embeddings, grid, dim, names } = await encodeWith(model, dtype, plan, mosaiks);
      const validFraction = countValid(embeddings) / embeddings.valid.length;
      if (!(validFraction > 0)) throw noValidPixels(plan.target, 'embeddings');
      if (validFraction < LOW_VALID_FRACTION)
        warn(
          `Only ${(validFraction * 100).toFixed(1)} % of the pixels are valid (${plan.target.maskDescription}).`,
          { valid_fraction: validFraction },
        );
      const ordered = plan.steps ?? [first];
      const dates = ordered.map((s) => s.datetime.slice(0, 10)).filter(Boolean);
      const bytes = embeddingsToGeoTiff({
        embeddings,
        grid,
        encoding,
        names,
        metadata: {
          MODEL: model,
          SCENE: ordered.map((s) => s.id).join(' | '),
          ...(dates.length ? { DATES: dates.join(',') } : {}),
          TIME_STEPS: String(ordered.length),
        },
      });
      await writeFile(out, bytes);
      summary({
        out: values.out,
        model,
        scene: ordered.map((s) => s.id).join(' | '),
        datetime: first.datetime,
        dates,
        time_steps: ordered.length,
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
      await resolved.close();
    }
  },
};

/** Options plus the file names that follow --source (B02.tif B03.tif ... or d1.tif d2.tif ...). */
function parseOptionsWithFiles(args: string[]) {
  // Every value after --source up to the next option is a source; --source may be repeated.
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
    res: { type: 'string' },
    convention: { type: 'string' },
    bands: { type: 'string' },
    date: { type: 'string' },
    dates: { type: 'string' },
    item: { type: 'string' },
    yearly: { type: 'boolean' },
    filters: { type: 'string' },
    kernel: { type: 'string' },
    pool: { type: 'string' },
    stride: { type: 'string' },
    seed: { type: 'string' },
  });
  return { values: { ...parsed.values, source: files } };
}
