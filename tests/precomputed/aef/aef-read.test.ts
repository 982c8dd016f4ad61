import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FEATURE_VECTOR, fieldAt, quantise } from '../../../scripts/aef-fixture/aef-field.ts';
import { BOUNDARY_LON, type FixtureTile } from '../../../scripts/aef-fixture/build-aef-fixture.ts';
import type { EmbeddingGrid } from '../../../src/lib/embeddings/index.ts';
import type { GridSpec } from '../../../src/lib/geo/index.ts';
import { converter } from '../../../src/lib/geo/index.ts';
import { AEF_DIM, aefProduct, dequantise } from '../../../src/lib/precomputed/aef/index.ts';
import { type ServedFixture, serveAefFixture } from './aef-server.ts';

let served: ServedFixture;
beforeAll(async () => {
  served = await serveAefFixture();
}, 600_000);
afterAll(() => served?.close());

const read = (grid: GridSpec, year = 2022, fetch?: typeof globalThis.fetch) =>
  aefProduct.read({ family: 'aef', baseUrl: served.base, year, grid }, fetch ? { fetch } : {});

function tile(zone: string, row: number, col: number): FixtureTile {
  return served.fx.tiles.find((t) => t.zone === zone && t.row === row && t.col === col)!;
}

/** The 10 m grid of one whole fixture tile, in its own CRS. */
function tileGrid(t: FixtureTile): GridSpec {
  const { size, res } = served.fx;
  return {
    width: size,
    height: size,
    epsg: t.epsg,
    transform: { originX: t.west, originY: t.north, resX: res, resY: res },
  };
}

function vectorAt(e: EmbeddingGrid, col: number, row: number): Float32Array {
  const p = row * e.width + col;
  return e.data.slice(p * AEF_DIM, (p + 1) * AEF_DIM);
}

/** The target pixel (col, row) holding a WGS84 point. */
function pixelOf(grid: GridSpec, lon: number, lat: number): [number, number] {
  const [x, y] = converter(4326, grid.epsg)([lon, lat]);
  return [
    Math.floor((x - grid.transform.originX) / grid.transform.resX),
    Math.floor((grid.transform.originY - y) / grid.transform.resY),
  ];
}

const FEATURE = Float32Array.from(FEATURE_VECTOR, (x) => dequantise(quantise(x)));

