import { existsSync, readdirSync, watch } from 'node:fs';
import { mkdtemp, readFile, rm, truncate } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetReadObjects } from 'hyparquet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { command as collect } from '../../scripts/cli/collect.ts';
import { command as embed } from '../../scripts/cli/embed.ts';
import { exitKindOf } from '../../scripts/cli/exit-codes.ts';
import { command as plan } from '../../scripts/cli/plan.ts';
import { AppError } from '../../src/lib/errors.ts';
import { embeddingCollectionProblems } from '../../src/lib/jobs/collection-format.ts';
import { type JobPlan, parsePlan } from '../../src/lib/jobs/job-plan.ts';
import { shardItems } from '../../src/lib/jobs/shard.ts';
import { exited, ROOT, spawnCli, tiffBits } from './helpers.ts';

/**
 * The proof: a real plan over the Dolomites pack, 4 shards as separate processes (two
 * at a time), one killed with SIGKILL as soon as its first tile's temporary file appears, rerun,
 * collected; the collected mosaic equals a single-process `embed` of the same area bit for bit.
 */
const pack = join(ROOT, 'packs/dolomites-2022-06');
// About 0.55 x 0.6 km at 10 m in 250 m tiles: Presto (bit for bit reproducible across batch
// sizes on onnxruntime-node; the spectral graph's vectorised Sqrt is not, see README) stays quick.
const BBOX = '12.19,46.565,12.197,46.57';
const model = join(ROOT, 'public/models/presto/manifest.json');
const absent = [join(pack, 'catalog.json'), model].filter((p) => !existsSync(p));
const present = absent.length === 0;
if (!present)
  console.warn(
    `Scale-out shard tests skipped: ${absent.join(', ')} absent (npm run pack:demo, npm run models)`,
  );

