import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fromFile } from 'geotiff';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  build29RkhPack,
  buildDolomitesPack,
  DEFAULT_DATA_DIR,
  DOLOMITES_DIR,
  RKH_DIR,
} from '../../scripts/pack-demo.ts';
import type { PackResult } from '../../src/lib/pack/build-pack.ts';
import { isStacItem, monthInterval, relativeHref } from '../../src/lib/pack/stac-item.ts';
import type { StacItemCollection } from '../../src/lib/pack/stac-types.ts';

const dolomitesSrc = path.join(DEFAULT_DATA_DIR, DOLOMITES_DIR);
const rkhSrc = path.join(DEFAULT_DATA_DIR, RKH_DIR);
const hasDolomites = existsSync(dolomitesSrc);
const hasRkh = existsSync(rkhSrc);
if (!hasDolomites) console.warn(`pack-demo tests skipped: real data not found at ${dolomitesSrc}`);
if (!hasRkh) console.warn(`29RKH pack tests skipped: real data not found at ${rkhSrc}`);

async function readBand(file: string): Promise<ArrayLike<number>> {
  const tiff = await fromFile(file);
  try {
    return await (await tiff.getImage()).readRasters({ interleave: true });
  } finally {
    tiff.close();
  }
}

async function readCatalog(dir: string): Promise<StacItemCollection> {
  const parsed: unknown = JSON.parse(await readFile(path.join(dir, 'catalog.json'), 'utf8'));
  if (
    typeof parsed !== 'object' ||
    parsed === null ||
    !('features' in parsed) ||
    !Array.isArray(parsed.features)
  ) {
    throw new Error('catalog.json is not a FeatureCollection');
  }
  if (!parsed.features.every(isStacItem)) throw new Error('catalog.json has invalid items');
  return { type: 'FeatureCollection', features: parsed.features, links: [] };
}

describe('stac-item helpers', () => {
  it('month interval and relative hrefs', () => {
    expect(monthInterval(2022, 6)).toEqual({ start: '2022-06-01T00:00:00Z', end: '2022-06-30T23:59:59Z' });
    expect(monthInterval(2024, 2).end).toBe('2024-02-29T23:59:59Z');
    expect(relativeHref('B02.tif')).toBe('./B02.tif');
    for (const bad of ['../x.tif', '/abs.tif', 'https://x/y.tif', 'a//b.tif']) {
      expect(() => relativeHref(bad)).toThrow(expect.objectContaining({ code: 'bad-input' }));
    }
  });

  it.skipIf(!hasRkh)('the real Earth Search item passes the StacItem check', async () => {
    const json: unknown = JSON.parse(
      await readFile(path.join(rkhSrc, 'S2A_29RKH_20200219_0_L2A.json'), 'utf8'),
    );
    expect(isStacItem(json)).toBe(true);
  });
});

