import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fromArrayBuffer } from 'geotiff';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeCog } from '../../src/lib/cog/index.ts';
import type { EmbeddingGrid } from '../../src/lib/embeddings/index.ts';
import type { GridSpec } from '../../src/lib/geo/index.ts';
import { collectionProduct } from '../../src/lib/precomputed/collection/index.ts';
import type { PrecomputedResult } from '../../src/lib/precomputed/types.ts';
import { DirServer } from './dir-server.ts';
import {
  cut,
  syntheticEmbeddings,
  tempDir,
  utm32Grid,
  writeCollection,
  writeEmbeddings,
} from './fixtures.ts';

/**
 * The `collection` family over a real range-capable server: the app's own embeddings exports
 * (float32 and int8) and STAC ItemCollections of them, mosaicked onto a requested grid.
 */
const dir = tempDir('collection');
const server = new DirServer(dir);
const DIM = 6;
const full = utm32Grid(600, 300);
const emb = syntheticEmbeddings(full, DIM);
let bigBytes: Uint8Array;
const big = utm32Grid(1100, 600, 700000);

beforeAll(async () => {
  writeEmbeddings(dir, 'full.tif', full, emb);
  writeEmbeddings(dir, 'full8.tif', full, emb, 'int8');
  const west = cut(full, emb, [0, 0, 300, 300]);
  const east = cut(full, emb, [300, 0, 600, 300]);
  writeEmbeddings(dir, 'west.tif', west.grid, west.embeddings);
  writeEmbeddings(dir, 'east.tif', east.grid, east.embeddings);
  writeCollection(dir, 'tiles.json', [
    { id: 'west', href: 'west.tif', grid: west.grid, dim: DIM },
    { id: 'east', href: 'east.tif', grid: east.grid, dim: DIM },
  ]);
  const other = cut(utm32Grid(300, 300), syntheticEmbeddings(utm32Grid(300, 300), 4), [0, 0, 300, 300]);
  writeEmbeddings(dir, 'dim4.tif', east.grid, other.embeddings);
  writeCollection(dir, 'mixed-dims.json', [
    { id: 'west', href: 'west.tif', grid: west.grid, dim: DIM },
    { id: 'east-4d', href: 'dim4.tif', grid: east.grid, dim: 4 },
  ]);
  writeCollection(dir, 'mixed-models.json', [
    { id: 'west', href: 'west.tif', grid: west.grid, dim: DIM, model: 'presto' },
    { id: 'east', href: 'east.tif', grid: east.grid, dim: DIM, model: 'spectral' },
  ]);
  writeCollection(dir, 'missing.json', [
    { id: 'west', href: 'west.tif', grid: west.grid, dim: DIM },
    { id: 'east', href: 'gone/east.tif', grid: east.grid, dim: DIM },
  ]);
  // Another year of the west tile: other embeddings on the same grid.
  writeEmbeddings(dir, 'west-2022.tif', west.grid, east.embeddings);
  writeCollection(dir, 'years.json', [
    { id: 'west-2021', href: 'west.tif', grid: west.grid, dim: DIM, datetime: '2021-07-01T00:00:00Z' },
    { id: 'west-2022', href: 'west-2022.tif', grid: west.grid, dim: DIM, datetime: '2022-07-01T00:00:00Z' },
  ]);
  writeFileSync(join(dir, 'empty.json'), JSON.stringify({ type: 'FeatureCollection', features: [] }));
  writeFileSync(join(dir, 'not-stac.json'), JSON.stringify({ hello: 'world' }));
  bigBytes = writeEmbeddings(dir, 'big.tif', big, syntheticEmbeddings(big, 4));
  // A reflectance band, not embeddings.
  const band = new Uint16Array(100 * 100).fill(1234);
  writeFileSync(
    join(dir, 'B04.tif'),
    writeCog({
      width: 100,
      height: 100,
      bands: [band],
      grid: utm32Grid(100, 100),
      nodata: 0,
      overviewResampling: 'nearest',
    }),
  );
  await server.start();
});

