import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/lib/errors.ts';
import { REFLECTANCE_BANDS } from '../../src/lib/stac/bands.ts';
import { parseItemCollection } from '../../src/lib/stac/parse-items.ts';

const RKH_DIR = path.resolve(import.meta.dirname, '../../../shared/data/s2/S2A_29RKH_20200219_L2A');
const RKH_ITEM = path.join(RKH_DIR, 'S2A_29RKH_20200219_0_L2A.json');
const hasRkh = existsSync(RKH_ITEM);
if (!hasRkh) console.warn(`parse-items: real Earth Search item tests skipped: ${RKH_ITEM} not found`);

const BASE = 'https://earth-search.example/v1/search';
const COG_PREFIX =
  'https://sentinel-cogs.s3.us-west-2.amazonaws.com/sentinel-s2-l2a-cogs/29/R/KH/2020/2/S2A_29RKH_20200219_0_L2A/';

function minimalItem(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'Feature',
    id: 'item-1',
    bbox: [12.1, 46.5, 12.3, 46.7],
    properties: { datetime: '2022-06-15T10:00:00Z' },
    assets: {
      red: { href: './B04.tif' },
      green: { href: './B03.tif' },
      blue: { href: './B02.tif' },
    },
    ...overrides,
  };
}

function collection(...features: unknown[]): Record<string, unknown> {
  return { type: 'FeatureCollection', features };
}

