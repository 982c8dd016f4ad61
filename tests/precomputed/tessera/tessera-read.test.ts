import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GridSpec } from '../../../src/lib/geo/index.ts';
import { converter } from '../../../src/lib/geo/index.ts';
import { tesseraGridFor, tesseraProduct } from '../../../src/lib/precomputed/tessera/index.ts';
import type { PrecomputedProgress } from '../../../src/lib/precomputed/types.ts';
import { cachedTesseraFixture, DIM, TesseraFixture } from './tessera-fixture.ts';
import { countingFetch, serveStore } from './tessera-server.ts';

/**
 * The TESSERA reader against a byte-faithful fixture store served over real HTTP (the
 * project's range server on 127.0.0.1, the real URL layout): exact values, mosaics across
 * zones and hemispheres, nodata, and what the user is told when something is wrong.
 */

let fixture: TesseraFixture;
let baseUrl: string;
let close: () => Promise<void>;

beforeAll(async () => {
  fixture = await cachedTesseraFixture();
  ({ baseUrl, close } = await serveStore(fixture.dir));
}, 300_000);
afterAll(() => close());

/** A target grid on a zone's own pixels: `rows` x `cols` from (row0, col0), in `epsg`. */
function zoneWindow(
  zone: number,
  row0: number,
  col0: number,
  rows: number,
  cols: number,
  epsg?: number,
): GridSpec {
  const t = fixture.zone(zone).transform;
  const south = epsg !== undefined && epsg >= 32700 ? 10_000_000 : 0;
  return {
    width: cols,
    height: rows,
    epsg: epsg ?? 32600 + zone,
    transform: { originX: t.originX + col0 * 10, originY: t.originY - row0 * 10 + south, resX: 10, resY: 10 },
  };
}

function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += a[i]! * b[i]!;
    aa += a[i]! * a[i]!;
    bb += b[i]! * b[i]!;
  }
  return ab / Math.sqrt(aa * bb);
}

/** Every pixel of a zone-aligned read equals the stored int8 x scale, or is nodata exactly where the store has none. */
function expectExact(
  grid: GridSpec,
  zone: number,
  t: number,
  row0: number,
  col0: number,
  result: Awaited<ReturnType<typeof tesseraProduct.read>>,
) {
  const { data, valid } = result.embeddings;
  let validCount = 0;
  const wrong: string[] = [];
  for (let r = 0; r < grid.height; r++) {
    for (let c = 0; c < grid.width; c++) {
      const p = r * grid.width + c;
      const truth = fixture.truth(zone, t, row0 + r, col0 + c);
      const scale = Math.fround(truth.scale);
      const stored = scale > 0 && scale < 1;
      if (valid[p] !== (stored ? 1 : 0)) wrong.push(`pixel ${r},${c}: valid ${valid[p]}`);
      if (!stored) continue;
      validCount++;
      for (let b = 0; b < DIM; b++)
        if (data[p * DIM + b] !== Math.fround(truth.q[b]! * scale)) wrong.push(`pixel ${r},${c} band ${b}`);
    }
  }
  expect(wrong.slice(0, 5)).toEqual([]);
  return validCount;
}