afterAll(() => server.stop());

function read(file: string, grid: GridSpec, year?: number): Promise<PrecomputedResult> {
  return collectionProduct.read({
    family: 'collection',
    baseUrl: `${server.url}/${file}`,
    grid,
    ...(year ? { year } : {}),
  });
}

/** Largest |a - b| over pixels valid in `want`, and the pixels whose validity differs. */
function compare(got: EmbeddingGrid, want: EmbeddingGrid): { maxDiff: number; validityDiffers: number } {
  let maxDiff = 0;
  let validityDiffers = 0;
  for (let p = 0; p < want.valid.length; p++) {
    if (got.valid[p] !== want.valid[p]) validityDiffers++;
    if (!want.valid[p]) continue;
    for (let d = 0; d < want.dim; d++)
      maxDiff = Math.max(maxDiff, Math.abs(got.data[p * want.dim + d]! - want.data[p * want.dim + d]!));
  }
  return { maxDiff, validityDiffers };
}

describe('collection family: one embeddings GeoTIFF', () => {
  it('reads a float32 export back exactly, with its band names and provenance', async () => {
    const result = await read('full.tif', full);
    expect(result.embeddings.dim).toBe(DIM);
    expect(compare(result.embeddings, emb)).toEqual({ maxDiff: 0, validityDiffers: 0 });
    expect(result.bandNames).toEqual(Array.from({ length: DIM }, (_, d) => `dim_${d}`));
    expect(result.label).toBe('synthetic');
    expect(result.sources).toEqual([`${server.url}/full.tif`]);
    expect(result.embeddings.georef).toEqual({ epsg: 32632, transform: full.transform });
  });

  it('de-quantises an int8 export with its SCALE/OFFSET (error within half a step)', async () => {
    const result = await read('full8.tif', full);
    const { maxDiff, validityDiffers } = compare(result.embeddings, emb);
    expect(validityDiffers).toBe(0);
    expect(maxDiff).toBeLessThanOrEqual(0.5 / 127 + 1e-6);
  });

  it('a window fetches only the tiles it touches (bytes <= 1.1 x header + those tiles)', async () => {
    const tiff = await fromArrayBuffer(bigBytes.slice().buffer);
    const image = await tiff.getImage(0);
    const counts = Array.from((await image.fileDirectory.loadValue('TileByteCounts')) as ArrayLike<number>);
    const tilesPerBand = Math.ceil(1100 / 512) * Math.ceil(600 / 512);
    // A 100 x 80 px area inside the first 512 px tile of every band.
    const area = cut(big, syntheticEmbeddings(big, 4), [20, 30, 120, 110]);
    server.log.length = 0;
    const result = await read('big.tif', area.grid);
    const touched = [0, 1, 2, 3].reduce((n, band) => n + counts[band * tilesPerBand]!, 0);
    const budget = 1.1 * (16 * 1024 + touched);
    expect(result.fetched.bytes).toBeLessThanOrEqual(budget);
    expect(server.bytesSent('/big.tif')).toBeLessThanOrEqual(budget);
    // The first tile of each band holds 40 % of the file's pixels; the rest is never fetched.
    expect(server.bytesSent('/big.tif')).toBeLessThan(bigBytes.length / 2);
    expect(compare(result.embeddings, area.embeddings)).toEqual({ maxDiff: 0, validityDiffers: 0 });
  });

  it('a coarse grid is read from an overview, fetching fewer bytes than full resolution', async () => {
    server.log.length = 0;
    await read('big.tif', big);
    const fullBytes = server.bytesSent('/big.tif');
    server.log.length = 0;
    const coarse: GridSpec = {
      ...big,
      width: 275,
      height: 150,
      transform: { ...big.transform, resX: 40, resY: 40 },
    };
    const result = await read('big.tif', coarse);
    expect(result.embeddings.width).toBe(275);
    expect(server.bytesSent('/big.tif')).toBeLessThan(fullBytes / 4);
  });
});

