import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmbeddingGrid } from '../../src/lib/embeddings/index.ts';
import type { GridSpec } from '../../src/lib/geo/index.ts';
import { converter, transformBBox } from '../../src/lib/geo/index.ts';
import { collectionProduct } from '../../src/lib/precomputed/collection/index.ts';
import { DirServer } from './dir-server.ts';
import { tempDir, writeCollection, writeEmbeddings } from './fixtures.ts';

/**
 * A collection whose tiles lie in two UTM zones (32N west of 12°E, 33N east of it), read onto
 * one grid of zone 32N across the boundary: every pixel is filled (no gap at the seam) and
 * each carries the embedding of the place it covers, whichever zone's tile holds it.
 */
const dir = tempDir('zones');
const server = new DirServer(dir);
const DIM = 4;

/** Embeddings as a smooth function of the place: a pixel read from the wrong place shows. */
function field(lon: number, lat: number): number[] {
  const a = lon * 200;
  const b = lat * 200;
  return [Math.cos(a), Math.sin(a), Math.cos(b), Math.sin(b)].map((v) => v / Math.SQRT2);
}

/** A 10 m grid of `epsg` over a WGS84 box, its pixels filled where `keep(lon)` holds. */
function tile(epsg: number, box: [number, number, number, number], keep: (lon: number) => boolean) {
  const [minX, minY, maxX, maxY] = transformBBox(box, 4326, epsg);
  const originX = Math.floor(minX / 10) * 10;
  const originY = Math.ceil(maxY / 10) * 10;
  const grid: GridSpec = {
    width: Math.ceil((maxX - originX) / 10),
    height: Math.ceil((originY - minY) / 10),
    epsg,
    transform: { originX, originY, resX: 10, resY: 10 },
  };
  const toWgs = converter(epsg, 4326);
  const data = new Float32Array(grid.width * grid.height * DIM);
  const valid = new Uint8Array(grid.width * grid.height);
  for (let r = 0; r < grid.height; r++)
    for (let c = 0; c < grid.width; c++) {
      const [lon, lat] = toWgs([originX + (c + 0.5) * 10, originY - (r + 0.5) * 10]);
      if (!keep(lon)) continue;
      const p = r * grid.width + c;
      valid[p] = 1;
      data.set(field(lon, lat), p * DIM);
    }
  return { grid, embeddings: createEmbeddingGrid(grid.width, grid.height, DIM, data, valid) };
}

beforeAll(async () => {
  // Zone tiles overlap a little at the boundary (as published zone tiles do); nodata beyond.
  const west = tile(32632, [11.97, 46.49, 12.0005, 46.53], (lon) => lon < 12.0003);
  const east = tile(32633, [11.9995, 46.49, 12.03, 46.53], (lon) => lon >= 11.9997);
  writeEmbeddings(dir, 'w32.tif', west.grid, west.embeddings);
  writeEmbeddings(dir, 'e33.tif', east.grid, east.embeddings);
  writeCollection(dir, 'zones.json', [
    { id: 'w32', href: 'w32.tif', grid: west.grid, dim: DIM },
    { id: 'e33', href: 'e33.tif', grid: east.grid, dim: DIM },
  ]);
  await server.start();
});

afterAll(() => server.stop());

describe('collection family across UTM zones', () => {
  it('fills a 32N grid across 12°E from both zones, each pixel from the place it covers', async () => {
    const [minX, minY, maxX, maxY] = transformBBox([11.99, 46.5, 12.01, 46.52], 4326, 32632);
    const originX = Math.floor(minX / 10) * 10;
    const originY = Math.ceil(maxY / 10) * 10;
    const grid: GridSpec = {
      width: Math.ceil((maxX - originX) / 10),
      height: Math.ceil((originY - minY) / 10),
      epsg: 32632,
      transform: { originX, originY, resX: 10, resY: 10 },
    };
    const result = await collectionProduct.read({
      family: 'collection',
      baseUrl: `${server.url}/zones.json`,
      grid,
    });
    const e = result.embeddings;
    const toWgs = converter(32632, 4326);
    let east = 0;
    let worst = 0;
    for (let r = 0; r < grid.height; r++)
      for (let c = 0; c < grid.width; c++) {
        const p = r * grid.width + c;
        expect(e.valid[p], `pixel ${c},${r}`).toBe(1);
        const [lon, lat] = toWgs([originX + (c + 0.5) * 10, originY - (r + 0.5) * 10]);
        if (lon >= 12) east++;
        const want = field(lon, lat);
        for (let d = 0; d < DIM; d++) worst = Math.max(worst, Math.abs(e.data[p * DIM + d]! - want[d]!));
      }
    // Nearest resampling moves a value at most ~7 m (half a pixel's diagonal): 0.02 of this field.
    expect(worst).toBeLessThan(0.03);
    expect(east).toBeGreaterThan(grid.width * grid.height * 0.3);
    expect(result.sources.map((s) => s.split('/').pop())).toEqual(['w32.tif', 'e33.tif']);
  });
});
