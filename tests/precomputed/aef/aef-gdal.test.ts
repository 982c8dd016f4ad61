/**
 * The AlphaEarth fixtures opened by GDAL (what QGIS and rasterio use), when gdalinfo is
 * installed: GDAL must see what the real mirror's files show (positive y pixel size, 64 bands
 * named A00..A63, ZSTD, pixel-interleaved, nodata -128, overviews) and find the known feature at
 * the same place as the app's reader. Skipped, visibly, without GDAL.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { aefFixture, BASE_PATH } from '../../../scripts/aef-fixture/build-aef-fixture.ts';

function has(tool: string): boolean {
  try {
    execFileSync(tool, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const gdal = has('gdalinfo') && has('gdallocationinfo');
if (!gdal)
  console.warn(
    'AlphaEarth GDAL checks skipped: gdalinfo/gdallocationinfo are not installed (apt-get install gdal-bin)',
  );

describe.skipIf(!gdal)('AlphaEarth fixtures in GDAL', () => {
  it('look like the product to GDAL and place the known feature where the reader does', async () => {
    const fx = await aefFixture();
    const t = fx.tiles.find((x) => x.zone === '32N' && x.row === 0 && x.col === 0)!;
    const file = join(fx.root, BASE_PATH, '2022', t.zone, t.file);
    const info = JSON.parse(execFileSync('gdalinfo', ['-json', file], { encoding: 'utf8' })) as {
      geoTransform: number[];
      bands: { description: string; noDataValue: number; overviews: unknown[] }[];
      metadata: { IMAGE_STRUCTURE?: Record<string, string> };
    };
    // Bottom-up: origin at the south-west corner, positive y step.
    expect(info.geoTransform).toEqual([t.west, 10, 0, t.north - 5120, 0, 10]);
    expect(info.bands).toHaveLength(64);
    expect(info.bands[0]!.description).toBe('A00');
    expect(info.bands[63]!.description).toBe('A63');
    expect(info.bands[0]!.noDataValue).toBe(-128);
    expect(info.bands[0]!.overviews).toHaveLength(9);
    expect(info.metadata.IMAGE_STRUCTURE).toMatchObject({ COMPRESSION: 'ZSTD', INTERLEAVE: 'PIXEL' });
    const [lon, lat] = fx.features[0]!;
    const values = execFileSync('gdallocationinfo', ['-wgs84', '-valonly', file, String(lon), String(lat)], {
      encoding: 'utf8',
    })
      .trim()
      .split('\n')
      .map(Number);
    // FEATURE_VECTOR: 0.5 on A00..A03 -> sqrt(0.5) * 127.5 = 90; 0 elsewhere.
    expect(values.slice(0, 5)).toEqual([90, 90, 90, 90, 0]);
  }, 600_000);
});
