import { existsSync, readdirSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { command as plan } from '../../scripts/cli/plan.ts';
import { sha256Hex } from '../../scripts/jobs/job-model.ts';
import { removeStaleTemps, tempName, tileState, writeAtomic } from '../../scripts/jobs/tile-files.ts';
import { ROOT } from './helpers.ts';

/** The tile files' commit protocol, and what `plan` refuses before doing any work. */
describe('tile files: atomic writes and what counts as complete', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tile-files-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const item = (planSha: string, checksum: string | undefined) =>
    JSON.stringify({
      properties: { 'job:plan_sha256': planSha },
      assets: { embeddings: checksum === undefined ? {} : { 'file:checksum': checksum } },
    });

  it('writes through a hidden temporary name and leaves only the final file', async () => {
    const path = join(dir, 'a.tif');
    await writeAtomic(path, new Uint8Array([1, 2, 3]));
    expect(readdirSync(dir)).toEqual(['a.tif']);
    expect(tempName(path)).toBe(join(dir, `.a.tif.tmp-${process.pid}`));
  });

  it('calls a tile done only when its Item is of this plan and its COG has the recorded SHA-256', async () => {
    const tiles = join(dir, 'tiles');
    await mkdir(tiles);
    const cog = new Uint8Array([9, 8, 7]);
    const sha = sha256Hex(cog);
    expect(await tileState(tiles, 't', 'p')).toEqual({ state: 'missing' });
    await writeFile(join(tiles, 't.json'), '{"half": ');
    expect(await tileState(tiles, 't', 'p')).toMatchObject({ reason: 'its STAC Item is not JSON' });
    await writeFile(join(tiles, 't.json'), item('other', `1220${sha}`));
    expect(await tileState(tiles, 't', 'p')).toMatchObject({
      reason: 'its STAC Item belongs to another plan',
    });
    await writeFile(join(tiles, 't.json'), item('p', undefined));
    expect(await tileState(tiles, 't', 'p')).toMatchObject({
      reason: 'its STAC Item has no SHA-256 of the COG',
    });
    await writeFile(join(tiles, 't.json'), item('p', `1220${sha}`));
    expect(await tileState(tiles, 't', 'p')).toMatchObject({ reason: 'its COG is missing' });
    await writeFile(join(tiles, 't.tif'), cog.subarray(0, 2));
    expect(await tileState(tiles, 't', 'p')).toMatchObject({
      reason: 'its COG does not match the SHA-256 in its Item',
    });
    await writeFile(join(tiles, 't.tif'), cog);
    expect(await tileState(tiles, 't', 'p')).toMatchObject({ state: 'done', sha256: sha });
  });

  it("removes a killed run's temporary files of its own tiles only", async () => {
    const tiles = join(dir, 'stale');
    await mkdir(tiles);
    for (const name of ['.a.tif.tmp-123', '.a.json.tmp-9', '.b.tif.tmp-5', 'a.tif', '.hidden'])
      await writeFile(join(tiles, name), 'x');
    expect(await removeStaleTemps(tiles, new Set(['a']))).toBe(2);
    expect(readdirSync(tiles).sort()).toEqual(['.b.tif.tmp-5', '.hidden', 'a.tif']);
  });
});

const pack = join(ROOT, 'packs/dolomites-2022-06');
describe.skipIf(!existsSync(join(pack, 'catalog.json')))('plan refuses what it cannot do, in words', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'plan-refusals-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const args = (extra: string[], out = join(dir, 'job')) => [
    '--source',
    pack,
    '--bbox',
    '12.19,46.565,12.195,46.569',
    '--out',
    out,
    ...extra,
  ];

  it('names the problem of each bad option', async () => {
    await expect(plan.run(args(['--model', 'mosaiks']))).rejects.toThrow(
      /MOSAIKS samples its filters from each scene/,
    );
    await expect(plan.run(args(['--res', '15']))).rejects.toThrow(
      /--res 15 must be a whole multiple of the source's 10 m/,
    );
    await expect(plan.run(args(['--tile-km', '0.333']))).rejects.toThrow(/not a whole number of 10 m pixels/);
    await expect(plan.run(args(['--crs', 'EPSG:4326']))).rejects.toThrow(/EPSG:4326 is not a UTM zone/);
    await expect(plan.run(args(['--datetime', '2023-01-01/2023-12-31']))).rejects.toThrow(
      /No scene of the pack .* lies in --datetime/,
    );
    await expect(plan.run(args([], join(dir, 'missing/deeper/job')))).rejects.toThrow(/does not exist/);
    await expect(plan.run(['--bbox', '12,46,13,47'])).rejects.toThrow(/--out is required/);
  });

  it('never overwrites a plan in use', async () => {
    const out = join(dir, 'used');
    expect(await plan.run(args(['--datetime', '2022-06-01/2022-06-30'], out))).toBe(0);
    await expect(plan.run(args([], out))).rejects.toThrow(/already holds a job plan/);
  });
});
