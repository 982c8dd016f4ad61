import { fromArrayBuffer } from 'geotiff';
import { describe, expect, it } from 'vitest';
import { writeAefCog } from '../../scripts/aef-fixture/aef-cog.ts';
import { imagePyramid } from '../../src/lib/cog/georef.ts';
import { readBandOnGrid } from '../../src/lib/cog/read-band.ts';
import { AEF_DIM } from '../../src/lib/precomputed/index.ts';

/**
 * A bottom-up GeoTIFF (positive y pixel size, origin at the south-west corner, as AlphaEarth's
 * COGs are) whose band 1 holds each pixel's picture row counted from the north: read onto a
 * north-up grid, row r must hold r. Before the fix the origin was taken for the north edge and
 * the rows came out upside down, 32 rows too far south.
 */
async function bottomUpFile(): Promise<ArrayBuffer> {
  const size = 32;
  const data = new Int8Array(size * size * AEF_DIM);
  for (let r = 0; r < size; r++) for (let c = 0; c < size; c++) data[(r * size + c) * AEF_DIM] = r;
  const bytes = await writeAefCog({
    levels: [{ width: size, height: size, data }],
    epsg: 32632,
    west: 600_000,
    south: 5_000_000,
    res: 10,
    tileSize: 16,
  });
  return bytes.slice().buffer;
}

describe('bottom-up GeoTIFFs (positive y pixel size)', () => {
  it('are placed by their north edge and flagged rowsUp', async () => {
    const [full] = await imagePyramid(await fromArrayBuffer(await bottomUpFile()), 'up.tif');
    expect(full!.georef.transform).toEqual({ originX: 600_000, originY: 5_000_320, resX: 10, resY: 10 });
    expect(full!.georef.rowsUp).toBe(true);
  });

  it('read onto a north-up grid with the north row first', async () => {
    const tiff = await fromArrayBuffer(await bottomUpFile());
    const grid = {
      width: 8,
      height: 12,
      epsg: 32632,
      transform: { originX: 600_040, originY: 5_000_250, resX: 10, resY: 10 },
    };
    const values = await readBandOnGrid(tiff, grid, 'up.tif', { method: 'nearest', sample: 0 });
    // The grid starts 7 rows below the north edge.
    for (let r = 0; r < grid.height; r++) expect(values[r * grid.width + 3]).toBe(7 + r);
  });
});
