import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
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
import { AppError } from '../../src/lib/errors.ts';
import { gridCornersWgs84, pixelToCrs, transformBBox } from '../../src/lib/geo/index.ts';
import { DEFAULT_SCL_MASK } from '../../src/lib/scene/l2a.ts';
import { loadScene } from '../../src/lib/scene/load-scene.ts';
import type { Scene, SceneProgress } from '../../src/lib/scene/scene.ts';

const hasData =
  existsSync(path.join(DEFAULT_DATA_DIR, DOLOMITES_DIR)) && existsSync(path.join(DEFAULT_DATA_DIR, RKH_DIR));
if (!hasData)
  console.warn(`load-pack tests skipped: real Sentinel-2 data not found under ${DEFAULT_DATA_DIR}`);

interface Logged {
  method: string;
  url: string;
  range: string | undefined;
  status: number;
  bytes: number;
}

/** Window of one band of a GeoTIFF on disk, read directly with geotiff.js. */
async function readWindow(
  file: string,
  window: [number, number, number, number],
): Promise<ArrayLike<number>> {
  const tiff = await fromFile(file);
  try {
    const rasters = await (await tiff.getImage()).readRasters({ window, interleave: true });
    return rasters as unknown as ArrayLike<number>;
  } finally {
    tiff.close();
  }
}

async function failure(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected loadScene to fail');
}

