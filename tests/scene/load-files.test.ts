import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fromFile } from 'geotiff';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_DATA_DIR, DOLOMITES_DIR } from '../../scripts/pack-demo.ts';
import { AppError } from '../../src/lib/errors.ts';
import { converter, type LonLat, pixelToCrs, polygonMask, validatePolygon } from '../../src/lib/geo/index.ts';
import { loadFileScene } from '../../src/lib/scene/load-files.ts';
import { loadScene } from '../../src/lib/scene/load-scene.ts';
import type { SceneProgress } from '../../src/lib/scene/scene.ts';

const SRC = path.join(DEFAULT_DATA_DIR, DOLOMITES_DIR);
const hasData = existsSync(SRC);
if (!hasData) console.warn(`load-files tests skipped: real Dolomites data not found at ${SRC}`);

const NAMES = ['b2', 'b3', 'b4', 'b8'].map((b) => `sentinel.dolomites.${b}.tif`);

async function failure(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected loadFileScene to fail');
}

describe.skipIf(!hasData)('loadFileScene with the real Dolomites files as Blobs', () => {
  const files: { name: string; file: Blob }[] = [];
  /** Band 4 (red) DN as stored in the source file (Float32, +1000 offset). */
  let redDn: ArrayLike<number> = [];
  let georef = { originX: 0, originY: 0, resX: 0, resY: 0, width: 0, height: 0 };

  beforeAll(async () => {
    for (const name of NAMES) files.push({ name, file: new Blob([readFileSync(path.join(SRC, name))]) });
    const tiff = await fromFile(path.join(SRC, 'sentinel.dolomites.b4.tif'));
    try {
      const image = await tiff.getImage();
      const [originX = 0, originY = 0] = image.getOrigin();
      const [resX = 0, resY = 0] = image.getResolution();
      georef = { originX, originY, resX, resY: -resY, width: image.getWidth(), height: image.getHeight() };
      redDn = (await image.readRasters({ interleave: true })) as unknown as ArrayLike<number>;
    } finally {
      tiff.close();
    }
  });

  it("'offset-1000': reflectance = (DN - 1000) / 10000 on the files' own grid", async () => {
    const progress: SceneProgress[] = [];
    const scene = await loadFileScene(files, 'offset-1000', (p) => progress.push(p));
    expect(scene.source).toBe('files');
    expect(scene.grid).toEqual({
      width: georef.width,
      height: georef.height,
      epsg: 32632,
      transform: { originX: georef.originX, originY: georef.originY, resX: georef.resX, resY: georef.resY },
    });
    expect(scene.grid.width).toBe(1059);
    expect(scene.grid.height).toBe(934);
    expect(scene.bands).toEqual(['blue', 'green', 'red', 'nir']);
    const red = scene.reflectance[scene.bands.indexOf('red')]!;
    expect(red).toHaveLength(1059 * 934);
    let maxError = 0;
    for (let i = 0; i < red.length; i++)
      maxError = Math.max(maxError, Math.abs(red[i]! - (redDn[i]! - 1000) / 10000));
    // Float32 arithmetic only: no rounding of DN on this path.
    expect(maxError).toBeLessThan(1e-6);
    expect(scene.validFraction).toBe(1);
    expect(scene.maskDescription).toContain('no SCL');
    expect(scene.title).toContain('+1000 offset');
    expect(progress.map((p) => p.done)).toEqual([1, 2, 3, 4]);
    expect(progress.every((p) => p.total === 4 && p.stage === 'read')).toBe(true);
  });

  it("'no-offset' through loadScene: the same DN without the -0.1", async () => {
    const noOffset = await loadScene(
      { kind: 'files', files: files.slice(0, 3), convention: 'no-offset' },
      () => {},
    );
    expect(noOffset.bands).toEqual(['blue', 'green', 'red']);
    expect(noOffset.title).toContain('without offset');
    const red = noOffset.reflectance[2]!;
    for (const i of [0, 467 * 1059 + 530, red.length - 1])
      expect(Math.abs(red[i]! - redDn[i]! / 10000)).toBeLessThan(1e-6);
  });

  it('masks the pixels outside a drawn polygon, and refuses a polygon that misses the files', async () => {
    // A triangle over the files' own grid, its corners at pixel centres taken to WGS84.
    const toWgs84 = converter(32632, 4326);
    const at = (col: number, row: number): LonLat => {
      const [x, y] = pixelToCrs(
        { originX: georef.originX, originY: georef.originY, resX: georef.resX, resY: georef.resY },
        col + 0.5,
        row + 0.5,
      );
      return toWgs84([x, y]) as LonLat;
    };
    const ring = validatePolygon([at(100, 100), at(900, 150), at(400, 800)]);
    const scene = await loadScene(
      { kind: 'files', files, convention: 'offset-1000', polygon: ring },
      () => {},
    );
    const { mask, inside } = polygonMask(scene.grid, ring);
    expect(inside).toBeGreaterThan(200_000);
    expect(scene.validFraction).toBeCloseTo(inside / (1059 * 934), 12);
    expect(Array.from(scene.valid)).toEqual(Array.from(mask));
    expect(scene.valid[300 * 1059 + 450]).toBe(1); // inside the triangle
    expect(scene.valid[900 * 1059 + 1000]).toBe(0); // bottom-right corner, outside
    expect(scene.maskDescription).toContain('outside the drawn polygon');
    // The data under the mask is untouched: the mask is the only change.
    const red = scene.reflectance[scene.bands.indexOf('red')]!;
    expect(Math.abs(red[0]! - (redDn[0]! - 1000) / 10000)).toBeLessThan(1e-6);

    const far = validatePolygon([
      [2.0, 48.0],
      [2.1, 48.0],
      [2.05, 48.1],
    ]);
    const error = await failure(
      loadScene({ kind: 'files', files, convention: 'offset-1000', polygon: far }, () => {}),
    );
    expect(error.code).toBe('bad-input');
    expect(error.message).toContain('covers no valid pixel');
    expect(error.message).toContain('sentinel.dolomites.b4.tif');
  });

  it('names a file whose band cannot be told from its name', async () => {
    const notes = { name: 'notes.tif', file: new Blob([readFileSync(path.join(SRC, NAMES[0]!))]) };
    const error = await failure(loadFileScene([...files, notes], 'offset-1000', () => {}));
    expect(error.code).toBe('bad-input');
    expect(error.message).toContain('notes.tif');
    expect(error.message).not.toContain('sentinel.dolomites.b2.tif');
  });

  it('refuses a set without red (or without any file)', async () => {
    const noRed = files.filter((f) => !f.name.includes('.b4.'));
    const error = await failure(loadFileScene(noRed, 'offset-1000', () => {}));
    expect(error.code).toBe('bad-input');
    expect(error.message).toContain('red');
    expect(error.message).not.toContain('blue');
    expect((await failure(loadFileScene([], 'offset-1000', () => {}))).code).toBe('bad-input');
  });

  it('a file that is not a GeoTIFF -> bad-input naming it', async () => {
    const bogus = files.map((f) =>
      f.name.includes('.b3.') ? { name: 'B03.tif', file: new Blob(['not a tiff']) } : f,
    );
    const error = await failure(loadFileScene(bogus, 'offset-1000', () => {}));
    expect(error.code).toBe('bad-input');
    expect(error.message).toContain('B03.tif');
  });

  it("an aborted signal -> 'aborted'", async () => {
    const controller = new AbortController();
    controller.abort();
    const error = await failure(loadFileScene(files, 'offset-1000', () => {}, controller.signal));
    expect(error.code).toBe('aborted');
  });
});
