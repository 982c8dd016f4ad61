import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fromFile } from 'geotiff';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  build29RkhPack,
  buildDolomitesPack,
  DEFAULT_DATA_DIR,
  DOLOMITES_DIR,
  RKH_DIR,
} from '../../scripts/pack-demo.ts';
import { startStaticServer } from '../../server/static-server.ts';
import { createReadContext } from '../../src/lib/cog/index.ts';
import { AppError } from '../../src/lib/errors.ts';
import { type BBox, gridBounds, transformBBox } from '../../src/lib/geo/index.ts';
import { loadItemScene } from '../../src/lib/scene/load-item.ts';
import {
  checkLoadResolution,
  type LoadResolution,
  loadLattice,
} from '../../src/lib/scene/load-resolution.ts';
import { loadScene } from '../../src/lib/scene/load-scene.ts';
import { packExtent } from '../../src/lib/scene/pack-extent.ts';
import type { Scene } from '../../src/lib/scene/scene.ts';
import type { SceneItem } from '../../src/lib/stac/index.ts';
import { parseItemCollection } from '../../src/lib/stac/index.ts';
import { planLoad } from '../../src/lib/state/index.ts';
import { CogServer } from '../cog/cog-server.ts';

const hasData =
  existsSync(path.join(DEFAULT_DATA_DIR, DOLOMITES_DIR)) && existsSync(path.join(DEFAULT_DATA_DIR, RKH_DIR));
if (!hasData)
  console.warn(`load-resolution tests skipped: real Sentinel-2 data not found under ${DEFAULT_DATA_DIR}`);

/** One image (0 = full resolution, 1.. = overviews) of a GeoTIFF on disk, read with geotiff.js. */
async function readLevel(file: string, level: number): Promise<ArrayLike<number>> {
  const tiff = await fromFile(file);
  try {
    const rasters = await (await tiff.getImage(level)).readRasters({ interleave: true });
    return rasters as unknown as ArrayLike<number>;
  } finally {
    tiff.close();
  }
}

describe('load resolution: validation and lattices', () => {
  it('accepts 10, 20, 40, 80 and 160 m and refuses anything else with a clear message', () => {
    for (const r of [10, 20, 40, 80, 160]) expect(checkLoadResolution(r)).toBe(r);
    for (const bad of [30, 0, -10, 15.5, Number.NaN, '40', undefined]) {
      expect(() => checkLoadResolution(bad)).toThrow(AppError);
      expect(() => checkLoadResolution(bad)).toThrow(/load resolution must be 10, 20, 40, 80 or 160 metres/);
    }
  });

  it('never loads finer than the data, and refuses a metric size on a grid in degrees', () => {
    const native = {
      epsg: 32629,
      transform: { originX: 0, originY: 0, resX: 100, resY: 100 },
      width: 10,
      height: 10,
    };
    expect(loadLattice([native], 40)).toBe(native);
    const degrees = { ...native, epsg: 4326, transform: { ...native.transform, resX: 1e-4, resY: 1e-4 } };
    expect(() => loadLattice([degrees], 40)).toThrow(/needs a grid in metres/);
    expect(loadLattice([degrees], 10)).toBe(degrees);
  });
});

