import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSyntheticPack, NOISE_MAX, syntheticDn } from '../../scripts/synthetic-pack.ts';
import { startStacServer } from '../../server/stac-api.ts';
import type { BBox } from '../../src/lib/geo/index.ts';
import { converter } from '../../src/lib/geo/index.ts';
import { fetchPack } from '../../src/lib/pack/index.ts';
import { listScenes, loadScene } from '../../src/lib/scene/load-scene.ts';
import type { Scene } from '../../src/lib/scene/scene.ts';
import { fixtureItems } from './synthetic-fixtures.ts';

let dir = '';
let server: Server;
let url = '';
const JUNE = '2022-06-01T00:00:00Z/2022-06-30T23:59:59Z';
const INSIDE_A: BBox = [11.941, 46.58, 11.97, 46.599];
const ACROSS: BBox = [11.962, 46.58, 11.988, 46.595];

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'load-stac-'));
  await buildSyntheticPack(path.join(dir, 'synthetic'), fixtureItems());
  ({ server, url } = await startStacServer({ packsDir: dir }));
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await rm(dir, { recursive: true, force: true });
});

function stac(area: BBox, datetime: string, extra: object = {}) {
  return {
    kind: 'stac' as const,
    endpoint: url,
    collection: 'sentinel-2-c1-l2a',
    area,
    datetime,
    maxCloudCover: 50,
    ...extra,
  };
}

/** Reflectance of band 0 (red) at the grid's centre pixel and the DN the fixture stored there. */
function centre(scene: Scene): { value: number; dn: number } {
  const { grid } = scene;
  const r = Math.floor(grid.height / 2);
  const c = Math.floor(grid.width / 2);
  const t = grid.transform;
  return {
    value: scene.reflectance[scene.bands.indexOf('red')]![r * grid.width + c]!,
    dn: syntheticDn('red', t.originX + (c + 0.5) * t.resX, t.originY - (r + 0.5) * t.resY),
  };
}

