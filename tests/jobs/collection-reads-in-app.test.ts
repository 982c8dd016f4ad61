import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromArrayBuffer } from 'geotiff';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { command as collect } from '../../scripts/cli/collect.ts';
import { command as plan } from '../../scripts/cli/plan.ts';
import { command as run } from '../../scripts/cli/run-plan.ts';
import { parsePlan } from '../../src/lib/jobs/job-plan.ts';
import { collectionProduct } from '../../src/lib/precomputed/index.ts';
import { DirServer } from '../precomputed/dir-server.ts';
import { ROOT } from './helpers.ts';

/**
 * A job's output is what the app reads as an embeddings source: the ItemCollection `collect`
 * writes, opened by the `collection` family over HTTP, gives back every tile's values on one
 * grid spanning the tiles, with nothing lost or shifted at the seams between them.
 */
const pack = join(ROOT, 'packs/dolomites-2022-06');
const present = existsSync(join(pack, 'catalog.json'));
if (!present)
  console.warn('Job collection read test skipped: packs/dolomites-2022-06 absent (npm run pack:demo)');

describe.skipIf(!present)('a scale-out job read back by the app’s collection source', () => {
  let dir: string;
  let server: DirServer;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'job-collection-'));
    const job = join(dir, 'job');
    const args = ['--source', pack, '--bbox', '12.19,46.565,12.197,46.57', '--model', 'spectral'];
    expect(await plan.run([...args, '--tile-km', '0.25', '--crs', 'EPSG:32632', '--out', job])).toBe(0);
    expect(await run.run(['--plan', job, '--shard', '0/1'])).toBe(0);
    expect(await collect.run(['--plan', job])).toBe(0);
    server = new DirServer(job);
    await server.start();
  }, 300_000);
  afterAll(async () => {
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('every tile pixel comes back in place on one grid across the tiles', async () => {
    const job = join(dir, 'job');
    const jobPlan = parsePlan(JSON.parse(await readFile(join(job, 'plan.json'), 'utf8')), 'plan.json');
    const tiles = jobPlan.tiles;
    expect(tiles.length).toBeGreaterThan(1);
    const res = tiles[0]!.grid.transform.resX;
    const x0 = Math.min(...tiles.map((t) => t.grid.transform.originX));
    const y1 = Math.max(...tiles.map((t) => t.grid.transform.originY));
    const x1 = Math.max(...tiles.map((t) => t.grid.transform.originX + t.grid.width * res));
    const y0 = Math.min(...tiles.map((t) => t.grid.transform.originY - t.grid.height * res));
    const grid = {
      width: Math.round((x1 - x0) / res),
      height: Math.round((y1 - y0) / res),
      epsg: 32632,
      transform: { originX: x0, originY: y1, resX: res, resY: res },
    };
    const result = await collectionProduct.read({
      family: 'collection',
      baseUrl: `${server.url}/collection.json`,
      grid,
    });
    const { embeddings } = result;
    expect(result.sources).toHaveLength(tiles.length);
    let compared = 0;
    for (const tile of tiles) {
      const bytes = await readFile(join(job, 'tiles', `${tile.id}.tif`));
      const image = await (await fromArrayBuffer(bytes.buffer as ArrayBuffer)).getImage();
      const bands = (await image.readRasters({ interleave: false })) as unknown as Float32Array[];
      const c0 = Math.round((tile.grid.transform.originX - x0) / res);
      const r0 = Math.round((y1 - tile.grid.transform.originY) / res);
      for (let r = 0; r < tile.grid.height; r++)
        for (let c = 0; c < tile.grid.width; c++) {
          const p = (r0 + r) * grid.width + (c0 + c);
          const valid = !Number.isNaN(bands[0]![r * tile.grid.width + c]!);
          expect(embeddings.valid[p]).toBe(valid ? 1 : 0);
          if (!valid) continue;
          for (let d = 0; d < embeddings.dim; d += 3)
            expect(embeddings.data[p * embeddings.dim + d]).toBe(bands[d]![r * tile.grid.width + c]);
          compared++;
        }
    }
    expect(compared).toBeGreaterThan(tiles.length * 100);
  });
});
