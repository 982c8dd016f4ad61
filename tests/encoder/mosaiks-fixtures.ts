import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fromFile } from 'geotiff';
import { DEFAULT_DATA_DIR, DOLOMITES_DIR } from '../../scripts/pack-demo.ts';
import type { Scene } from '../../src/lib/scene/index.ts';
import type { ReflectanceBand } from '../../src/lib/stac/index.ts';

/** The real Dolomites L2A bands in ../shared (read by path, never copied). */
export const DOLOMITES = join(DEFAULT_DATA_DIR, DOLOMITES_DIR);
const FILES: [ReflectanceBand, string][] = [
  ['blue', 'b2'],
  ['green', 'b3'],
  ['red', 'b4'],
  ['nir', 'b8'],
];

/** Why the MOSAIKS tests needing real data skip, logged so the skip is visible; '' when present. */
export function missingDolomites(): string {
  if (existsSync(DOLOMITES)) return '';
  const reason = `MOSAIKS tests on real data skipped: ${DOLOMITES} is absent`;
  console.warn(reason);
  return reason;
}

/**
 * A window of the real Dolomites scene as a Scene on its own grid (origin shifted to the
 * window): reflectance = (DN - 1000) / 10000, every pixel valid. The files are stripped, one
 * row per strip, so reading a window decodes only its rows.
 */
export async function dolomitesWindow(
  row0: number,
  col0: number,
  height: number,
  width: number,
): Promise<Scene> {
  const reflectance: Float32Array[] = [];
  let grid: Scene['grid'] | undefined;
  for (const [, code] of FILES) {
    const tiff = await fromFile(join(DOLOMITES, `sentinel.dolomites.${code}.tif`));
    try {
      const image = await tiff.getImage();
      const [originX = 0, originY = 0] = image.getOrigin();
      const [resX = 0, negResY = 0] = image.getResolution();
      grid = {
        width,
        height,
        epsg: 32632,
        transform: {
          originX: originX + col0 * resX,
          originY: originY + row0 * negResY,
          resX,
          resY: -negResY,
        },
      };
      const window = [col0, row0, col0 + width, row0 + height];
      const [dn] = (await image.readRasters({ window })) as unknown as ArrayLike<number>[];
      reflectance.push(Float32Array.from(dn ?? [], (v) => (v - 1000) / 10000));
    } finally {
      tiff.close();
    }
  }
  if (!grid) throw new Error('no bands read');
  return {
    id: `dolomites-${row0}-${col0}-${height}x${width}`,
    title: 'Dolomites window',
    datetime: '2022-06-15T10:00:00Z',
    source: 'files',
    grid,
    bands: FILES.map(([band]) => band),
    reflectance,
    valid: new Uint8Array(width * height).fill(1),
    validFraction: 1,
    maskDescription: 'nodata only',
  };
}

/**
 * The scene with a "cloud": pixels in rows [r0, r1) x cols [c0, c1) marked invalid and set to
 * a bright `value` in every band, as a cloud masked by SCL keeps its bright reflectance.
 */
export function withCloud(scene: Scene, r0: number, r1: number, c0: number, c1: number, value = 0.9): Scene {
  const { width } = scene.grid;
  const valid = scene.valid.slice();
  const reflectance = scene.reflectance.map((band) => band.slice());
  for (let r = r0; r < r1; r++) {
    for (let c = c0; c < c1; c++) {
      valid[r * width + c] = 0;
      for (const band of reflectance) band[r * width + c] = value;
    }
  }
  const validFraction = valid.reduce((s, v) => s + v, 0) / valid.length;
  return { ...scene, valid, reflectance, validFraction };
}
