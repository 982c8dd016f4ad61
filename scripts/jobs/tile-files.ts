import { readdirSync } from 'node:fs';
import { open, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { type StacItem, sha256OfMultihash } from '../../src/lib/jobs/index.ts';
import { sha256Hex } from './job-model.ts';

/**
 * A tile's files in the job folder: `tiles/<id>.tif` (the COG) and `tiles/<id>.json` (its
 * STAC Item, written last: the Item is the tile's commit record). Both are written under a
 * temporary name and renamed, so a reader (or a rerun after a crash, a SIGKILL, a pre-empted
 * node) sees a whole file or none, never half of one. A rename within one folder is atomic on
 * a local disk and on a PVC; on gcsfuse and mountpoint-s3 see docs/scale-out.md.
 */
export const tileCog = (tilesDir: string, id: string): string => join(tilesDir, `${id}.tif`);
export const tileItemPath = (tilesDir: string, id: string): string => join(tilesDir, `${id}.json`);

/** `.<name>.tmp-<pid>` beside the target: hidden, and unique per process. */
export function tempName(path: string): string {
  return join(dirname(path), `.${basename(path)}.tmp-${process.pid}`);
}

export const isTempName = (name: string): boolean => /^\..+\.tmp-\d+$/.test(name);

/**
 * Set to `direct` for object storage without rename (mountpoint-s3): each file is written
 * straight to its name; an S3 object appears only whole (on close), and the Item still comes last.
 */
export const WRITE_MODE_ENV = 'EMBED_WRITE_MODE';

/** Writes `bytes` to a temporary name, flushes them to disk, then renames onto `path`. */
export async function writeAtomic(path: string, bytes: Uint8Array | string): Promise<void> {
  const direct = process.env[WRITE_MODE_ENV] === 'direct';
  const temp = direct ? path : tempName(path);
  const handle = await open(temp, 'w');
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
  if (!direct) await rename(temp, path);
}

/** Removes temporary files a killed run left for these tiles (each tile has one owner shard). */
export async function removeStaleTemps(tilesDir: string, ids: ReadonlySet<string>): Promise<number> {
  let removed = 0;
  for (const name of readdirSync(tilesDir)) {
    if (!isTempName(name)) continue;
    const target = name.slice(1).replace(/\.tmp-\d+$/, '');
    if (!ids.has(target.replace(/\.(tif|json)$/, ''))) continue;
    await rm(join(tilesDir, name), { force: true });
    removed++;
  }
  return removed;
}

export type TileState =
  | { state: 'done'; item: StacItem; sha256: string }
  | { state: 'missing' }
  | { state: 'invalid'; reason: string };

/**
 * Whether a tile is complete and valid: its Item parses, belongs to this plan, and the COG
 * beside it has the SHA-256 the Item records. Anything else is redone by `run` and listed by
 * `collect`, with the reason.
 */
export async function tileState(tilesDir: string, id: string, planSha256: string): Promise<TileState> {
  let text: string;
  try {
    text = await readFile(tileItemPath(tilesDir, id), 'utf8');
  } catch {
    return { state: 'missing' };
  }
  let item: StacItem;
  try {
    item = JSON.parse(text) as StacItem;
  } catch {
    return { state: 'invalid', reason: 'its STAC Item is not JSON' };
  }
  if (item?.properties?.['job:plan_sha256'] !== planSha256)
    return { state: 'invalid', reason: 'its STAC Item belongs to another plan' };
  const expected = sha256OfMultihash(item.assets?.embeddings?.['file:checksum']);
  if (!expected) return { state: 'invalid', reason: 'its STAC Item has no SHA-256 of the COG' };
  let bytes: Uint8Array;
  try {
    bytes = await readFile(tileCog(tilesDir, id));
  } catch {
    return { state: 'invalid', reason: 'its COG is missing' };
  }
  const actual = sha256Hex(bytes);
  if (actual !== expected)
    return { state: 'invalid', reason: 'its COG does not match the SHA-256 in its Item' };
  return { state: 'done', item, sha256: actual };
}