describe.skipIf(!hasDolomites)('dolomites pack (real data)', () => {
  let dir = '';
  let result: PackResult;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'pack-dolomites-'));
    result = await buildDolomitesPack(DEFAULT_DATA_DIR, dir);
  });

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('writes a valid catalog.json with relative, existing assets', async () => {
    const catalog = await readCatalog(dir);
    expect(catalog.features).toHaveLength(1);
    const item = catalog.features[0]!;
    expect(item.id).toBe('dolomites-2022-06');
    expect(item.properties.datetime).toBeNull();
    expect(item.properties.start_datetime).toBe('2022-06-01T00:00:00Z');
    expect(item.properties.end_datetime).toBe('2022-06-30T23:59:59Z');
    expect(item.properties['s2:processing_baseline']).toBe('04.00');
    expect(item.properties['proj:epsg']).toBe(32632);
    const [minLon, minLat, maxLon, maxLat] = item.bbox ?? [];
    expect(minLon).toBeLessThan(12.14);
    expect(maxLon).toBeGreaterThan(12.14);
    expect(minLat).toBeLessThan(46.54);
    expect(maxLat).toBeGreaterThan(46.54);
    expect(Object.keys(item.assets).sort()).toEqual(['blue', 'green', 'nir', 'red']);
    for (const asset of Object.values(item.assets)) {
      expect(asset.href).toMatch(/^\.\/B0[2348]\.tif$/);
      expect(existsSync(path.join(dir, asset.href))).toBe(true);
      expect(asset.type).toBe('image/tiff; application=geotiff; profile=cloud-optimized');
      expect(asset['proj:shape']).toEqual([934, 1059]);
      expect(asset['proj:transform']).toEqual([10, 0, 740350, 0, -10, 5168160]);
      expect(asset['raster:bands']?.[0]).toMatchObject({
        nodata: 0,
        data_type: 'uint16',
        spatial_resolution: 10,
        scale: 0.0001,
        offset: -0.1,
      });
    }
    expect(result.files.map((f) => f.path).sort()).toEqual([
      'B02.tif',
      'B03.tif',
      'B04.tif',
      'B08.tif',
      'catalog.json',
    ]);
  });

  it('stores the source DN rounded to UInt16, with COG structure', async () => {
    for (const [stem, file] of [
      ['b2', 'B02.tif'],
      ['b8', 'B08.tif'],
    ] as const) {
      const source = await readBand(path.join(dolomitesSrc, `sentinel.dolomites.${stem}.tif`));
      const tiff = await fromFile(path.join(dir, file));
      const image = await tiff.getImage();
      const written = await image.readRasters({ interleave: true });
      expect(written).toBeInstanceOf(Uint16Array);
      expect(written.length).toBe(source.length);
      let mismatches = 0;
      for (let i = 0; i < source.length; i++) {
        const v = source[i] ?? Number.NaN;
        const expected = Number.isFinite(v) && v > -1e38 ? Math.round(v) : 0;
        if (written[i] !== expected) mismatches++;
      }
      expect(mismatches).toBe(0);
      expect(image.getGeoKeys()?.ProjectedCSTypeGeoKey).toBe(32632);
      expect(image.getOrigin()).toEqual([740350, 5168160, 0]);
      expect(image.getTileWidth()).toBe(512);
      // 1059x934 -> 530x467 -> 265x234 (fits one 512 tile).
      expect(await tiff.getImageCount()).toBe(3);
      tiff.close();
    }
  });
});

describe.skipIf(!hasRkh)('29RKH pack (real data)', () => {
  let dir = '';

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'pack-29rkh-'));
    await build29RkhPack(DEFAULT_DATA_DIR, dir);
  });

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('keeps the real item metadata and the files own grids, pixels and classes', async () => {
    const item = (await readCatalog(dir)).features[0]!;
    expect(item.id).toBe('S2A_29RKH_20200219_0_L2A');
    expect(item.properties.datetime).toBe('2020-02-19T11:34:25.405000Z');
    expect(item.properties['eo:cloud_cover']).toBeCloseTo(4.051854);
    expect(item.properties['s2:processing_baseline']).toBe('02.14');
    expect(Object.keys(item.assets)).toHaveLength(13);
    expect(item.assets.blue?.['proj:shape']).toEqual([1098, 1098]);
    expect(item.assets.swir16?.['proj:transform']).toEqual([200, 0, 199980, 0, -200, 2800020]);
    expect(item.assets.blue?.['raster:bands']?.[0]).toMatchObject({ scale: 0.0001, offset: 0, nodata: 0 });
    expect(item.assets.scl?.roles).toEqual(['data']);

    for (const file of ['B02.tif', 'SCL.tif']) {
      const source = await readBand(path.join(rkhSrc, file));
      const written = await readBand(path.join(dir, file));
      expect(Array.from(written)).toEqual(Array.from(source));
    }
    const scl = await fromFile(path.join(dir, 'SCL.tif'));
    const classes = new Set(Array.from(await readBand(path.join(rkhSrc, 'SCL.tif'))));
    const overview = await (await scl.getImage(1)).readRasters({ interleave: true });
    expect(Array.from(overview).every((c) => classes.has(c))).toBe(true);
    scl.close();
  });
});
