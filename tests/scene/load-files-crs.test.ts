import { writeArrayBuffer } from 'geotiff';
import { describe, expect, it } from 'vitest';
import { writeCog } from '../../src/lib/cog/index.ts';
import { AppError } from '../../src/lib/errors.ts';
import { loadFileScene } from '../../src/lib/scene/load-files.ts';

const W = 40;
const H = 30;

function ramp(k: number): Uint16Array {
  return new Uint16Array(W * H).map((_, i) => 1000 + k * 100 + (i % W));
}

/** Single-band COG files named by band, in `epsg` at `res` from (x0, y0). */
function rgbFiles(epsg: number, x0: number, y0: number, res: number) {
  const grid = { epsg, transform: { originX: x0, originY: y0, resX: res, resY: res } };
  return (['B04', 'B03', 'B02'] as const).map((b, k) => ({
    name: `${b}.tif`,
    file: new Blob([
      new Uint8Array(
        writeCog({ width: W, height: H, data: ramp(k), grid, tileSize: 16, overviewResampling: 'average' }),
      ),
    ]),
  }));
}

async function failure(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected a failure');
}

describe('dropped GeoTIFFs in EPSG:4326, EPSG:3857 and multi-band files', () => {
  it('a grid in EPSG:4326 (degrees) loads on its own grid', async () => {
    const scene = await loadFileScene(rgbFiles(4326, 12.1, 46.6, 0.0001), 'no-offset', () => undefined);
    expect(scene.grid).toEqual({
      width: W,
      height: H,
      epsg: 4326,
      transform: { originX: 12.1, originY: 46.6, resX: 0.0001, resY: 0.0001 },
    });
    expect(scene.reflectance[scene.bands.indexOf('red')]![5]).toBeCloseTo((1000 + 5) * 1e-4, 6);
    expect(scene.validFraction).toBe(1);
  });

  it('a grid in EPSG:3857 loads on its own grid', async () => {
    const scene = await loadFileScene(
      rgbFiles(3857, 1_345_000, 5_870_000, 10),
      'offset-1000',
      () => undefined,
    );
    expect(scene.grid.epsg).toBe(3857);
    expect(scene.reflectance[scene.bands.indexOf('green')]![0]).toBeCloseTo((1100 - 1000) * 1e-4, 6);
  });

  it('a CRS the app cannot handle -> unsupported naming the EPSG code', async () => {
    const e = await failure(
      loadFileScene(rgbFiles(2056, 2_600_000, 1_200_000, 10), 'no-offset', () => undefined),
    );
    expect(e.code).toBe('unsupported');
    expect(e.message).toContain('EPSG:2056');
  });

  it('a multi-band file: its bands as the user named them, or a request to name them', async () => {
    const interleaved = new Uint16Array(W * H * 3);
    const planes = [ramp(0), ramp(1), ramp(2)];
    for (let i = 0; i < W * H; i++) for (let s = 0; s < 3; s++) interleaved[i * 3 + s] = planes[s]![i]!;
    const bytes = writeArrayBuffer(interleaved, {
      width: W,
      height: H,
      SamplesPerPixel: 3,
      BitsPerSample: [16, 16, 16],
      SampleFormat: [1, 1, 1],
      PlanarConfiguration: 1,
      PhotometricInterpretation: 2,
      ModelPixelScale: [10, 10, 0],
      ModelTiepoint: [0, 0, 0, 600_000, 5_200_000, 0],
      GTModelTypeGeoKey: 1,
      GTRasterTypeGeoKey: 1,
      ProjectedCSTypeGeoKey: 32632,
    });
    const file = new Blob([bytes]);
    const unnamed = await failure(loadFileScene([{ name: 'stack.tif', file }], 'no-offset', () => undefined));
    expect(unnamed.code).toBe('bad-input');
    expect(unnamed.message).toMatch(
      /stack\.tif holds 3 bands and its band descriptions do not name them; say which/,
    );
    const scene = await loadFileScene(
      [{ name: 'stack.tif', file, bands: ['blue', 'green', 'red'] }],
      'no-offset',
      () => undefined,
    );
    expect(scene.grid.epsg).toBe(32632);
    expect(scene.bands).toEqual(['blue', 'green', 'red']);
    // Sample 2 is ramp(2), named red.
    expect(scene.reflectance[2]![7]).toBeCloseTo((1200 + 7) * 1e-4, 6);
    expect(scene.reflectance[0]![7]).toBeCloseTo((1000 + 7) * 1e-4, 6);
  });
});