describe('reading TESSERA embeddings', () => {
  it('delivers int8 x scale on a zone-aligned grid, water and a chunk that is not stored as nodata', async () => {
    // Rows 20..127, cols 20..99 of zone 31: part of the lake (NaN scales, rows 19..49, cols
    // 83..113) and the chunk that is not stored (3, 1: rows 96..127, cols 32..63).
    const grid = zoneWindow(31, 20, 20, 108, 80);
    const result = await tesseraProduct.read({ family: 'tessera', baseUrl, year: 2024, grid });
    const validCount = expectExact(grid, 31, 1, 20, 20, result);
    expect(validCount).toBeGreaterThan(6000);
    expect(validCount).toBeLessThan(108 * 80 - 32 * 32 - 300);
    expect(result.label).toBe('TESSERA 2024');
    expect(result.bandNames).toHaveLength(128);
    expect(result.bandNames[0]).toBe('T000');
    expect(result.embeddings.georef).toEqual({ epsg: 32631, transform: grid.transform });
    expect(result.sources).toEqual([`${baseUrl}/utm31/embeddings/c/1/0/0/0`]);
  });

  it('reads a year by its value in the time array, and a shard that is not there as nodata', async () => {
    // Zone 32 rows 100..159, cols 140..179: shard (1, 1) (rows and cols >= 128) does not exist.
    const grid = zoneWindow(32, 100, 140, 60, 40);
    const result = await tesseraProduct.read({ family: 'tessera', baseUrl, year: 2023, grid });
    expectExact(grid, 32, 0, 100, 140, result);
    expect(result.embeddings.valid.slice(0, 28 * 40).every((v) => v === 1)).toBe(true);
    expect(result.embeddings.valid.slice(28 * 40).every((v) => v === 0)).toBe(true);
  });

  it('mosaics two UTM zones onto one grid with no visible seam', async () => {
    // 200 x 45 pixels of 10 m in EPSG:32632 from 500 m north of 6°E 45°N: the west part lies
    // in zone 31. (Further south, zone 31's missing chunk and zone 32's missing shard would
    // leave holes by design.)
    const [x, y] = converter(4326, 32632)([6, 45]);
    const grid: GridSpec = {
      width: 200,
      height: 45,
      epsg: 32632,
      transform: { originX: Math.round(x - 1000), originY: Math.round(y + 500), resX: 10, resY: 10 },
    };
    const result = await tesseraProduct.read({ family: 'tessera', baseUrl, year: 2023, grid });
    const { data, valid } = result.embeddings;
    const toWgs = converter(32632, 4326);
    // Zone 31's lake (150 m radius, 300 m west and north of its grid's centre) lies in this window.
    const z31 = fixture.zone(31).transform;
    const to31 = converter(32632, 32631);
    const nearLake = (c: number, r: number) => {
      const [lx, ly] = to31([
        grid.transform.originX + (c + 0.5) * 10,
        grid.transform.originY - (r + 0.5) * 10,
      ]);
      return Math.hypot(lx - (z31.originX + 1280 - 300), ly - (z31.originY - 640 + 300)) < 165;
    };
    const vector = (p: number) => data.subarray(p * DIM, (p + 1) * DIM);
    let west = 0;
    let seamJump = 0;
    let otherJump = 0;
    for (let r = 0; r < grid.height; r++) {
      for (let c = 0; c < grid.width; c++) {
        const p = r * grid.width + c;
        const [lon, lat] = toWgs([
          grid.transform.originX + (c + 0.5) * 10,
          grid.transform.originY - (r + 0.5) * 10,
        ]);
        if (lon < 6) west++;
        if (nearLake(c, r) || (c > 0 && nearLake(c - 1, r))) continue;
        // No hole anywhere else, and each pixel holds the place under its centre (nearest: at
        // most ~7 m away).
        expect(valid[p], `pixel ${r},${c}`).toBe(1);
        expect(cosine(vector(p), TesseraFixture.vectorAt(lon, lat, 0))).toBeGreaterThan(0.995);
        if (c === 0) continue;
        const [lonLeft] = toWgs([
          grid.transform.originX + (c - 0.5) * 10,
          grid.transform.originY - (r + 0.5) * 10,
        ]);
        const jump = 1 - cosine(vector(p - 1), vector(p));
        if (lonLeft < 6 !== lon < 6) seamJump = Math.max(seamJump, jump);
        else otherJump = Math.max(otherJump, jump);
      }
    }
    expect(west).toBeGreaterThan(3000);
    expect(west).toBeLessThan(6000);
    // Neighbours across the zone boundary differ no more than neighbours anywhere else.
    expect(seamJump).toBeGreaterThan(0);
    expect(seamJump).toBeLessThanOrEqual(otherJump * 1.5);
    expect(new Set(result.sources.map((s) => s.split('/').at(-7)))).toEqual(new Set(['utm31', 'utm32']));
  });

  it('reads south of the equator from negative northings of the zone group (EPSG:32736 and 4326 grids)', async () => {
    // Zone 36's grid is centred on the equator: row 128 is 0°. Rows 150..199 lie south of it.
    const south = zoneWindow(36, 150, 10, 50, 60, 32736);
    expectExact(
      south,
      36,
      0,
      150,
      10,
      await tesseraProduct.read({ family: 'tessera', baseUrl, year: 2023, grid: south }),
    );
    // A geographic grid across the equator.
    const grid: GridSpec = {
      width: 50,
      height: 80,
      epsg: 4326,
      transform: { originX: 33, originY: 0.0036, resX: 0.0001, resY: 0.0001 },
    };
    const result = await tesseraProduct.read({ family: 'tessera', baseUrl, year: 2023, grid });
    for (let r = 0; r < grid.height; r++) {
      for (let c = 0; c < grid.width; c++) {
        const p = r * grid.width + c;
        const lon = 33 + (c + 0.5) * 0.0001;
        const lat = 0.0036 - (r + 0.5) * 0.0001;
        expect(result.embeddings.valid[p]).toBe(1);
        const v = result.embeddings.data.subarray(p * DIM, (p + 1) * DIM);
        expect(cosine(v, TesseraFixture.vectorAt(lon, lat, 0))).toBeGreaterThan(0.995);
      }
    }
  });

  it('builds a grid on the store’s own 10 m pixels for a WGS84 box (tesseraGridFor)', async () => {
    const t = fixture.zone(31).transform;
    // A box inside zone 31's grid, west of 6°E: the grid lands on its pixels exactly.
    const toWgs = converter(32631, 4326);
    const [west, north] = toWgs([t.originX + 105, t.originY - 95]);
    const [east, south] = toWgs([t.originX + 795, t.originY - 595]);
    const grid = tesseraGridFor([west, south, east, north]);
    expect(grid.epsg).toBe(32631);
    expect((grid.transform.originX - t.originX) % 10).toBe(0);
    expect((t.originY - grid.transform.originY) % 10).toBe(0);
    const col0 = (grid.transform.originX - t.originX) / 10;
    const row0 = (t.originY - grid.transform.originY) / 10;
    const result = await tesseraProduct.read({ family: 'tessera', baseUrl, year: 2023, grid });
    expectExact(grid, 31, 0, row0, col0, result);
    expect(() => tesseraGridFor([6, 45, 5, 46])).toThrow(/is not a box west, south, east, north/);
    expect(() => tesseraGridFor([0, 40, 6, 46])).toThrow(/choose a smaller area or a coarser resolution/);
  });

  it('reports progress in chunks and bytes, and estimates at least what it fetches', async () => {
    // Zone 31 rows 0..63, cols 40..103 (west of 6°E): 2 x 3 inner chunks of one shard.
    const grid = zoneWindow(31, 0, 40, 64, 64);
    const progress: PrecomputedProgress[] = [];
    const estimate = await tesseraProduct.estimate({ family: 'tessera', baseUrl, year: 2024, grid });
    const result = await tesseraProduct.read(
      { family: 'tessera', baseUrl, year: 2024, grid },
      { onProgress: (p) => progress.push(p) },
    );
    expect(estimate.pixels).toBe(64 * 64);
    expect(estimate.dim).toBe(128);
    expect(estimate.files).toBe(1);
    expect(estimate.bytes).toBeGreaterThanOrEqual(result.fetched.bytes);
    const reads = progress.filter((p) => p.stage === 'read');
    expect(reads.at(-1)).toMatchObject({ done: 6, total: 6 });
    expect(reads.at(-1)!.bytes).toBe(result.fetched.bytes);
  });

  it('stops when cancelled, with the standard cancelled error', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      tesseraProduct.read(
        { family: 'tessera', baseUrl, year: 2024, grid: zoneWindow(31, 0, 0, 32, 32) },
        { signal: controller.signal },
      ),
    ).rejects.toMatchObject({ code: 'aborted' });
  });
});