function parseError(json: unknown, base = BASE, what = 'test response'): AppError {
  try {
    parseItemCollection(json, base, what);
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected parseItemCollection to throw');
}

describe.skipIf(!hasRkh)('parseItemCollection: the real Earth Search item (S2A_29RKH_20200219)', () => {
  const raw: unknown = hasRkh ? JSON.parse(readFileSync(RKH_ITEM, 'utf8')) : undefined;

  it('parses it wrapped in an ItemCollection', () => {
    const { items, next } = parseItemCollection(collection(raw), BASE, 'Earth Search response');
    expect(next).toBeUndefined();
    expect(items).toHaveLength(1);
    const item = items[0]!;
    expect(item.id).toBe('S2A_29RKH_20200219_0_L2A');
    expect(item.collection).toBe('sentinel-2-l2a');
    expect(item.datetime).toBe('2020-02-19T11:34:25.405000Z');
    expect(item.epsg).toBe(32629);
    expect(item.cloudCover).toBeCloseTo(4.05, 2);
    expect(item.processingBaseline).toBe('02.14');
    expect(item.platform).toBe('sentinel-2a');
    expect(item.bboxWgs84).toEqual([
      -11.97923472537954, 24.29633060395354, -10.8745567866346, 25.304614738479703,
    ]);
    expect(item.thumbnail).toBe(`${COG_PREFIX}thumbnail.jpg`);
  });

  it('keeps the band assets with their scale, offset, nodata and absolute hrefs', () => {
    const item = parseItemCollection(collection(raw), BASE, 'Earth Search response').items[0]!;
    // Reflectance bands and SCL only: aot, wvp, visual and the -jp2 twins are not band keys.
    expect(Object.keys(item.assets).sort()).toEqual([...REFLECTANCE_BANDS, 'scl'].sort());
    expect(item.assets.blue).toEqual({
      key: 'blue',
      href: `${COG_PREFIX}B02.tif`,
      scale: 0.0001,
      offset: 0,
      nodata: 0,
      gsd: 10,
    });
    expect(item.assets.nir08?.href).toBe(`${COG_PREFIX}B8A.tif`);
    expect(item.assets.nir08?.gsd).toBe(20);
    // SCL has no scale in raster:bands: classes stay as stored.
    expect(item.assets.scl).toMatchObject({ href: `${COG_PREFIX}SCL.tif`, scale: 1, offset: 0, nodata: 0 });
    for (const asset of Object.values(item.assets)) expect(asset.href).toMatch(/^https:\/\//);
  });
});

describe('parseItemCollection: hrefs, CRS and dates', () => {
  it('resolves relative hrefs against the base URL', () => {
    const base = 'http://127.0.0.1:8123/packs/dolomites-2022-06/catalog.json';
    const item = parseItemCollection(
      collection(
        minimalItem({
          assets: {
            red: { href: './B04.tif' },
            green: { href: 'B03.tif' },
            blue: { href: '../shared/B02.tif' },
            nir: { href: '/elsewhere/B08.tif' },
            thumbnail: { href: 'thumb.png' },
          },
        }),
      ),
      base,
      'pack catalog',
    ).items[0]!;
    expect(item.assets.red?.href).toBe('http://127.0.0.1:8123/packs/dolomites-2022-06/B04.tif');
    expect(item.assets.green?.href).toBe('http://127.0.0.1:8123/packs/dolomites-2022-06/B03.tif');
    expect(item.assets.blue?.href).toBe('http://127.0.0.1:8123/packs/shared/B02.tif');
    expect(item.assets.nir?.href).toBe('http://127.0.0.1:8123/elsewhere/B08.tif');
    expect(item.thumbnail).toBe('http://127.0.0.1:8123/packs/dolomites-2022-06/thumb.png');
  });

  it('defaults scale/offset to L2A DN (1e-4, 0) and SCL to classes (1, 0)', () => {
    const item = parseItemCollection(
      collection(minimalItem({ assets: { red: { href: 'r.tif' }, scl: { href: 's.tif' } } })),
      BASE,
      'x',
    ).items[0]!;
    expect(item.assets.red).toMatchObject({ scale: 0.0001, offset: 0, nodata: undefined, gsd: undefined });
    expect(item.assets.scl).toMatchObject({ scale: 1, offset: 0 });
  });

  it('reads c1-l2a raster:bands (offset -0.1, string nodata)', () => {
    const item = parseItemCollection(
      collection(
        minimalItem({
          assets: { red: { href: 'r.tif', 'raster:bands': [{ scale: 0.0001, offset: -0.1, nodata: '0' }] } },
        }),
      ),
      BASE,
      'x',
    ).items[0]!;
    expect(item.assets.red).toMatchObject({ scale: 0.0001, offset: -0.1, nodata: 0 });
  });

  it("understands proj:code 'EPSG:32632' on the item or on an asset", () => {
    const onItem = minimalItem({
      properties: { datetime: '2022-06-15T10:00:00Z', 'proj:code': 'EPSG:32632' },
    });
    expect(parseItemCollection(collection(onItem), BASE, 'x').items[0]!.epsg).toBe(32632);
    const onAsset = minimalItem({ assets: { red: { href: 'r.tif', 'proj:code': 'EPSG:32733' } } });
    expect(parseItemCollection(collection(onAsset), BASE, 'x').items[0]!.epsg).toBe(32733);
    const epsgWins = minimalItem({
      properties: { datetime: '2022-06-15T10:00:00Z', 'proj:epsg': 32629, 'proj:code': null },
    });
    expect(parseItemCollection(collection(epsgWins), BASE, 'x').items[0]!.epsg).toBe(32629);
    const none = minimalItem({
      properties: { datetime: '2022-06-15T10:00:00Z', 'proj:code': 'IAU_2015:30100' },
    });
    expect(parseItemCollection(collection(none), BASE, 'x').items[0]!.epsg).toBeUndefined();
  });

  it('takes start_datetime when datetime is null', () => {
    const item = minimalItem({
      properties: {
        datetime: null,
        start_datetime: '2022-06-01T00:00:00Z',
        end_datetime: '2022-06-30T23:59:59Z',
      },
    });
    expect(parseItemCollection(collection(item), BASE, 'x').items[0]!.datetime).toBe('2022-06-01T00:00:00Z');
    const error = parseError(collection(minimalItem({ id: 'undated', properties: { datetime: null } })));
    expect(error.code).toBe('bad-input');
    expect(error.message).toContain('undated');
    expect(error.message).toContain('datetime');
  });

  it('uses the 2D part of a 3D bbox', () => {
    const item = minimalItem({ bbox: [12.1, 46.5, 1000, 12.3, 46.7, 3000] });
    expect(parseItemCollection(collection(item), BASE, 'x').items[0]!.bboxWgs84).toEqual([
      12.1, 46.5, 12.3, 46.7,
    ]);
  });

  it('returns the next link of a paged response', () => {
    const page = {
      ...collection(minimalItem()),
      links: [
        { rel: 'self', href: BASE },
        { rel: 'next', href: `${BASE}?page=2`, method: 'POST' },
      ],
    };
    const { next } = parseItemCollection(page, BASE, 'x');
    expect(next).toMatchObject({ rel: 'next', href: `${BASE}?page=2`, method: 'POST' });
  });
});

describe('parseItemCollection: errors name the bad field', () => {
  it('an asset without an href', () => {
    const bad = minimalItem({ assets: { red: { type: 'image/tiff' } } });
    const error = parseError(collection(minimalItem(), bad), BASE, 'Earth Search response');
    expect(error.code).toBe('bad-input');
    expect(error.message).toContain('Earth Search response');
    expect(error.message).toContain('features[1].assets.red.href');
  });

  it('an href of the wrong type, a missing bbox, a wrong feature type', () => {
    expect(parseError(collection(minimalItem({ assets: { red: { href: 42 } } }))).message).toContain(
      'features[0].assets.red.href',
    );
    const { bbox: _bbox, ...noBbox } = minimalItem();
    expect(parseError(collection(noBbox)).message).toContain('features[0].bbox');
    expect(parseError(collection(minimalItem({ type: 'Polygon' }))).message).toContain('features[0].type');
    expect(
      parseError(collection(minimalItem({ properties: { datetime: '2022', 'eo:cloud_cover': 'low' } })))
        .message,
    ).toContain('features[0].properties.eo:cloud_cover');
  });

  it('a document that is not a FeatureCollection', () => {
    for (const json of [minimalItem(), { type: 'FeatureCollection' }, [], null, 'text']) {
      const error = parseError(json, BASE, 'pack catalog');
      expect(error.code).toBe('bad-input');
      expect(error.message).toContain('pack catalog is not a STAC ItemCollection');
    }
    expect(parseError(minimalItem()).message).toContain('type');
    expect(parseError({ type: 'FeatureCollection' }).message).toContain('features');
  });
});
