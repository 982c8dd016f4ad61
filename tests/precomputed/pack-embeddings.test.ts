import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../scripts/cli/exit-codes.ts';
import { parsePackFetchArgs } from '../../scripts/pack-fetch.ts';
import { buildSyntheticPack } from '../../scripts/synthetic-pack.ts';
import { startStaticServer } from '../../server/static-server.ts';
import type { BBox } from '../../src/lib/geo/index.ts';
import { transformBBox } from '../../src/lib/geo/index.ts';
import { aefProduct } from '../../src/lib/precomputed/aef/index.ts';
import { collectionProduct } from '../../src/lib/precomputed/collection/index.ts';
import {
  listPackEmbeddings,
  parsePackEmbeddings,
} from '../../src/lib/precomputed/collection/pack-embeddings.ts';
import { targetGridFor } from '../../src/lib/precomputed/target-grid.ts';
import { type ServedFixture, serveAefFixture } from './aef/aef-server.ts';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');

let served: ServedFixture;
let dir: string;
let pack: string;
let bbox: BBox;
let sceneCatalog: { features: unknown[] };

beforeAll(async () => {
  served = await serveAefFixture();
  dir = await mkdtemp(path.join(tmpdir(), 'eee-pack-emb-'));
  pack = path.join(dir, 'dolomites-aef');
  // A 2 x 2 km scene pack in zone 32N over the fixture's first tile, around its known feature.
  const t = served.fx.tiles.find((x) => x.zone === '32N' && x.row === 0 && x.col === 0)!;
  const [originX, originY] = [t.west + 200, t.north - 100];
  await buildSyntheticPack(pack, [
    {
      id: 'S2B_32TQS_20220612_0_L2A',
      epsg: 32632,
      originX,
      originY,
      sizeM: 2000,
      datetime: '2022-06-12T10:15:00Z',
      cloudCover: 3,
      bands: ['blue', 'green', 'red', 'nir', 'scl'],
      coarsen: 2,
    },
  ]);
  sceneCatalog = JSON.parse(await readFile(path.join(pack, 'catalog.json'), 'utf8'));
  const inner: BBox = [originX + 600, originY - 1400, originX + 1400, originY - 600];
  bbox = transformBBox(inner, 32632, 4326);
}, 600_000);

afterAll(async () => {
  await served?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('pack:fetch --product: precomputed embeddings in an offline pack', () => {
  it('a failed cut (no index at the base URL) leaves the pack as it was, nothing half-written', async () => {
    const before = await readFile(path.join(pack, 'catalog.json'), 'utf8');
    const failed = await run(
      'npx',
      ['tsx', 'scripts/pack-fetch.ts', '--bbox', bbox.join(','), '--product', 'aef', '--year', '2022'].concat(
        ['--base-url', `${new URL(served.base).origin}/nothing/v1/annual`, '--out', pack],
      ),
      { cwd: ROOT, timeout: 300_000 },
    ).then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failed?.code).toBe(3);
    expect(failed?.stderr).toContain('404');
    expect(await readFile(path.join(pack, 'catalog.json'), 'utf8')).toBe(before);
    expect((await readdir(dir)).sort()).toEqual(['dolomites-aef']);
  }, 300_000);

  it('cuts AlphaEarth into an existing pack; offline, the collection reader gives the online values', async () => {
    const { stdout } = await run(
      'npx',
      [
        'tsx',
        'scripts/pack-fetch.ts',
        '--bbox',
        bbox.join(','),
        '--product',
        'aef',
        '--year',
        '2022',
        '--base-url',
        served.base,
        '--out',
        pack,
      ],
      { cwd: ROOT, timeout: 300_000 },
    );
    const summary = JSON.parse(stdout.trim().split('\n').at(-1)!) as {
      embeddings: { title: string; href: string; dim: number; validFraction: number };
    };
    expect(summary.embeddings).toMatchObject({
      title: 'AlphaEarth 2022',
      href: './embeddings/aef-2022/collection.json',
      dim: 64,
      validFraction: 1,
    });

    // The scenes stay: the same items, their COGs still there.
    const catalog = JSON.parse(await readFile(path.join(pack, 'catalog.json'), 'utf8'));
    expect(catalog.features).toEqual(sceneCatalog.features);
    expect((await stat(path.join(pack, 'S2B_32TQS_20220612_0_L2A', 'B04.tif'))).size).toBeGreaterThan(0);
    expect(parsePackEmbeddings(catalog, 'http://x/packs/p/catalog.json')).toEqual([
      {
        product: 'aef',
        year: 2022,
        title: 'AlphaEarth 2022',
        href: 'http://x/packs/p/embeddings/aef-2022/collection.json',
        dim: 64,
        source: served.base,
      },
    ]);

    const grid = targetGridFor(bbox, 10);
    const online = await aefProduct.read({ family: 'aef', baseUrl: served.base, year: 2022, grid });
    // Offline: the fixture server is gone; only the pack is served.
    await served.close();
    const { server, url } = await startStaticServer({ mounts: [{ prefix: '/packs/', dir }] });
    try {
      const [entry, ...more] = await listPackEmbeddings(`${url}/packs/dolomites-aef/catalog.json`);
      expect(more).toHaveLength(0);
      const offline = await collectionProduct.read({
        family: 'collection',
        baseUrl: entry!.href,
        year: entry!.year,
        grid,
      });
      expect(offline.label).toBe('AlphaEarth 2022');
      expect(offline.bandNames).toEqual(online.bandNames);
      expect(offline.embeddings.valid).toEqual(online.embeddings.valid);
      expect(offline.embeddings.data).toEqual(online.embeddings.data);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  }, 300_000);

  it('checks the command line before any request', () => {
    const base = ['--bbox', '12.0,46.5,12.01,46.51'];
    const usage = (args: string[]) =>
      expect(() => parsePackFetchArgs([...base, ...args])).toThrow(UsageError);
    usage(['--product', 'aef', '--out', pack]); // no --year
    usage(['--product', 'aef', '--year', '2022', '--out', path.join(dir, 'no-such-pack')]); // nothing to add to
    usage(['--product', 'mosaiks', '--year', '2022', '--out', pack]);
    usage(['--product', 'collection', '--out', pack]); // no --base-url
    usage(['--datetime', '2022-06-01/2022-06-30', '--year', '2022', '--out', pack]); // --year without --product
    usage(['--product', 'aef', '--year', '2030', '--out', pack]); // not published at the default address
    expect(
      parsePackFetchArgs([...base, '--product', 'tessera', '--year', '2024', '--out', pack]).embeddings,
    ).toMatchObject({ family: 'tessera', year: 2024, res: 10 });
  });
});
