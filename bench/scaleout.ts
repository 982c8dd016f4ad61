import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Group, Results, Sizes } from './group.ts';
import { type BenchEntry, log } from './report.ts';

/**
 * Scale-out throughput (issue 16), with the real CLI as separate processes as a batch engine
 * runs it: one shard of a planned job against the plain `embed` of the same area (what tiling,
 * per-tile reads and per-tile model sessions cost), and 1 against 2 concurrent shards (how a
 * node's cores are shared). Presto fp32 over the Dolomites pack, 250 m tiles.
 */
export const SHARD_VS_EMBED = 'scaleout_shard_vs_embed_presto';
export const TWO_SHARDS = 'scaleout_2_shards_vs_1_presto';

const ROOT = resolve(import.meta.dirname, '..');
const PACK = join(ROOT, 'packs/dolomites-2022-06');

function cli(args: string[]): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts/cli.ts'), ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Runs the CLI to the end: its JSON summary and the wall time (process start included). */
function finished(child: ChildProcess): Promise<{ summary: Record<string, unknown>; wallS: number }> {
  const started = performance.now();
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    err += d.toString();
  });
  return new Promise((done, fail) =>
    child.on('close', (code) => {
      if (code !== 0) fail(new Error(`CLI exited ${code}: ${err.slice(-500)}`));
      else
        done({
          summary: JSON.parse(out) as Record<string, unknown>,
          wallS: (performance.now() - started) / 1000,
        });
    }),
  );
}

async function measure(quick: boolean): Promise<Results> {
  if (!existsSync(join(PACK, 'catalog.json'))) throw new Error(`${PACK} is absent (npm run pack:demo)`);
  // ~0.5 x 0.55 km (quick: ~0.25 x 0.3 km) at 10 m.
  const bbox = quick ? '12.19,46.565,12.1935,46.5675' : '12.19,46.565,12.197,46.57';
  const dir = await mkdtemp(join(tmpdir(), 'bench-scaleout-'));
  try {
    const job = join(dir, 'plan');
    await finished(
      cli([
        'plan',
        '--source',
        PACK,
        '--bbox',
        bbox,
        '--model',
        'presto',
        '--tile-km',
        '0.25',
        '--crs',
        'EPSG:32632',
        '--out',
        job,
      ]),
    );
    const fresh = async (name: string) => {
      await mkdir(join(dir, name));
      await copyFile(join(job, 'plan.json'), join(dir, name, 'plan.json'));
      return join(dir, name);
    };
    log('scaleout: embed of the whole area (one process)');
    const embed = await finished(
      cli(['embed', '--source', PACK, '--bbox', bbox, '--model', 'presto', '--out', join(dir, 'single.tif')]),
    );
    const embedPixels = Number(embed.summary.width) * Number(embed.summary.height);
    const embedRate = embedPixels / Number(embed.summary.seconds);
    log('scaleout: one shard with every tile');
    const one = await finished(cli(['run', '--plan', await fresh('one'), '--shard', '0/1']));
    const shardRate = Number(one.summary.pixels_per_s);
    const pixels = Number(one.summary.pixels);
    log('scaleout: two concurrent shards');
    const two = await fresh('two');
    const started = performance.now();
    const halves = await Promise.all([
      finished(cli(['run', '--plan', two, '--shard', '0/2'])),
      finished(cli(['run', '--plan', two, '--shard', '1/2'])),
    ]);
    const twoWallS = (performance.now() - started) / 1000;
    const cores = availableParallelism();
    const shardEntry: BenchEntry = {
      unit: 'pixels/s',
      value: shardRate,
      baseline: { name: 'embed (same area, one process)', value: embedRate, unit: 'pixels/s' },
      ratio: shardRate / embedRate,
      ratio_meaning:
        'shard pixels/s / embed pixels/s: the cost of tiling (per-tile reads, sessions, COG + Item writes); 1 = none',
      runs: 1,
      notes: `Presto fp32, Dolomites pack at 10 m, ${one.summary.tiles} tiles of 25 x 25 px (${pixels} px) vs embed of ${embedPixels} px (the area's box); each command's own timer (process start excluded), ORT default threads, ${cores} cores shared with other jobs.`,
      extra: {
        tiles: Number(one.summary.tiles),
        shard_s: Number(one.summary.seconds),
        embed_s: Number(embed.summary.seconds),
      },
    };
    const oneRate = pixels / one.wallS;
    const twoRate = halves.reduce((n, h) => n + Number(h.summary.pixels), 0) / twoWallS;
    const twoEntry: BenchEntry = {
      unit: 'pixels/s',
      value: twoRate,
      baseline: { name: '1 shard process, every tile', value: oneRate, unit: 'pixels/s' },
      ratio: twoRate / oneRate,
      ratio_meaning:
        'throughput of 2 concurrent shard processes / 1 process (wall time, start-up included); 2 = perfect scaling',
      runs: 1,
      notes: `The same ${pixels} px as ${SHARD_VS_EMBED}; ${cores} cores; each process uses ORT's default intra-op threads (all cores), so on one node more shards mostly overlap start-up and I/O.`,
      extra: { one_wall_s: one.wallS, two_wall_s: twoWallS, cores },
    };
    return new Map([
      [SHARD_VS_EMBED, shardEntry],
      [TWO_SHARDS, twoEntry],
    ]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

let pending: Promise<Results> | undefined;
export const SCALEOUT_GROUPS: Group[] = [
  {
    names: [SHARD_VS_EMBED, TWO_SHARDS],
    run: async (selected, s: Sizes) => {
      pending ??= measure(s.quick);
      const all = await pending;
      return new Map([...all].filter(([name]) => selected.includes(name)));
    },
  },
];
