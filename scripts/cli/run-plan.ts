import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { serializeError } from '../../src/lib/errors.ts';
import type { JobTile } from '../../src/lib/jobs/index.ts';
import { resolveShard, shardItems, tileItem } from '../../src/lib/jobs/index.ts';
import { DEFAULT_RETRY, retryDelayMs, sleep } from '../../src/lib/net/index.ts';
import { encodeTile } from '../jobs/encode-tile.ts';
import { sha256Hex } from '../jobs/job-model.ts';
import { openPlanSource } from '../jobs/job-source.ts';
import { readPlan } from '../jobs/read-plan.ts';
import { removeStaleTemps, tileCog, tileItemPath, tileState, writeAtomic } from '../jobs/tile-files.ts';
import { EXIT } from './exit-codes.ts';
import { type CliCommand, summary, warn } from './io.ts';
import { asUsage, numberOption, parseOptions, requireOptions } from './validate.ts';

const usage = `npm run cli -- run --plan job/ [--shard I/N] [--retries 3]

Encodes the tiles of one shard of a planned job (npm run cli -- plan). The shard is --shard I/N,
else JOB_COMPLETION_INDEX (Kubernetes Indexed Job) or AWS_BATCH_JOB_ARRAY_INDEX (AWS Batch array
job) with the total from EMBED_SHARD_COUNT (or AWS_BATCH_JOB_ARRAY_SIZE), else the plan's
"shards"; with neither, every tile. Each tile is written as job/tiles/<id>.tif (the embeddings
COG) and job/tiles/<id>.json (its STAC Item with the COG's SHA-256), each under a temporary name
and renamed when whole. A rerun skips tiles whose Item and COG match, redoes the rest, retries
failed reads --retries times with backoff, and exits 1 listing the tiles that still failed, so
the engine's retry policy applies. SIGTERM/Ctrl-C start no further tile (exit 130); a tile
cut off mid-way is redone by the rerun.`;

/** Failures worth another try: the network and servers, not bad inputs or models. */
const TRANSIENT = new Set(['network', 'timeout', 'http']);

/** The options `run` accepts (docs/ manifests are tested against these). */
export const RUN_OPTIONS = {
  plan: { type: 'string' },
  shard: { type: 'string' },
  retries: { type: 'string' },
} as const;

export const command: CliCommand = {
  usage,
  async run(args) {
    const { values } = parseOptions(args, { ...RUN_OPTIONS });
    requireOptions(values, ['plan'], usage);
    const retries = numberOption('retries', values.retries, DEFAULT_RETRY.retries, {
      min: 0,
      max: 10,
      integer: true,
    });
    const { plan, planSha256, jobDir } = await readPlan(values.plan!);
    const shard = asUsage(() => resolveShard(values.shard, process.env, plan.shards));
    const tiles = shardItems(plan.tiles, shard);
    const tilesDir = join(jobDir, 'tiles');
    mkdirSync(tilesDir, { recursive: true });
    const stale = await removeStaleTemps(tilesDir, new Set(tiles.map((t) => t.id)));
    if (stale) warn(`Removed ${stale} temporary file(s) an interrupted run left.`, { removed: stale });

    const controller = new AbortController();
    const stop = () => controller.abort();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    const started = performance.now();
    const source = await openPlanSource(plan.source, values.plan!);
    const counts = { encoded: 0, skipped: 0, redone: 0, pixels: 0 };
    const failed: { id: string; code: string; message: string }[] = [];
    const event = (id: string, state: string, extra: Record<string, unknown> = {}) =>
      process.stderr.write(`${JSON.stringify({ event: 'tile', id, state, ...extra })}\n`);

    const encodeOne = async (tile: JobTile): Promise<void> => {
      for (let attempt = 0; ; attempt++) {
        try {
          const out = await encodeTile(plan, tile, source.items, controller.signal);
          await writeAtomic(tileCog(tilesDir, tile.id), out.cog);
          const sha256 = sha256Hex(out.cog);
          const item = tileItem(plan, planSha256, {
            tile,
            href: `./${tile.id}.tif`,
            sha256,
            bytes: out.cog.length,
            datetime: out.datetime,
            sourceItems: out.sourceItems,
            bands: out.bands,
            validFraction: out.validFraction,
          });
          // The Item last: it is the record that the tile is complete.
          await writeAtomic(tileItemPath(tilesDir, tile.id), `${JSON.stringify(item, null, 2)}\n`);
          counts.pixels += out.pixels;
          return;
        } catch (error) {
          const e = serializeError(error);
          if (e.code === 'aborted' || !TRANSIENT.has(e.code) || attempt >= retries) throw error;
          const delayMs = retryDelayMs(attempt, null, DEFAULT_RETRY);
          event(tile.id, 'retry', { attempt: attempt + 1, delay_ms: delayMs, message: e.message });
          await sleep(delayMs, controller.signal);
        }
      }
    };

    try {
      for (const [n, tile] of tiles.entries()) {
        if (controller.signal.aborted) break;
        const state = await tileState(tilesDir, tile.id, planSha256);
        if (state.state === 'done') {
          counts.skipped++;
          event(tile.id, 'skipped', { reason: 'complete and valid', n: n + 1, of: tiles.length });
          continue;
        }
        if (state.state === 'invalid') counts.redone++;
        event(tile.id, 'start', {
          n: n + 1,
          of: tiles.length,
          ...(state.state === 'invalid' ? { redo: state.reason } : {}),
        });
        try {
          await encodeOne(tile);
          counts.encoded++;
          event(tile.id, 'done', { n: n + 1, of: tiles.length });
        } catch (error) {
          const e = serializeError(error);
          if (e.code === 'aborted') break;
          failed.push({ id: tile.id, code: e.code, message: e.message });
          event(tile.id, 'failed', { code: e.code, message: e.message });
        }
      }
    } finally {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      await source.close();
    }
    const seconds = (performance.now() - started) / 1000;
    summary({
      plan: values.plan,
      shard: `${shard.index}/${shard.count}`,
      shard_from: shard.from,
      tiles: tiles.length,
      encoded: counts.encoded,
      skipped: counts.skipped,
      redone: counts.redone,
      failed,
      pixels: counts.pixels,
      seconds,
      pixels_per_s: seconds > 0 ? counts.pixels / seconds : 0,
    });
    if (controller.signal.aborted) return EXIT.cancelled;
    if (failed.length) {
      process.stderr.write(
        `error: ${failed.length} tile(s) failed: ${failed.map((f) => `${f.id} (${f.message})`).join('; ')}\n`,
      );
      return EXIT.runtime;
    }
    return EXIT.ok;
  },
};