describe('what the user is told', () => {
  it('names the years there are when the year does not exist', async () => {
    const read = tesseraProduct.read({
      family: 'tessera',
      baseUrl,
      year: 2019,
      grid: zoneWindow(31, 0, 0, 32, 32),
    });
    await expect(read).rejects.toMatchObject({ code: 'not-found' });
    await expect(read).rejects.toThrow(
      'TESSERA has no embeddings for 2019 here; the store holds the years 2023, 2024.',
    );
  });

  it('says the base URL holds no store (404)', async () => {
    const url = baseUrl.replace('/zarr/v1', '/zarr/v9');
    await expect(
      tesseraProduct.read({
        family: 'tessera',
        baseUrl: url,
        year: 2024,
        grid: zoneWindow(31, 0, 0, 32, 32),
      }),
    ).rejects.toThrow(
      `No TESSERA store at ${url} (${url}/zarr.json answered 404). Check the TESSERA base URL setting.`,
    );
  });

  it('says an area outside the coverage has no zone group', async () => {
    const grid: GridSpec = {
      width: 10,
      height: 10,
      epsg: 32640,
      transform: { originX: 500000, originY: 4000000, resX: 10, resY: 10 },
    };
    const read = tesseraProduct.read({ family: 'tessera', baseUrl, year: 2024, grid });
    await expect(read).rejects.toMatchObject({ code: 'not-found' });
    await expect(read).rejects.toThrow(/has no group utm40 \(the area lies outside its coverage\)/);
  });

  it('says an area of water only has no embeddings', async () => {
    // The lake of zone 31: centre (row 34, col 98), radius 15 pixels.
    const grid = zoneWindow(31, 28, 92, 12, 12);
    await expect(tesseraProduct.read({ family: 'tessera', baseUrl, year: 2024, grid })).rejects.toThrow(
      'TESSERA has no 2024 embeddings in this area: every pixel is water or has no data yet.',
    );
  });

  it('refuses an area too large for memory before fetching a chunk', async () => {
    const t = fixture.zone(31).transform;
    const grid: GridSpec = { width: 200_000, height: 200_000, epsg: 32631, transform: { ...t } };
    const { fetch, log } = countingFetch();
    const read = tesseraProduct.read({ family: 'tessera', baseUrl, year: 2024, grid }, { fetch });
    await expect(read).rejects.toMatchObject({ code: 'too-large' });
    await expect(read).rejects.toThrow(
      '200000 x 200000 pixels of 128 dimensions need 19073.5 GiB of memory, more than this device can give; choose a smaller area or a coarser resolution.',
    );
    expect(log.filter((l) => l.url.includes('/c/'))).toEqual(log.filter((l) => l.url.endsWith('/time/c/0')));
    await expect(tesseraProduct.estimate({ family: 'tessera', baseUrl, year: 2024, grid })).rejects.toThrow(
      /The area has 40,000,000,000 pixels, far more than a device can hold/,
    );
  });

  it('refuses a base URL that is not an http(s) address, without a request', async () => {
    const { fetch, log } = countingFetch();
    await expect(
      tesseraProduct.read(
        {
          family: 'tessera',
          baseUrl: 'data.source.coop/tessera',
          year: 2024,
          grid: zoneWindow(31, 0, 0, 8, 8),
        },
        { fetch },
      ),
    ).rejects.toThrow(
      'The TESSERA base URL "data.source.coop/tessera" is not an http(s) address (the default is https://data.source.coop/tessera/tessera/zarr/v1).',
    );
    expect(log).toEqual([]);
  });

  it('says when the base URL answers with something that is not a Zarr store', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tessera-not-zarr-'));
    await writeFile(join(dir, 'zarr.json'), '<html><body>Sign in</body></html>');
    const other = await serveStore(dir);
    try {
      await expect(
        tesseraProduct.read({
          family: 'tessera',
          baseUrl: other.baseUrl,
          year: 2024,
          grid: zoneWindow(31, 0, 0, 8, 8),
        }),
      ).rejects.toThrow(`${other.baseUrl}/zarr.json is not valid JSON: is ${other.baseUrl} a Zarr v3 store?`);
      await writeFile(join(dir, 'zarr.json'), '{"zarr_format": 2}');
      await expect(
        tesseraProduct.read({
          family: 'tessera',
          baseUrl: other.baseUrl,
          year: 2024,
          grid: zoneWindow(31, 0, 0, 8, 8),
        }),
      ).rejects.toThrow(/is not the root group of a Zarr v3 store; is .* the TESSERA store\?/);
    } finally {
      await other.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('asks for a year when none is given', async () => {
    await expect(
      tesseraProduct.read({ family: 'tessera', baseUrl, grid: zoneWindow(31, 0, 0, 8, 8) }),
    ).rejects.toMatchObject({ code: 'bad-input' });
  });

  it('counts what it fetches through the caller’s fetch', async () => {
    const { fetch, log } = countingFetch();
    const result = await tesseraProduct.read(
      { family: 'tessera', baseUrl, year: 2024, grid: zoneWindow(31, 0, 0, 32, 32) },
      { fetch },
    );
    expect(result.fetched.requests).toBe(log.length);
    // The store reads no 404 body (a chunk or shard not stored): those count as requests only.
    expect(result.fetched.bytes).toBe(log.reduce((n, l) => n + (l.status === 404 ? 0 : l.bytes), 0));
  });
});
