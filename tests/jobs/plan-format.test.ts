import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { describe, expect, it } from 'vitest';
import { embeddingCollectionProblems } from '../../src/lib/jobs/collection-format.ts';
import { type JobPlan, parsePlan } from '../../src/lib/jobs/job-plan.ts';
import { tileIndexParquet } from '../../src/lib/jobs/parquet-index.ts';
import {
  itemCollection,
  multihashSha256,
  sha256OfMultihash,
  tileItem,
} from '../../src/lib/jobs/tile-item.ts';
import { planTiles } from '../../src/lib/jobs/tiling.ts';

const SHA = 'a'.repeat(64);

function samplePlan(): JobPlan {
  const tiles = planTiles({ bbox: [12.19, 46.565, 12.2, 46.573], tileKm: 0.5, resolutionM: 10, epsg: 32632 });
  return {
    version: 1,
    created: '2026-12-03T00:00:00Z',
    bbox: [12.19, 46.565, 12.2, 46.573],
    source: { kind: 'pack', path: '/data/packs/dolomites-2022-06', itemIds: ['dolomites-2022-06'] },
    model: { id: 'presto', sha256: SHA, dim: 3, bands: ['blue', 'green', 'red', 'nir'] },
    settings: {
      resolutionM: 10,
      tileKm: 0.5,
      tilePx: 50,
      haloPx: 0,
      factor: 1,
      encoding: 'float32',
      dtype: 'fp32',
    },
    shards: 4,
    tiles,
    estimate: { pixels: 1, areaKm2: 1, coreSeconds: 1, outputBytes: 1 },
  };
}

function sampleItems(plan: JobPlan) {
  return plan.tiles.map((tile) =>
    tileItem(plan, SHA, {
      tile,
      href: `./${tile.id}.tif`,
      sha256: SHA,
      bytes: 1234,
      datetime: '2022-06-01T00:00:00Z',
      sourceItems: ['dolomites-2022-06'],
      bands: [0, 1, 2].map(() => ({
        data_type: 'float32' as const,
        nodata: 'nan' as const,
        scale: 1,
        offset: 0,
      })),
      validFraction: 1,
    }),
  );
}

describe('plan.json is versioned and validated on read', () => {
  it('reads back what it wrote', () => {
    const plan = samplePlan();
    expect(parsePlan(JSON.parse(JSON.stringify(plan)), 'plan.json')).toEqual(plan);
  });

  it('names the field that is wrong, and a version it does not read', () => {
    const plan = samplePlan();
    expect(() => parsePlan({ ...plan, version: 2 }, 'job/plan.json')).toThrow(
      /job\/plan.json is a version 2 plan; this CLI reads version 1/,
    );
    expect(() => parsePlan({ ...plan, model: { ...plan.model, sha256: 'xyz' } }, 'p.json')).toThrow(
      /p.json is not a valid job plan: model.sha256: a SHA-256 of 64 hex digits/,
    );
    expect(() => parsePlan({ ...plan, tiles: [] }, 'p.json')).toThrow(/tiles/);
    expect(() => parsePlan({ ...plan, tiles: [plan.tiles[0], plan.tiles[0]] }, 'p.json')).toThrow(
      /a tile twice/,
    );
    expect(() => parsePlan('nonsense', 'p.json')).toThrow(/not a valid job plan/);
  });
});