describe.skipIf(!hasData)('loading packs at a coarser resolution, over HTTP ranges (real data)', () => {
  const server = new CogServer();
  let dir = '';
  let dolomites: SceneItem;
  let rkh: SceneItem;
  let full: Scene;
  let coarse: Scene;

  /** Serves a built pack's files and parses its catalog against the server's URL. */
  async function servePack(name: string): Promise<SceneItem> {
    const packDir = path.join(dir, name);
    for (const file of await readdir(packDir)) {
      server.files.set(`/${name}/${file}`, {
        bytes: new Uint8Array(await readFile(path.join(packDir, file))),
        behaviour: 'range',
      });
    }
    const json: unknown = JSON.parse(await readFile(path.join(packDir, 'catalog.json'), 'utf8'));
    const { items } = parseItemCollection(json, `${server.url}/${name}/catalog.json`, name);
    return items[0]!;
  }

  const load = (item: SceneItem, resolutionM: LoadResolution, area?: BBox) =>
    loadItemScene(item, 'pack', area, () => undefined, { resolutionM, ctx: createReadContext() });

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'load-resolution-'));
    await buildDolomitesPack(DEFAULT_DATA_DIR, path.join(dir, 'dolomites'));
    await build29RkhPack(DEFAULT_DATA_DIR, path.join(dir, 'rkh'));
    await server.start();
    dolomites = await servePack('dolomites');
    rkh = await servePack('rkh');
    full = await load(dolomites, 10);
    coarse = await load(dolomites, 40);
  });

  afterAll(async () => {
    await server.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  beforeEach(() => server.reset());

  it('at 40 m the Dolomites fetch a fraction of the bytes of 10 m', () => {
    const bytes10 = full.stats!.bytes;
    const bytes40 = coarse.stats!.bytes;
    console.info(
      `Dolomites pack, 4 bands: 10 m ${bytes10} bytes in ${full.stats!.requests} requests; 40 m ${bytes40} bytes in ${coarse.stats!.requests} requests`,
    );
    // 40 m pixels are 1/16 of the 10 m ones; headers and tile indexes are read either way.
    expect(bytes40).toBeLessThan(bytes10 / 8);
    expect(coarse.stats!.requests).toBeLessThanOrEqual(full.stats!.requests);
  });

  it('the 40 m grid is the overview lattice over the same area, 1/16 of the pixels', () => {
    expect(full.grid).toEqual({
      width: 1059,
      height: 934,
      epsg: 32632,
      transform: { originX: 740350, originY: 5168160, resX: 10, resY: 10 },
    });
    // The overview is 265 x 234 (sizes rounded up), spread over the full image's extent.
    expect(coarse.grid.width).toBe(265);
    expect(coarse.grid.height).toBe(234);
    expect(coarse.grid.epsg).toBe(32632);
    expect(coarse.grid.transform.resX).toBeCloseTo(40, 0);
    expect(coarse.grid.transform.resY).toBeCloseTo(40, 0);
    const a = gridBounds(full.grid);
    const b = gridBounds(coarse.grid);
    for (let i = 0; i < 4; i++) expect(b[i]).toBeCloseTo(a[i]!, 6);
  });

  it('40 m pixels are the stored overview, and the mean of the 4 x 4 blocks of 10 m pixels', async () => {
    const { width, height } = coarse.grid;
    for (const [band, file] of [
      ['red', 'B04.tif'],
      ['nir', 'B08.tif'],
    ] as const) {
      const values = coarse.reflectance[coarse.bands.indexOf(band)]!;
      const fine = full.reflectance[full.bands.indexOf(band)]!;
      const overview = await readLevel(path.join(dir, 'dolomites', file), 2);
      expect(overview.length).toBe(width * height);
      // DN with the +1000 offset: reflectance = DN * 1e-4 - 0.1, to float32 precision.
      let off = 0;
      for (let i = 0; i < values.length; i++)
        off = Math.max(off, Math.abs(values[i]! - (overview[i]! * 1e-4 - 0.1)));
      expect(off).toBeLessThan(1e-6);
      // Whole blocks (the last row and column cover part of a block): two 2x2 averages,
      // each rounded to a whole DN, differ from the 16-pixel mean by at most 1 DN.
      let worst = 0;
      for (let row = 0; row < Math.floor(934 / 4); row++) {
        for (let col = 0; col < Math.floor(1059 / 4); col++) {
          let sum = 0;
          for (let dy = 0; dy < 4; dy++)
            for (let dx = 0; dx < 4; dx++) sum += fine[(row * 4 + dy) * 1059 + col * 4 + dx]!;
          worst = Math.max(worst, Math.abs(values[row * width + col]! - sum / 16));
        }
      }
      expect(worst).toBeLessThanOrEqual(1e-4 + 1e-6);
    }
  });

  it('an area cut at 40 m lies on the 40 m lattice and covers the area, as the cut at 10 m does', async () => {
    // A 1 km square 3 km east and 2 km south of the scene's corner, as a WGS84 bbox.
    const area = transformBBox([743350, 5165160, 744350, 5166160], 32632, 4326);
    const [ax0, ay0, ax1, ay1] = transformBBox(area, 4326, 32632);
    const fine = await load(dolomites, 10, area);
    const cut = await load(dolomites, 40, area);
    const t = cut.grid.transform;
    const col0 = (t.originX - 740350) / t.resX;
    const row0 = (5168160 - t.originY) / t.resY;
    expect(Math.abs(col0 - Math.round(col0))).toBeLessThan(1e-6);
    expect(Math.abs(row0 - Math.round(row0))).toBeLessThan(1e-6);
    // Both are snapped outwards on their own lattice: each holds the area, by less than one
    // of its pixels on each side.
    for (const grid of [fine.grid, cut.grid]) {
      const [x0, y0, x1, y1] = gridBounds(grid);
      const margins = [ax0 - x0, ay0 - y0, x1 - ax1, y1 - ay1];
      for (const m of margins) {
        expect(m).toBeGreaterThanOrEqual(-1e-6);
        expect(m).toBeLessThan(grid.transform.resX);
      }
    }
    expect(cut.grid.width * cut.grid.height).toBeLessThan((fine.grid.width * fine.grid.height) / 10);
    // The same pixels as the whole scene at 40 m.
    const red = cut.reflectance[cut.bands.indexOf('red')]!;
    const whole = coarse.reflectance[coarse.bands.indexOf('red')]!;
    for (let row = 0; row < cut.grid.height; row++)
      for (let col = 0; col < cut.grid.width; col++)
        expect(red[row * cut.grid.width + col]).toBe(
          whole[(Math.round(row0) + row) * 265 + Math.round(col0) + col],
        );
  });

  it('without an overview of that size (80 m) it resamples onto an exact 80 m lattice', async () => {
    const scene = await load(dolomites, 80);
    expect(scene.grid.transform).toEqual({ originX: 740350, originY: 5168160, resX: 80, resY: 80 });
    expect(scene.grid.width).toBe(Math.ceil(10590 / 80));
    expect(scene.grid.height).toBe(Math.ceil(9340 / 80));
    // Read from the 40 m overview, not the 10 m image.
    expect(scene.stats!.bytes).toBeLessThan(full.stats!.bytes / 8);
  });

  it('29RKH (100 m pixels): 40 m keeps its own grid; 160 m is coarser, with the SCL mask', async () => {
    const native = await load(rkh, 40);
    expect(native.grid.transform).toEqual({ originX: 199980, originY: 2800020, resX: 100, resY: 100 });
    expect(native.grid.width).toBe(1098);
    const coarser = await load(rkh, 160);
    expect(coarser.grid.transform).toEqual({ originX: 199980, originY: 2800020, resX: 160, resY: 160 });
    expect(coarser.grid.width).toBe(Math.ceil(109800 / 160));
    expect(coarser.grid.height).toBe(Math.ceil(109800 / 160));
    expect(coarser.maskDescription).toContain('SCL');
    expect(coarser.validFraction).toBeCloseTo(native.validFraction, 1);
  });

  it('a bad load resolution is refused before anything is fetched', async () => {
    const catalogUrl = `${server.url}/dolomites/catalog.json`;
    const error = await loadScene(
      { kind: 'pack', catalogUrl, resolutionM: Number('30') as LoadResolution },
      () => undefined,
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('bad-input');
    expect((error as AppError).message).toContain('got 30');
    expect(server.log).toEqual([]);
  });

  it("a pack's extent: its scene's footprint and pixel size, for the whole-pack estimate", async () => {
    const { server: app, url } = await startStaticServer({
      mounts: [{ prefix: '/packs/', dir }],
      packsDir: dir,
    });
    try {
      const extent = await packExtent(`${url}/packs/dolomites/catalog.json`);
      expect(extent.pixelM).toBe(10);
      // 1059 x 934 pixels of 10 m (UTM's scale is within 0.1% of 1 there).
      expect(extent.areaKm2! / ((1059 * 934) / 1e4)).toBeCloseTo(1, 2);
      // The estimate of the whole pack at 40 m is the grid a load at 40 m gets, to 1%.
      const planned = planLoad(extent, extent.pixelM, 40).estimate.pixels;
      expect(Math.abs(planned / (265 * 234) - 1)).toBeLessThan(0.01);
      expect((await packExtent(`${url}/packs/rkh/catalog.json`)).pixelM).toBe(100);
    } finally {
      app.closeAllConnections();
      await new Promise<void>((resolve) => app.close(() => resolve()));
    }
  });
});