describe('collection family: a STAC ItemCollection of tiles', () => {
  it('a grid across two tiles equals the single-file read: no seam', async () => {
    // 200 columns straddling the tile edge at column 300, rows 50..250.
    const across = cut(full, emb, [200, 50, 400, 250]);
    const tiles = await read('tiles.json', across.grid);
    const single = await read('full.tif', across.grid);
    expect(compare(tiles.embeddings, single.embeddings)).toEqual({ maxDiff: 0, validityDiffers: 0 });
    expect(compare(tiles.embeddings, across.embeddings)).toEqual({ maxDiff: 0, validityDiffers: 0 });
    expect(tiles.sources.map((s) => s.split('/').pop())).toEqual(['west.tif', 'east.tif']);
  });

  it('estimates before loading: pixels, dimension, files, a byte bound, the years', async () => {
    const across = cut(full, emb, [200, 50, 400, 250]);
    const est = await collectionProduct.estimate({
      family: 'collection',
      baseUrl: `${server.url}/tiles.json`,
      grid: across.grid,
    });
    expect(est).toMatchObject({ pixels: 200 * 200, dim: DIM, files: 2, years: [2022] });
    const read = await collectionProduct.read({
      family: 'collection',
      baseUrl: `${server.url}/tiles.json`,
      grid: across.grid,
    });
    expect(read.fetched.bytes).toBeLessThanOrEqual(est.bytes);
  });

  it("its native grid for an area is the tiles' own pixel lattice", async () => {
    const grid = await collectionProduct.nativeGrid!({
      family: 'collection',
      baseUrl: `${server.url}/tiles.json`,
      area: undefined,
    });
    expect(grid).toEqual(full);
  });

  it('picks the items of the year asked, and names the years it has otherwise', async () => {
    const west = cut(full, emb, [0, 0, 300, 300]);
    const y2022 = await read('years.json', west.grid, 2022);
    const east = cut(full, emb, [300, 0, 600, 300]).embeddings;
    expect(compare(y2022.embeddings, east).maxDiff).toBe(0);
    expect(y2022.label).toBe('synthetic 2022');
    await expect(read('years.json', west.grid, 2019)).rejects.toThrow(
      'no embeddings for 2019; it has 2021, 2022',
    );
  });
});

describe('collection family: bad inputs get clear messages', () => {
  const grid = cut(full, emb, [200, 50, 400, 250]).grid;
  it.each([
    ['B04.tif', 'is not an embeddings file: it has 1 band'],
    ['mixed-dims.json', 'mixes embeddings of different sizes'],
    ['mixed-models.json', 'mixes models'],
    ['missing.json', 'The embeddings file of "east" is missing or unreadable'],
    ['empty.json', 'is empty: it lists no items'],
    ['not-stac.json', 'is not an embedding collection'],
    ['nowhere.json', 'There is no embedding collection at'],
  ])('%s', async (file, message) => {
    await expect(read(file, grid)).rejects.toThrow(message);
  });

  it('an area the collection does not cover', async () => {
    await expect(read('tiles.json', utm32Grid(10, 10, 100000, 100000))).rejects.toThrow(
      'cover the chosen area',
    );
  });
});

describe('collection family: several years, none asked', () => {
  it('reads the latest year only (tiles of several years would be mixed)', async () => {
    const west = cut(full, emb, [0, 0, 300, 300]);
    const latest = await read('years.json', west.grid);
    expect(latest.label).toBe('synthetic 2022');
    expect(latest.sources.map((s) => s.split('/').pop())).toEqual(['west-2022.tif']);
    const est = await collectionProduct.estimate({
      family: 'collection',
      baseUrl: `${server.url}/years.json`,
      grid: west.grid,
    });
    expect(est).toMatchObject({ files: 1, years: [2021, 2022] });
  });
});