describe('the embedding-collection format (shared contract with the collection family)', () => {
  it("a job's ItemCollection has every field the contract lists", () => {
    const plan = samplePlan();
    const items = sampleItems(plan);
    const collection = itemCollection(items, (i) => `tiles/${i.id}.tif`);
    expect(embeddingCollectionProblems(collection)).toEqual([]);
    const first = collection.features[0]!;
    expect(first.properties).toMatchObject({
      datetime: '2022-06-01T00:00:00Z',
      'proj:code': 'EPSG:32632',
      'proj:shape': [50, 50],
      'embeddings:model': 'presto',
      'embeddings:dim': 3,
      'embeddings:model_sha256': SHA,
      'job:source_items': ['dolomites-2022-06'],
    });
    const t = plan.tiles[0]!.grid.transform;
    expect(first.properties['proj:transform']).toEqual([10, 0, t.originX, 0, -10, t.originY]);
    expect(first.assets.embeddings).toMatchObject({
      href: `tiles/${first.id}.tif`,
      type: 'image/tiff; application=geotiff; profile=cloud-optimized',
      roles: ['data'],
      'file:checksum': `1220${SHA}`,
    });
    // The Items themselves keep their href relative to their own file.
    expect(items[0]!.assets.embeddings!.href).toBe(`./${first.id}.tif`);
    // The bbox holds the tile's footprint (geometry corners).
    const ring = first.geometry.coordinates[0]!;
    for (const [lon, lat] of ring) {
      expect(lon).toBeGreaterThanOrEqual(first.bbox[0]! - 1e-9);
      expect(lat).toBeLessThanOrEqual(first.bbox[3]! + 1e-9);
    }
  });

  it('names what breaks the format', () => {
    const items = sampleItems(samplePlan());
    const broken = structuredClone(items[0]!);
    broken.properties['proj:code'] = 'EPSG:4326';
    delete broken.properties['embeddings:dim'];
    (broken.assets.embeddings!['raster:bands'] as unknown[]).pop();
    const problems = embeddingCollectionProblems({ type: 'FeatureCollection', features: [broken] });
    expect(problems.join('\n')).toMatch(/features.0.properties.proj:code: EPSG:326NN or EPSG:327NN/);
    expect(problems.join('\n')).toMatch(/embeddings:dim/);
    expect(embeddingCollectionProblems({ type: 'FeatureCollection', features: [] })).not.toEqual([]);
  });

  it('file:checksum is the SHA-256 multihash', () => {
    expect(sha256OfMultihash(multihashSha256(SHA))).toBe(SHA);
    expect(sha256OfMultihash('1220abc')).toBeUndefined();
    expect(sha256OfMultihash(undefined)).toBeUndefined();
  });
});

describe('the GeoParquet index', () => {
  it("has AlphaEarth's index columns, one row per tile, WKB geometry and GeoParquet metadata", async () => {
    const items = sampleItems(samplePlan());
    const bytes = tileIndexParquet(items.map((item) => ({ path: `tiles/${item.id}.tif`, item })));
    const file = bytes.slice().buffer;
    const meta = parquetMetadata(file);
    const geo = JSON.parse(meta.key_value_metadata?.find((kv) => kv.key === 'geo')?.value ?? '{}') as {
      primary_column: string;
      columns: { geometry: { encoding: string } };
    };
    expect(geo.primary_column).toBe('geometry');
    expect(geo.columns.geometry.encoding).toBe('WKB');
    const rows = await parquetReadObjects({ file, utf8: true });
    expect(rows.length).toBe(items.length);
    expect(Object.keys(rows[0]!)).toEqual([
      'fid',
      'path',
      'year',
      'crs',
      'utm_zone',
      'wgs84_west',
      'wgs84_south',
      'wgs84_east',
      'wgs84_north',
      'utm_west',
      'utm_south',
      'utm_east',
      'utm_north',
      'geometry',
    ]);
    const first = rows[0]!;
    expect(first).toMatchObject({
      fid: 0,
      path: `tiles/${items[0]!.id}.tif`,
      year: 2022,
      crs: 'EPSG:32632',
      utm_zone: '32N',
    });
    const t = items[0]!.properties['proj:transform'] as number[];
    expect([first.utm_west, first.utm_north, first.utm_east, first.utm_south]).toEqual([
      t[2],
      t[5],
      t[2]! + 500,
      t[5]! - 500,
    ]);
    expect(first.wgs84_west).toBe(items[0]!.bbox[0]);
  });
});
