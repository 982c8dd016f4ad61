import { z } from 'zod';
import { AppError } from '../errors.ts';
import type { BBox } from '../geo/index.ts';
import type { JobTile } from './tiling.ts';

/**
 * plan.json: everything a shard needs to encode its tiles with no further choice, so every
 * shard of a job (and every rerun) computes the same pixels. Written once by `plan`, read by
 * `run` and `collect`, validated on every read. `version` changes when a field's meaning does.
 */
export const PLAN_VERSION = 1;
export const PLAN_FILE = 'plan.json';
/** Folder of the tiles (COG + STAC Item per tile) inside the job folder. */
export const TILES_DIR = 'tiles';

/** Models a job runs: the per-pixel encoders (MOSAIKS samples filters per scene: not tileable). */
export const JOB_MODELS = ['spectral', 'presto', 'galileo-nano'] as const;
export type JobModel = (typeof JOB_MODELS)[number];

export type JobSource =
  /** An offline pack read from this path (a folder the container sees at the same path). */
  | { kind: 'pack'; path: string; itemIds: string[] }
  /** A STAC API: the query, and the items chosen at plan time (their JSON, so shards search nothing). */
  | {
      kind: 'stac';
      endpoint: string;
      collection: string;
      datetime: string;
      maxCloud: number;
      itemIds: string[];
      items: Record<string, unknown>[];
    };

export interface JobSettings {
  resolutionM: number;
  tileKm: number;
  tilePx: number;
  /** Pixels read around each tile for a model's context and cropped after encoding (0: per pixel). */
  haloPx: number;
  /** Blocks of the 10 m lattice averaged into one pixel (resolutionM / 10). */
  factor: number;
  encoding: 'float32' | 'int8';
  dtype: 'fp32' | 'fp16' | 'int8';
}

export interface JobEstimate {
  pixels: number;
  areaKm2: number;
  /** Core-seconds of encoding at the measured pixels/s of the model (bench figures). */
  coreSeconds: number;
  /** Bytes of the tiles' COGs (uncompressed upper bound). */
  outputBytes: number;
}

export interface JobPlan {
  version: typeof PLAN_VERSION;
  created: string;
  bbox: BBox;
  source: JobSource;
  model: { id: JobModel; sha256: string; dim: number; bands: string[] };
  settings: JobSettings;
  /** Shards the plan was sized for: the default total when the engine gives only an index. */
  shards: number;
  tiles: JobTile[];
  estimate: JobEstimate;
}

const bbox = z.tuple([z.number(), z.number(), z.number(), z.number()]);
const gridSchema = z.object({
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  epsg: z.number().int(),
  transform: z.object({
    originX: z.number(),
    originY: z.number(),
    resX: z.number().positive(),
    resY: z.number().positive(),
  }),
});
const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 of 64 hex digits');

const planSchema = z.object({
  version: z.literal(PLAN_VERSION),
  created: z.string(),
  bbox,
  source: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('pack'), path: z.string().min(1), itemIds: z.array(z.string()).min(1) }),
    z.object({
      kind: z.literal('stac'),
      endpoint: z.string().url(),
      collection: z.string().min(1),
      datetime: z.string().min(1),
      maxCloud: z.number(),
      itemIds: z.array(z.string()).min(1),
      items: z.array(z.record(z.string(), z.unknown())).min(1),
    }),
  ]),
  model: z.object({
    id: z.enum(JOB_MODELS),
    sha256,
    dim: z.number().int().positive(),
    bands: z.array(z.string()),
  }),
  settings: z.object({
    resolutionM: z.number().positive(),
    tileKm: z.number().positive(),
    tilePx: z.number().int().positive(),
    haloPx: z.number().int().min(0),
    factor: z.number().int().positive(),
    encoding: z.enum(['float32', 'int8']),
    dtype: z.enum(['fp32', 'fp16', 'int8']),
  }),
  shards: z.number().int().positive(),
  tiles: z
    .array(
      z.object({
        id: z.string().regex(/^\d+_-?\d+_-?\d+$/),
        epsg: z.number().int(),
        grid: gridSchema,
        bboxWgs84: bbox,
      }),
    )
    .min(1),
  estimate: z.object({
    pixels: z.number(),
    areaKm2: z.number(),
    coreSeconds: z.number(),
    outputBytes: z.number(),
  }),
});

/** A plan read from disk, checked field by field; errors name the field and the file. */
export function parsePlan(json: unknown, where: string): JobPlan {
  if (typeof json === 'object' && json !== null && 'version' in json && json.version !== PLAN_VERSION)
    throw new AppError(
      'unsupported',
      `${where} is a version ${String(json.version).slice(0, 20)} plan; this CLI reads version ${PLAN_VERSION}. Plan the job again with this version.`,
    );
  const parsed = planSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.join('.') || '(top level)';
    throw new AppError(
      'bad-input',
      `${where} is not a valid job plan: ${path}: ${issue?.message ?? 'invalid'}.`,
    );
  }
  const plan = parsed.data as JobPlan;
  const ids = new Set(plan.tiles.map((t) => t.id));
  if (ids.size !== plan.tiles.length) throw new AppError('bad-input', `${where} lists a tile twice.`);
  return plan;
}

/** A plan's text on disk: JSON with two-space indents (people read it). */
export function planText(plan: JobPlan): string {
  return `${JSON.stringify(plan, null, 2)}\n`;
}