describe('loadScene from a STAC API (serve:stac over synthetic packs)', () => {
  it('opens the least cloudy covering scene, applies offset -0.1 (baseline >= 04.00), masks SCL, counts the network', async () => {
    const scene = await loadScene(stac(INSIDE_A, JUNE), () => undefined);
    expect(scene.itemIds).toEqual(['S2A_32TQS_20220610']);
    expect(scene.grid.epsg).toBe(32632);
    expect(scene.bands).toEqual(['blue', 'green', 'red', 'nir', 'swir16']);
    const { value, dn } = centre(scene);
    // DN * 0.0001 - 0.1; the fixture's noise adds at most NOISE_MAX DN.
    expect(value).toBeGreaterThanOrEqual(dn * 1e-4 - 0.1 - 1e-6);
    expect(value).toBeLessThanOrEqual((dn + NOISE_MAX) * 1e-4 - 0.1 + 1e-6);
    expect(scene.validFraction).toBeGreaterThan(0.9);
    expect(scene.validFraction).toBeLessThan(1);
    expect(scene.maskDescription).toMatch(/cloud, high probability/);
    expect(scene.stats!.requests).toBeGreaterThan(0);
    expect(scene.stats!.bytes).toBeGreaterThan(0);
    const unmasked = await loadScene(stac(INSIDE_A, JUNE, { sclMask: [0] }), () => undefined);
    expect(unmasked.validFraction).toBe(1);
    expect(unmasked.maskDescription).toBe('SCL (no data)');
  });

  it('offset 0 for an item of an older processing baseline', async () => {
    const old = await loadScene(stac(INSIDE_A, '2022-07-01T00:00:00Z/2022-07-31T23:59:59Z'), () => undefined);
    expect(old.itemIds).toEqual(['S2B_32TQS_20220705']);
    const { value, dn } = centre(old);
    expect(value).toBeGreaterThanOrEqual(dn * 1e-4 - 1e-6);
    expect(value).toBeLessThanOrEqual((dn + NOISE_MAX) * 1e-4 + 1e-6);
  });

  it('mosaics two tiles of one overpass in different UTM zones onto the zone of the area centre', async () => {
    const scene = await loadScene(stac(ACROSS, JUNE), () => undefined);
    expect(scene.itemIds).toEqual(['S2A_32TQS_20220610', 'S2A_33TUM_20220610']);
    // The centre (11.975 E) is in zone 32: the zone 33 tile is reprojected onto its grid.
    expect(scene.grid.epsg).toBe(32632);
    const red = scene.reflectance[scene.bands.indexOf('red')]!;
    expect(red.every(Number.isFinite)).toBe(true);
    // East edge pixels come from the zone 33 tile: their value is that tile's DN there.
    const t = scene.grid.transform;
    const r = 10;
    const c = scene.grid.width - 1;
    const [x33, y33] = converter(
      32632,
      32633,
    )([t.originX + (c + 0.5) * t.resX, t.originY - (r + 0.5) * t.resY]);
    const dn = syntheticDn('red', x33, y33);
    expect(red[r * scene.grid.width + c]!).toBeGreaterThan(dn * 1e-4 - 0.1 - 0.0015);
    expect(red[r * scene.grid.width + c]!).toBeLessThan((dn + NOISE_MAX) * 1e-4 - 0.1 + 0.0015);
  });

  it('lists scenes with coverage, the default choice and the best per month', async () => {
    const listing = await listScenes(
      {
        kind: 'stac',
        endpoint: url,
        collection: 'sentinel-2-c1-l2a',
        area: ACROSS,
        datetime: '2022-06-01T00:00:00Z/2022-07-31T23:59:59Z',
        maxCloudCover: 50,
      },
      () => undefined,
    );
    expect(listing.scenes.map((s) => s.id)).toEqual([
      'S2B_32TQS_20220705',
      'S2A_32TQS_20220610',
      'S2A_33TUM_20220610',
    ]);
    const a = listing.scenes.find((s) => s.id === 'S2A_32TQS_20220610')!;
    expect(a.coverage).toBeGreaterThan(40);
    expect(a.coverage).toBeLessThan(80);
    expect(a.cloudCover).toBe(5);
    expect(a.missingBands).toEqual([]);
    expect(listing.defaultIds).toEqual(['S2A_32TQS_20220610', 'S2A_33TUM_20220610']);
    expect(listing.months).toEqual([
      { month: '2022-06', itemIds: ['S2A_32TQS_20220610', 'S2A_33TUM_20220610'] },
      { month: '2022-07', itemIds: ['S2B_32TQS_20220705'] },
    ]);
    // Yearly mode's half-months (up to 24 dates): here one scene each, in date order.
    expect(listing.halfMonths).toEqual([
      { month: '2022-06 (01–15)', itemIds: ['S2A_32TQS_20220610', 'S2A_33TUM_20220610'] },
      { month: '2022-07 (01–15)', itemIds: ['S2B_32TQS_20220705'] },
    ]);
  });

  it('pack:fetch cuts a pack that reads back as the same pixels', async () => {
    const out = path.join(dir, 'fetched');
    const result = await fetchPack(
      { endpoint: url, collection: 'sentinel-2-c1-l2a', bbox: INSIDE_A, datetime: JUNE, maxCloudCover: 20 },
      async (file, bytes) => {
        await mkdir(path.dirname(path.join(out, file)), { recursive: true });
        await writeFile(path.join(out, file), bytes);
      },
    );
    expect(result.itemIds).toEqual(['S2A_32TQS_20220610']);
    expect(result.files.map((f) => f.path).sort()).toEqual(
      ['B02', 'B03', 'B04', 'B08', 'B11', 'SCL']
        .map((b) => `S2A_32TQS_20220610/${b}.tif`)
        .concat('catalog.json')
        .sort(),
    );
    expect(result.stats.requests).toBeGreaterThan(0);
    const live = await loadScene(stac(INSIDE_A, JUNE), () => undefined);
    const packed = await loadScene(
      { kind: 'pack', catalogUrl: `${url}/packs/fetched/catalog.json`, area: INSIDE_A },
      () => undefined,
    );
    expect(packed.grid).toEqual(live.grid);
    expect(packed.bands).toEqual(live.bands);
    for (const [i, band] of live.reflectance.entries()) expect(packed.reflectance[i]).toEqual(band);
    expect(packed.validFraction).toBe(live.validFraction);
  });
});