describe.skipIf(!present)('scale-out: plan, 4 shards (one killed mid-tile), collect = one embed', () => {
  let dir: string;
  let job: string;
  let jobPlan: JobPlan;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'scaleout-'));
    job = join(dir, 'job');
    expect(
      await plan.run([
        '--source',
        pack,
        '--bbox',
        BBOX,
        '--model',
        'presto',
        '--tile-km',
        '0.25',
        '--crs',
        'EPSG:32632',
        '--shards',
        '4',
        '--out',
        job,
      ]),
    ).toBe(0);
    jobPlan = parsePlan(JSON.parse(await readFile(join(job, 'plan.json'), 'utf8')), 'plan.json');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes a plan of whole 250 m tiles on the UTM grid', () => {
    expect(jobPlan.version).toBe(1);
    expect(jobPlan.tiles.length).toBeGreaterThanOrEqual(8);
    for (const t of jobPlan.tiles) {
      expect([t.grid.width, t.grid.height, t.epsg]).toEqual([25, 25, 32632]);
      expect(t.grid.transform.originX % 250).toBe(0);
      expect(t.grid.transform.originY % 250).toBe(0);
    }
    expect(jobPlan.model.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('runs, survives a SIGKILL mid-tile, collects, and equals a single-process embed bit for bit', async () => {
    const tilesDir = join(job, 'tiles');
    const run = (shard: string) => spawnCli(['run', '--plan', job, '--shard', shard]);
    // Two at a time: shards 0 and 1.
    const first = await Promise.all([exited(run('0/4')), exited(run('1/4'))]);
    for (const r of first) expect(r.code, r.stderr.slice(-2000)).toBe(0);

    // Shards 2 and 3; shard 2 is killed as soon as a temporary tile file of it appears.
    const shard2Ids = new Set(
      shardItems(jobPlan.tiles, { index: 2, count: 4, from: 'flag' }).map((t) => t.id),
    );
    const victim = run('2/4');
    const watcher = watch(tilesDir, (_event, name) => {
      if (name && /^\..+\.tmp-\d+$/.test(name) && name.includes(`tmp-${victim.pid}`)) victim.kill('SIGKILL');
    });
    const [killed, other] = await Promise.all([exited(victim), exited(run('3/4'))]);
    watcher.close();
    expect(other.code, other.stderr.slice(-2000)).toBe(0);
    expect(killed.signal).toBe('SIGKILL');
    const items = readdirSync(tilesDir).filter((n) => n.endsWith('.json'));
    const doneOf2 = [...shard2Ids].filter((id) => items.includes(`${id}.json`));
    expect(doneOf2.length).toBeLessThan(shard2Ids.size);

    // collect refuses the incomplete job and names the missing tiles (an input error: exit 3).
    const missing = [...shard2Ids].find((id) => !doneOf2.includes(id))!;
    const early = await collect.run(['--plan', job]).catch((e: unknown) => e as AppError);
    expect(early).toBeInstanceOf(AppError);
    expect(exitKindOf(early)).toBe('input');
    expect((early as AppError).message).toContain(`${missing} (missing)`);
    expect(existsSync(join(job, 'collection.json'))).toBe(false);

    // The rerun skips what is complete, redoes the rest, leaves no temporary file.
    const rerun = await exited(run('2/4'));
    expect(rerun.code, rerun.stderr.slice(-2000)).toBe(0);
    const summary = JSON.parse(rerun.stdout) as { skipped: number; encoded: number };
    expect(summary.skipped).toBe(doneOf2.length);
    expect(summary.encoded).toBe(shard2Ids.size - doneOf2.length);
    expect(readdirSync(tilesDir).filter((n) => n.startsWith('.'))).toEqual([]);

    expect(await collect.run(['--plan', job])).toBe(0);
    const collection = JSON.parse(await readFile(join(job, 'collection.json'), 'utf8')) as {
      features: { assets: { embeddings: { href: string } } }[];
    };
    expect(embeddingCollectionProblems(collection)).toEqual([]);
    expect(collection.features.length).toBe(jobPlan.tiles.length);
    const rows = await parquetReadObjects({
      file: (await readFile(join(job, 'index.parquet'))).buffer as ArrayBuffer,
    });
    expect(rows.length).toBe(jobPlan.tiles.length);

    // The same area in one process.
    const single = join(dir, 'single.tif');
    expect(await embed.run(['--source', pack, '--bbox', BBOX, '--model', 'presto', '--out', single])).toBe(0);
    const whole = await tiffBits(single);
    const covered = new Uint8Array(whole.width * whole.height);
    let compared = 0;
    let differing = 0;
    for (const feature of collection.features) {
      const tile = await tiffBits(join(job, feature.assets.embeddings.href));
      expect(tile.res).toBe(whole.res);
      expect(tile.bands.length).toBe(whole.bands.length);
      const dx = (tile.origin[0] - whole.origin[0]) / whole.res;
      const dy = (whole.origin[1] - tile.origin[1]) / whole.res;
      expect(Number.isInteger(dx) && Number.isInteger(dy)).toBe(true);
      for (let row = 0; row < tile.height; row++) {
        const y = row + dy;
        if (y < 0 || y >= whole.height) continue;
        for (let col = 0; col < tile.width; col++) {
          const x = col + dx;
          if (x < 0 || x >= whole.width) continue;
          const p = y * whole.width + x;
          covered[p] = 1;
          compared++;
          for (let b = 0; b < tile.bands.length; b++)
            if (tile.bands[b]![row * tile.width + col] !== whole.bands[b]![p]) differing++;
        }
      }
    }
    // Every pixel of the single run lies in exactly one tile, and every value is identical.
    expect(compared).toBe(whole.width * whole.height);
    expect(covered.every((c) => c === 1)).toBe(true);
    expect(differing).toBe(0);
  }, 1_200_000);

  it('redoes a tile whose COG no longer matches its checksum; collect lists it until then', async () => {
    const tile = jobPlan.tiles[0]!;
    await truncate(join(job, 'tiles', `${tile.id}.tif`), 1000);
    await expect(collect.run(['--plan', job])).rejects.toThrow(
      `${tile.id} (its COG does not match the SHA-256 in its Item)`,
    );
    const rerun = await exited(spawnCli(['run', '--plan', job, '--shard', '0/4']));
    expect(rerun.code, rerun.stderr.slice(-2000)).toBe(0);
    expect(JSON.parse(rerun.stdout)).toMatchObject({ redone: 1, encoded: 1 });
    expect(await collect.run(['--plan', job])).toBe(0);
  }, 600_000);
});