describe('AlphaEarth read: placement, values, flip', () => {
  it('puts a known feature where it is: the bottom-up rows are flipped', async () => {
    const t = tile('32N', 0, 0);
    const grid = tileGrid(t);
    const { embeddings, label, bandNames, sources } = await read(grid);
    expect(label).toBe('AlphaEarth 2022');
    expect(bandNames.slice(0, 2)).toEqual(['A00', 'A01']);
    expect(bandNames).toHaveLength(64);
    expect(sources).toEqual([`${served.base}/2022/32N/${t.file}`]);
    const [lon, lat] = served.fx.features[0]!;
    const [col, row] = pixelOf(grid, lon, lat);
    // The feature sits 305 m below the tile's north edge: row 30, near the top.
    expect(row).toBe(30);
    expect(Array.from(vectorAt(embeddings, col, row))).toEqual(Array.from(FEATURE));
    // Its mirror image (where an unflipped read would put it) is ordinary land.
    expect(vectorAt(embeddings, col, grid.height - 1 - row)[0]).not.toBeCloseTo(FEATURE[0]!, 3);
  }, 120_000);

  it("de-quantises every pixel to the product's value (10 m grid on the tile's own lattice)", async () => {
    const t = tile('32N', 1, 1);
    const grid = { ...tileGrid(t), width: 120, height: 90 };
    const { embeddings } = await read(grid, 2021);
    const toLonLat = converter(t.epsg, 4326);
    const v = new Float64Array(AEF_DIM);
    let compared = 0;
    for (let row = 0; row < grid.height; row += 7) {
      for (let col = 0; col < grid.width; col += 5) {
        const [lon, lat] = toLonLat([t.west + (col + 0.5) * 10, t.north - (row + 0.5) * 10]);
        if (lon >= BOUNDARY_LON) continue;
        fieldAt(served.fx.field, lon, lat, 2021, v);
        expect(embeddings.valid[row * grid.width + col]).toBe(1);
        expect(Array.from(vectorAt(embeddings, col, row))).toEqual(
          Array.from(v, (x) => Math.fround(dequantise(quantise(x)))),
        );
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(100);
  }, 120_000);

  it('marks masked pixels and pixels outside every tile invalid', async () => {
    const [w, s, e, n] = served.fx.mask.box;
    const t = tile('32N', 0, 0);
    const grid: GridSpec = { ...tileGrid(t), width: 512, height: 1200 };
    const { embeddings } = await read(grid);
    const [mc, mr] = pixelOf(grid, (w + e) / 2, (s + n) / 2);
    expect(embeddings.valid[mr * grid.width + mc]).toBe(0);
    expect(Array.from(vectorAt(embeddings, mc, mr)).every((x) => x === 0)).toBe(true);
    // Rows 1024.. lie south of both tile rows: no file covers them.
    expect(embeddings.valid.subarray(1024 * 512).every((x) => x === 0)).toBe(true);
    expect(embeddings.valid[10 * 512 + 10]).toBe(1);
  }, 120_000);

  it('changes between the two years where the fixture changes', async () => {
    const t = tile('32N', 1, 0);
    const grid = tileGrid(t);
    const [a, b] = [await read(grid, 2021), await read(grid, 2022)];
    const [w, s, e, n] = served.fx.field.change.box;
    const [cc, cr] = pixelOf(grid, (w + e) / 2, (s + n) / 2);
    const dot = (x: Float32Array, y: Float32Array) => x.reduce((acc, xi, i) => acc + xi * y[i]!, 0);
    expect(dot(vectorAt(a.embeddings, cc, cr), vectorAt(b.embeddings, cc, cr))).toBeLessThan(0.9);
    expect(dot(vectorAt(a.embeddings, 5, 5), vectorAt(b.embeddings, 5, 5))).toBeGreaterThan(0.999);
  }, 120_000);
});

describe('AlphaEarth read: mosaics across tiles and UTM zones', () => {
  /** A grid in zone 32 crossing the tile row boundary and the 12°E zone boundary. */
  function straddling(): GridSpec {
    const t = tile('32N', 0, 1);
    const span = served.fx.size * served.fx.res;
    // 12°E lies ~3.2 km east of this origin; the zone-33 tiles reach ~1.6 km further.
    return {
      width: 300,
      height: 300,
      epsg: 32632,
      transform: { originX: t.west + 1500, originY: t.north - span + 1500, resX: 10, resY: 10 },
    };
  }

  function part(grid: GridSpec, c0: number, r0: number, c1: number, r1: number): GridSpec {
    const t = grid.transform;
    return {
      width: c1 - c0,
      height: r1 - r0,
      epsg: grid.epsg,
      transform: { ...t, originX: t.originX + c0 * t.resX, originY: t.originY - r0 * t.resY },
    };
  }

  it('a grid straddling two tiles and two zones equals reading each part alone, with no seam', async () => {
    const grid = straddling();
    const whole = await read(grid);
    expect(whole.sources.some((s) => s.includes('/32N/'))).toBe(true);
    expect(whole.sources.some((s) => s.includes('/33N/'))).toBe(true);
    const [sc, sr] = [173, 141];
    const quarters: [number, number, number, number][] = [
      [0, 0, sc, sr],
      [sc, 0, grid.width, sr],
      [0, sr, sc, grid.height],
      [sc, sr, grid.width, grid.height],
    ];
    for (const [c0, r0, c1, r1] of quarters) {
      const alone = (await read(part(grid, c0, r0, c1, r1))).embeddings;
      for (let r = r0; r < r1; r++) {
        const a = whole.embeddings.data.subarray(
          (r * grid.width + c0) * AEF_DIM,
          (r * grid.width + c1) * AEF_DIM,
        );
        const b = alone.data.subarray((r - r0) * alone.width * AEF_DIM, (r - r0 + 1) * alone.width * AEF_DIM);
        expect(
          Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(
            Buffer.from(b.buffer, b.byteOffset, b.byteLength),
          ),
        ).toBe(true);
        expect(Array.from(whole.embeddings.valid.subarray(r * grid.width + c0, r * grid.width + c1))).toEqual(
          Array.from(alone.valid.subarray((r - r0) * alone.width, (r - r0 + 1) * alone.width)),
        );
      }
    }
    // Seams invisible: every pixel is filled, across the tile row boundary and the zone boundary.
    expect(whole.embeddings.valid.every((v) => v === 1)).toBe(true);
  }, 300_000);

  it("places the other zone's feature where it is (reprojected, nearest)", async () => {
    const [lon, lat] = served.fx.features[1]!;
    const [x, y] = converter(4326, 32632)([lon, lat]);
    const wide: GridSpec = {
      width: 200,
      height: 200,
      epsg: 32632,
      transform: { originX: Math.round(x) - 1000, originY: Math.round(y) + 1000, resX: 10, resY: 10 },
    };
    const { embeddings } = await read(wide);
    const [col, row] = pixelOf(wide, lon, lat);
    expect(Array.from(vectorAt(embeddings, col, row))).toEqual(Array.from(FEATURE));
    expect(vectorAt(embeddings, col, row + 8)[0]).not.toBeCloseTo(FEATURE[0]!, 3);
  }, 120_000);

  it('reads coarse grids from the overviews: fewer bytes, the same places', async () => {
    const t = tile('32N', 0, 0);
    const fine = tileGrid(t);
    const coarse: GridSpec = {
      ...fine,
      width: 64,
      height: 64,
      transform: { ...fine.transform, resX: 80, resY: 80 },
    };
    const [f, c] = [await read(fine), await read(coarse)];
    expect(c.fetched.bytes * 5).toBeLessThan(f.fetched.bytes);
    let agree = 0;
    let compared = 0;
    for (let row = 1; row < 63; row += 3) {
      for (let col = 1; col < 63; col += 3) {
        if (!c.embeddings.valid[row * 64 + col]) continue;
        const mean = new Float64Array(AEF_DIM);
        for (let y = 0; y < 8; y++)
          for (let x = 0; x < 8; x++)
            vectorAt(f.embeddings, col * 8 + x, row * 8 + y).forEach((v, d) => {
              mean[d] = mean[d]! + v;
            });
        const n = Math.hypot(...mean);
        const cos = vectorAt(c.embeddings, col, row).reduce((acc, v, d) => acc + (v * mean[d]!) / n, 0);
        compared++;
        if (cos > 0.97) agree++;
      }
    }
    expect(compared).toBeGreaterThan(300);
    expect(agree / compared).toBeGreaterThan(0.98);
  }, 120_000);
});