describe.skipIf(!hasData)('loadScene from offline packs over HTTP (real data)', () => {
  let dir = '';
  let server: Server;
  let base = '';
  const log: Logged[] = [];
  /** Called with each request as it arrives (the abort test uses it). */
  let onRequest: ((url: string) => void) | undefined;
  const progress: SceneProgress[] = [];
  const onProgress = (p: SceneProgress) => progress.push(p);
  let dolomites: Scene;
  const dolomitesSrc = path.join(DEFAULT_DATA_DIR, DOLOMITES_DIR);
  const rkhSrc = path.join(DEFAULT_DATA_DIR, RKH_DIR);

  const tifRequests = () => log.filter((l) => l.url.endsWith('.tif'));
  const tifBytes = () => tifRequests().reduce((sum, l) => sum + l.bytes, 0);

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'load-pack-'));
    await buildDolomitesPack(DEFAULT_DATA_DIR, path.join(dir, 'dolomites-2022-06'));
    await build29RkhPack(DEFAULT_DATA_DIR, path.join(dir, 's2-29rkh-2020-02'));
    ({ server, url: base } = await startStaticServer({
      mounts: [{ prefix: '/packs/', dir }],
      packsDir: dir,
    }));
    server.on('request', (req, res) => {
      const entry: Logged = {
        method: req.method ?? '',
        url: req.url ?? '',
        range: req.headers.range,
        status: 0,
        bytes: 0,
      };
      log.push(entry);
      onRequest?.(entry.url);
      res.on('finish', () => {
        entry.status = res.statusCode;
        entry.bytes = Number(res.getHeader('content-length') ?? 0);
      });
    });
  });

  afterAll(async () => {
    if (server) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  beforeEach(() => {
    log.length = 0;
    progress.length = 0;
    onRequest = undefined;
  });

  /** The full Dolomites scene, with the requests and progress of loading it (shared by two tests). */
  let dolomitesLog: Logged[] = [];
  let dolomitesProgress: SceneProgress[] = [];
  beforeAll(async () => {
    log.length = 0;
    progress.length = 0;
    dolomites = await loadScene(
      { kind: 'pack', catalogUrl: `${base}/packs/dolomites-2022-06/catalog.json` },
      onProgress,
    );
    dolomitesLog = [...log];
    dolomitesProgress = [...progress];
  });

  it('dolomites: full grid, placed over Cortina, reflectance = (DN - 1000) / 10000, by range requests', async () => {
    expect(dolomites.source).toBe('pack');
    expect(dolomites.id).toBe('dolomites-2022-06');
    expect(dolomites.grid).toEqual({
      width: 1059,
      height: 934,
      epsg: 32632,
      transform: { originX: 740350, originY: 5168160, resX: 10, resY: 10 },
    });
    expect(dolomites.bands).toEqual(['blue', 'green', 'red', 'nir']);
    expect(dolomites.reflectance).toHaveLength(4);
    for (const band of dolomites.reflectance) expect(band).toHaveLength(1059 * 934);

    // Cortina d'Ampezzo (12.14 E, 46.54 N) lies inside the scene.
    const corners = gridCornersWgs84(dolomites.grid);
    const lons = corners.map((c) => c[0]);
    const lats = corners.map((c) => c[1]);
    expect(Math.min(...lons)).toBeLessThan(12.14);
    expect(Math.max(...lons)).toBeGreaterThan(12.14);
    expect(Math.min(...lats)).toBeLessThan(46.54);
    expect(Math.max(...lats)).toBeGreaterThan(46.54);

    expect(dolomites.validFraction).toBe(1);
    expect(dolomites.valid.every((v) => v === 1)).toBe(true);
    expect(dolomites.maskDescription).toContain('no SCL');

    // Pixels against the source Float32 DN file: the pack stores rounded UInt16 DN with
    // scale 1e-4 and offset -0.1, so reflectance is (DN - 1000) / 10000 to half a DN.
    const red = dolomites.reflectance[dolomites.bands.indexOf('red')]!;
    const source = await readWindow(path.join(dolomitesSrc, 'sentinel.dolomites.b4.tif'), [0, 0, 1059, 934]);
    for (const [col, row] of [
      [0, 0],
      [1058, 933],
      [530, 467],
      [17, 901],
      [1000, 3],
      [333, 222],
    ] as const) {
      const i = row * 1059 + col;
      const dn = source[i]!;
      expect(Math.abs(red[i]! - (dn - 1000) / 10000)).toBeLessThan(0.5e-4 + 1e-6);
    }
    let maxError = 0;
    for (let i = 0; i < red.length; i += 97)
      maxError = Math.max(maxError, Math.abs(red[i]! - (source[i]! - 1000) / 10000));
    expect(maxError).toBeLessThan(0.5e-4 + 1e-6);

    const tifs = dolomitesLog.filter((l) => l.url.endsWith('.tif'));
    expect(tifs.length).toBeGreaterThan(4);
    for (const request of tifs) {
      expect(request.method).toBe('GET');
      expect(request.range, request.url).toMatch(/^bytes=\d+-\d+/);
      expect(request.status).toBe(206);
    }
    expect(new Set(tifs.map((r) => path.posix.basename(r.url)))).toEqual(
      new Set(['B02.tif', 'B03.tif', 'B04.tif', 'B08.tif']),
    );
    expect(dolomitesLog.filter((l) => l.url.endsWith('catalog.json'))).toHaveLength(1);

    const reads = dolomitesProgress.filter((p) => p.stage === 'read');
    expect(reads.map((p) => p.done)).toEqual([1, 2, 3, 4, 5]);
    expect(reads.every((p) => p.total === 5)).toBe(true);
  });

  it('dolomites with an area: only that part is read, with the same pixels', async () => {
    // A 1 km square 3 km east and 2 km south of the scene's corner, as a WGS84 bbox.
    const utm: [number, number, number, number] = [743350, 5165160, 744350, 5166160];
    const area = transformBBox(utm, 32632, 4326);
    const scene = await loadScene(
      { kind: 'pack', catalogUrl: `${base}/packs/dolomites-2022-06/catalog.json`, area },
      onProgress,
    );
    const { grid } = scene;
    expect(grid.epsg).toBe(32632);
    expect(grid.width).toBeLessThan(200);
    expect(grid.height).toBeLessThan(200);
    // Snapped outwards on the scene's own pixel grid, so it holds the whole square.
    const [x0, y0] = pixelToCrs(grid.transform, 0, 0);
    const [x1, y1] = pixelToCrs(grid.transform, grid.width, grid.height);
    expect(x0).toBeLessThanOrEqual(utm[0]);
    expect(y0).toBeGreaterThanOrEqual(utm[3]);
    expect(x1).toBeGreaterThanOrEqual(utm[2]);
    expect(y1).toBeLessThanOrEqual(utm[1]);
    const col0 = (grid.transform.originX - 740350) / 10;
    const row0 = (5168160 - grid.transform.originY) / 10;
    expect(Number.isInteger(col0) && Number.isInteger(row0)).toBe(true);

    for (const [b, band] of scene.bands.entries()) {
      const full = dolomites.reflectance[dolomites.bands.indexOf(band)]!;
      const part = scene.reflectance[b]!;
      for (let row = 0; row < grid.height; row += 7) {
        for (let col = 0; col < grid.width; col += 5) {
          expect(part[row * grid.width + col]).toBe(full[(row0 + row) * 1059 + col0 + col]);
        }
      }
    }

    let fileBytes = 0;
    for (const name of ['B02.tif', 'B03.tif', 'B04.tif', 'B08.tif']) {
      fileBytes += (await stat(path.join(dir, 'dolomites-2022-06', name))).size;
    }
    expect(tifBytes()).toBeGreaterThan(0);
    expect(tifBytes()).toBeLessThan(fileBytes / 3);
    for (const request of tifRequests()) expect(request.range).toBeDefined();
  });

  it('29RKH: Western Sahara, 10 bands, SCL mask, 20 m bands resampled onto the red grid', async () => {
    const scene = await loadScene(
      { kind: 'pack', catalogUrl: `${base}/packs/s2-29rkh-2020-02/catalog.json` },
      onProgress,
    );
    expect(scene.id).toBe('S2A_29RKH_20200219_0_L2A');
    expect(scene.datetime).toBe('2020-02-19T11:34:25.405000Z');
    expect(scene.grid.epsg).toBe(32629);
    // The files are 10x downsampled: red is 1098 x 1098 pixels of 100 m.
    expect(scene.grid.width).toBe(1098);
    expect(scene.grid.height).toBe(1098);
    expect(scene.grid.transform).toEqual({ originX: 199980, originY: 2800020, resX: 100, resY: 100 });
    for (const [lon, lat] of gridCornersWgs84(scene.grid)) {
      expect(lon).toBeGreaterThan(-12);
      expect(lon).toBeLessThan(-10.8);
      expect(lat).toBeGreaterThan(24.2);
      expect(lat).toBeLessThan(25.4);
    }
    expect(scene.bands).toEqual([
      'blue',
      'green',
      'red',
      'rededge1',
      'rededge2',
      'rededge3',
      'nir',
      'nir08',
      'swir16',
      'swir22',
    ]);
    expect(scene.maskDescription).toContain('SCL');
    expect(scene.validFraction).toBeGreaterThan(0.5);
    expect(scene.validFraction).toBeLessThan(1);
    expect(log.some((l) => l.url.endsWith('/SCL.tif'))).toBe(true);
    expect(log.some((l) => l.url.endsWith('/B01.tif') || l.url.endsWith('/B09.tif'))).toBe(false);

    // The mask is SCL sampled by nearest (each 200 m class pixel covers 2 x 2 pixels of 100 m).
    const scl = await readWindow(path.join(rkhSrc, 'SCL.tif'), [0, 0, 549, 549]);
    const masked = new Set(DEFAULT_SCL_MASK);
    let checked = 0;
    for (let row = 0; row < 1098; row += 3) {
      for (let col = 0; col < 1098; col += 3) {
        const i = row * 1098 + col;
        if (!scene.reflectance.every((band) => Number.isFinite(band[i]!))) continue;
        const cls = scl[(row >> 1) * 549 + (col >> 1)]!;
        expect(scene.valid[i]).toBe(masked.has(cls) ? 0 : 1);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(100_000);

    // swir16 (B11, 549 x 549 at 200 m) bilinear at red pixel centres: pixel centre c of the
    // 100 m grid sits at source coordinate (c + 0.5) / 2, i.e. between source centres
    // i + 0.5, with weights 3/4 : 1/4 (or 1/4 : 3/4).
    const swir = scene.reflectance[scene.bands.indexOf('swir16')]!;
    const b11 = await readWindow(path.join(rkhSrc, 'B11.tif'), [0, 0, 549, 549]);
    const at = (x: number, y: number) => b11[y * 549 + x]!;
    for (const [col, row] of [
      [501, 601],
      [500, 600],
      [101, 888],
      [734, 42],
    ] as const) {
      const u = (col + 0.5) / 2 - 0.5;
      const v = (row + 0.5) / 2 - 0.5;
      const i0 = Math.floor(u);
      const j0 = Math.floor(v);
      const wu = u - i0;
      const wv = v - j0;
      const neighbours = [at(i0, j0), at(i0 + 1, j0), at(i0, j0 + 1), at(i0 + 1, j0 + 1)];
      expect(neighbours.every((dn) => dn > 0)).toBe(true);
      const dn =
        (at(i0, j0) * (1 - wu) + at(i0 + 1, j0) * wu) * (1 - wv) +
        (at(i0, j0 + 1) * (1 - wu) + at(i0 + 1, j0 + 1) * wu) * wv;
      const value = swir[row * 1098 + col]!;
      expect(Math.abs(value - dn * 0.0001)).toBeLessThan(1e-6);
      expect(value).toBeGreaterThanOrEqual(Math.min(...neighbours) * 0.0001 - 1e-6);
      expect(value).toBeLessThanOrEqual(Math.max(...neighbours) * 0.0001 + 1e-6);
    }
    // A 10 m band sits on the grid itself: the stored DN times 1e-4 (offset 0 before baseline 04.00).
    const red = scene.reflectance[scene.bands.indexOf('red')]!;
    const b04 = await readWindow(path.join(rkhSrc, 'B04.tif'), [400, 500, 401, 501]);
    expect(Math.abs(red[500 * 1098 + 400]! - b04[0]! * 0.0001)).toBeLessThan(1e-6);

    for (const request of tifRequests()) expect(request.range, request.url).toBeDefined();
  });

  it('reads the bands several at a time: every band file is asked for before the first band is done', async () => {
    const events: string[] = [];
    onRequest = (url) => {
      if (url.endsWith('.tif')) events.push(`request ${path.posix.basename(url)}`);
    };
    await loadScene({ kind: 'pack', catalogUrl: `${base}/packs/dolomites-2022-06/catalog.json` }, (p) => {
      if (p.message.startsWith('Read band')) events.push(p.message);
    });
    const firstDone = events.findIndex((e) => e.startsWith('Read band'));
    const asked = new Set(events.slice(0, firstDone).filter((e) => e.startsWith('request')));
    // One band at a time asked for B02 only (then read it, then B03, ...).
    expect([...asked].sort()).toEqual([
      'request B02.tif',
      'request B03.tif',
      'request B04.tif',
      'request B08.tif',
    ]);
    expect(events.filter((e) => e.startsWith('Read band'))).toHaveLength(4);
  });

  it("an aborted signal -> 'aborted', before or during the reads", async () => {
    const catalogUrl = `${base}/packs/dolomites-2022-06/catalog.json`;
    const before = new AbortController();
    before.abort();
    expect((await failure(loadScene({ kind: 'pack', catalogUrl }, onProgress, before.signal))).code).toBe(
      'aborted',
    );

    const during = new AbortController();
    onRequest = (url) => {
      if (url.endsWith('.tif')) during.abort();
    };
    const error = await failure(loadScene({ kind: 'pack', catalogUrl }, onProgress, during.signal));
    expect(error.code).toBe('aborted');
    expect(error.message).toContain('cancelled');
  });

  it('an asset that 404s -> an AppError naming the file', async () => {
    const catalog = JSON.parse(
      await readFile(path.join(dir, 'dolomites-2022-06', 'catalog.json'), 'utf8'),
    ) as {
      features: { assets: Record<string, { href: string }> }[];
    };
    const assets = catalog.features[0]!.assets;
    for (const asset of Object.values(assets))
      asset.href = `../dolomites-2022-06/${path.posix.basename(asset.href)}`;
    assets.green!.href = '../dolomites-2022-06/B03-missing.tif';
    await mkdir(path.join(dir, 'broken'), { recursive: true });
    await writeFile(path.join(dir, 'broken', 'catalog.json'), JSON.stringify(catalog));

    const error = await failure(
      loadScene({ kind: 'pack', catalogUrl: `${base}/packs/broken/catalog.json` }, onProgress),
    );
    expect(error.code).toBe('http');
    expect(error.message).toContain(`${base}/packs/dolomites-2022-06/B03-missing.tif`);
    expect(log.some((l) => l.url.endsWith('B03-missing.tif') && l.status === 404)).toBe(true);
    // The bands before it were read from the original folder.
    expect(log.some((l) => l.url === '/packs/dolomites-2022-06/B02.tif')).toBe(true);

    const missingCatalog = await failure(
      loadScene({ kind: 'pack', catalogUrl: `${base}/packs/nope/catalog.json` }, onProgress),
    );
    expect(missingCatalog.code).toBe('http');
    expect(missingCatalog.message).toContain('HTTP 404');
  });
});
