import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { fromFile } from 'geotiff';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDolomitesPack, DEFAULT_DATA_DIR, DOLOMITES_DIR } from '../../scripts/pack-demo.ts';
import { startStacServer } from '../../server/stac-api.ts';

const hasData = existsSync(path.join(DEFAULT_DATA_DIR, DOLOMITES_DIR));
if (!hasData)
  console.warn(`pack:fetch demo test skipped: real Sentinel-2 data not found under ${DEFAULT_DATA_DIR}`);

const ROOT = path.resolve(import.meta.dirname, '../..');
let dir = '';
let packsDir = '';
let server: Server;
let url = '';

describe.skipIf(!hasData)('npm run pack:fetch against serve:stac serving the Dolomites demo pack', () => {
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'pack-fetch-demo-'));
    packsDir = path.join(dir, 'packs');
    // The demo packs of `npm run pack:demo` when present (read only), else a fresh build.
    if (!existsSync(path.join(ROOT, 'packs/dolomites-2022-06/catalog.json')))
      await buildDolomitesPack(DEFAULT_DATA_DIR, path.join(dir, 'packs', 'dolomites-2022-06'));
    else packsDir = path.join(ROOT, 'packs');
    ({ server, url } = await startStacServer({ packsDir }));
  });

  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await rm(dir, { recursive: true, force: true });
  });

  it('the CLI cuts the area out of the served COGs into a pack with relative hrefs and the same pixels', async () => {
    const out = path.join(dir, 'fetched');
    const args = [
      '--bbox',
      '12.15,46.56,12.2,46.6',
      '--datetime',
      '2022-06-01/2022-06-30',
      '--stac',
      url,
      '--out',
      out,
    ];
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', path.join(ROOT, 'scripts/pack-fetch.ts'), ...args],
      { cwd: ROOT },
    );
    const summary = JSON.parse(stdout.trim().split('\n').pop()!) as {
      items: string[];
      requests: number;
      bytesFetched: number;
    };
    expect(summary.items).toEqual(['dolomites-2022-06']);
    expect(summary.requests).toBeGreaterThan(0);
    const catalog = JSON.parse(await readFile(path.join(out, 'catalog.json'), 'utf8')) as {
      features: { assets: Record<string, { href: string; 'raster:bands': { offset: number }[] }> }[];
    };
    const assets = catalog.features[0]!.assets;
    expect(Object.keys(assets).sort()).toEqual(['blue', 'green', 'nir', 'red']);
    expect(assets.red!.href).toBe('./dolomites-2022-06/B04.tif');
    expect(assets.red!['raster:bands'][0]!.offset).toBe(-0.1);
    // The cut pixels are the source pack's pixels at the same place.
    const cut = await (await fromFile(path.join(out, 'dolomites-2022-06/B04.tif'))).getImage();
    const source = await (await fromFile(path.join(packsDir, 'dolomites-2022-06/B04.tif'))).getImage();
    const [cx, cy] = cut.getOrigin();
    const [sx, sy] = source.getOrigin();
    const x0 = Math.round((cx! - sx!) / 10);
    const y0 = Math.round((sy! - cy!) / 10);
    const w = cut.getWidth();
    const h = cut.getHeight();
    const a = (await cut.readRasters({ interleave: true })) as unknown as Uint16Array;
    const b = (await source.readRasters({
      window: [x0, y0, x0 + w, y0 + h],
      interleave: true,
    })) as unknown as Uint16Array;
    expect(a).toEqual(b);
  });
});
