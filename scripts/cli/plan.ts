import { existsSync, mkdirSync, statSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { AppError } from '../../src/lib/errors.ts';
import {
  JOB_MODELS,
  type JobPlan,
  jobEstimate,
  modelHalo,
  PLAN_FILE,
  PLAN_VERSION,
  planText,
  planTiles,
} from '../../src/lib/jobs/index.ts';
import { SCENE_BANDS } from '../../src/lib/scene/index.ts';
import { EARTH_SEARCH_URL } from '../../src/lib/stac/index.ts';
import { jobModelIdentity } from '../jobs/job-model.ts';
import { planSource } from '../jobs/job-source.ts';
import { cliModels, listOf } from './embed-models.ts';
import { UsageError } from './exit-codes.ts';
import { type CliCommand, summary, warn } from './io.ts';
import {
  asUsage,
  bboxOption,
  choiceOption,
  datetimeOption,
  numberOption,
  parseOptions,
  requireOptions,
} from './validate.ts';

const usage = `npm run cli -- plan --bbox W,S,E,N --out job/ [--source <pack dir | STAC API URL>]
                      [--datetime START/END] [--model spectral|presto|galileo-nano] [--res METRES]
                      [--tile-km 10] [--crs EPSG:326NN] [--encoding float32|int8] [--dtype fp32|fp16|int8]
                      [--shards N] [--max-cloud 30]

Plans a region-size embedding job for a batch engine (README "Scale-out"): tiles of --tile-km
on the UTM grid of their zone (edges on whole multiples of the tile size, so neighbours meet
exactly; an area across zones is tiled per zone, or all on the one zone --crs names, e.g. the
zone of the scene's own tiles so its pixels are copied rather than reprojected), the scene chosen once for the whole area
(--source defaults to Earth Search; --datetime is needed for a STAC API), the model with its
SHA-256 and the settings. Writes job/plan.json and prints the tile count, pixels, output size
and the compute estimate. --res (default: the source's own pixel size) must be a whole multiple
of it: pixels are averaged in aligned blocks. --shards (default: one per tile, at most 1000) is
the total a shard uses when the engine gives only its index.`;

const ENCODINGS = ['float32', 'int8'] as const;
const DTYPES = ['fp32', 'fp16', 'int8'] as const;

/** A job folder to write plan.json into: created when missing (its parent must exist), never one with a plan. */
function jobFolder(path: string): string {
  const full = resolve(path);
  if (!statSync(dirname(full), { throwIfNoEntry: false })?.isDirectory())
    throw new UsageError(`--out ${path}: the folder ${dirname(full)} does not exist.`);
  if (existsSync(join(full, PLAN_FILE)))
    throw new UsageError(
      `--out ${path} already holds a job plan; choose a new folder (or delete ${PLAN_FILE}).`,
    );
  return full;
}

/** --crs EPSG:32632 (or 32632): one UTM zone for the whole area. */
function crsOption(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const m = /^(?:EPSG:)?(\d+)$/i.exec(text.trim());
  if (!m) throw new UsageError(`--crs "${text}" must be a UTM zone's EPSG code, e.g. EPSG:32632.`);
  return Number(m[1]);
}

export const command: CliCommand = {
  usage,
  async run(args) {
    const { values } = parseOptions(args, {
      source: { type: 'string' },
      bbox: { type: 'string' },
      datetime: { type: 'string' },
      model: { type: 'string' },
      res: { type: 'string' },
      'tile-km': { type: 'string' },
      crs: { type: 'string' },
      encoding: { type: 'string' },
      dtype: { type: 'string' },
      shards: { type: 'string' },
      'max-cloud': { type: 'string' },
      out: { type: 'string' },
    });
    requireOptions(values, ['bbox', 'out'], usage);
    const bbox = bboxOption(values.bbox!);
    // A patch family (MOSAIKS) samples its filters from each scene: no model shared by the tiles.
    const asked = cliModels().find((m) => m.id === values.model);
    if (asked?.family.unit === 'patches')
      throw new UsageError(
        `${asked.label} samples its filters from each scene, so every tile would get its own features; a job runs ${listOf(JOB_MODELS, 'or')}.`,
      );
    const model = choiceOption('model', values.model, JOB_MODELS, JOB_MODELS[0]);
    const encoding = choiceOption('encoding', values.encoding, ENCODINGS, 'float32');
    const dtype = choiceOption('dtype', values.dtype, DTYPES, 'fp32');
    const tileKm = numberOption('tile-km', values['tile-km'], 10, { min: 0.01, max: 100 });
    const maxCloud = numberOption('max-cloud', values['max-cloud'], 30, { min: 0, max: 100 });
    const source = values.source ?? EARTH_SEARCH_URL;
    const stac = /^https?:\/\//.test(source);
    if (stac && !values.datetime) throw new UsageError('A STAC source needs --datetime START/END.');
    const datetime = values.datetime === undefined ? undefined : datetimeOption(values.datetime);
    const out = jobFolder(values.out!);

    const opened = await planSource({ source, bbox, datetime, maxCloud });
    try {
      const red = opened.items[0]?.assets.red;
      const nativeM = red?.gsd ?? 10;
      const resolutionM = numberOption('res', values.res, nativeM, { min: nativeM, max: 10_000 });
      const factor = Math.round(resolutionM / nativeM);
      if (Math.abs(factor * nativeM - resolutionM) > 1e-9)
        throw new UsageError(
          `--res ${resolutionM} must be a whole multiple of the source's ${nativeM} m pixels.`,
        );
      const all = asUsage(() => planTiles({ bbox, tileKm, resolutionM, epsg: crsOption(values.crs) }));
      // Only tiles the chosen scene covers: the rest would hold nothing but nodata.
      const tiles = all.filter((t) =>
        opened.items.some(
          (i) =>
            i.bboxWgs84[0] < t.bboxWgs84[2] &&
            t.bboxWgs84[0] < i.bboxWgs84[2] &&
            i.bboxWgs84[1] < t.bboxWgs84[3] &&
            t.bboxWgs84[1] < i.bboxWgs84[3],
        ),
      );
      if (tiles.length === 0)
        throw new AppError('bad-input', 'The chosen scene covers none of the tiles of this area.');
      if (tiles.length < all.length)
        warn(
          `The chosen scene (${opened.items.map((i) => i.id).join(' + ')}) covers ${tiles.length} of the area's ${all.length} tiles; the other ${all.length - tiles.length} are left out of the plan. Plan them separately with another --datetime, or a smaller --bbox.`,
          { uncovered_tiles: all.length - tiles.length },
        );
      const bands = SCENE_BANDS.filter((b) => opened.items.every((i) => i.assets[b]));
      const identity = jobModelIdentity(model, dtype, bands);
      const shards = numberOption('shards', values.shards, Math.min(tiles.length, 1000), {
        min: 1,
        integer: true,
      });
      const plan: JobPlan = {
        version: PLAN_VERSION,
        created: new Date().toISOString(),
        bbox,
        source: opened.source,
        model: identity,
        settings: {
          resolutionM,
          tileKm,
          tilePx: tiles[0]!.grid.width,
          haloPx: modelHalo(model),
          factor,
          encoding,
          dtype,
        },
        shards,
        tiles,
        estimate: jobEstimate(tiles, model, identity.dim, encoding === 'int8' ? 1 : 4),
      };
      mkdirSync(out, { recursive: true });
      await writeFile(join(out, PLAN_FILE), planText(plan));
      const zones = [...new Set(tiles.map((t) => t.epsg))];
      summary({
        plan: join(values.out!, PLAN_FILE),
        tiles: tiles.length,
        uncovered_tiles: all.length - tiles.length,
        zones: zones.map((z) => `EPSG:${z}`),
        tile_px: plan.settings.tilePx,
        resolution_m: resolutionM,
        pixels: plan.estimate.pixels,
        area_km2: Number(plan.estimate.areaKm2.toFixed(2)),
        model: model,
        model_sha256: identity.sha256,
        dim: identity.dim,
        source_items: plan.source.itemIds,
        shards,
        output_bytes: plan.estimate.outputBytes,
        core_hours: Number((plan.estimate.coreSeconds / 3600).toFixed(3)),
      });
      return 0;
    } finally {
      await opened.close();
    }
  },
};
