import { fromFile } from 'geotiff';
import { startStacServer } from '../server/stac-api.ts';
import { chooseLevel, imagePyramid, sourceWindow } from '../src/lib/cog/index.ts';
import type { BBox, GridSpec } from '../src/lib/geo/index.ts';
import { converter } from '../src/lib/geo/index.ts';
import { loadScene } from '../src/lib/scene/index.ts';
import type { BenchEntry } from './report.ts';

/**
 * Byte counts of the tiles a read of `grid` must touch in one COG on disk: the level
 * read-band.ts chooses, the window it computes (1 px margin for bilinear, none for SCL).
 */
async function intersectingTiles(
  file: string,
  grid: GridSpec,
  margin: number,
): Promise<{ bytes: number; tiles: number }> {
  const tiff = await fromFile(file);
  try {
    const levels = await imagePyramid(tiff, file);
    const level =
      levels[
        chooseLevel(
          levels.map((l) => l.georef.transform.resX),
          grid.transform.resX,
        )
      ]!;
    const [x0, y0, x1, y1] = sourceWindow(level.georef, grid, margin)!;
    const image = level.image;
    const tw = image.getTileWidth();
    const th = image.getTileHeight();
    const perRow = Math.ceil(image.getWidth() / tw);
    const counts = (await image.getFileDirectory().loadValue('TileByteCounts')) as ArrayLike<number>;
    let bytes = 0;
    let tiles = 0;
    for (let ty = Math.floor(y0 / th); ty <= Math.floor((y1 - 1) / th); ty++)
      for (let tx = Math.floor(x0 / tw); tx <= Math.floor((x1 - 1) / tw); tx++) {
        bytes += Number(counts[ty * perRow + tx]);
        tiles++;
      }
    return { bytes, tiles };
  } finally {
    tiff.close();
  }
}

/**
 * Loads a 10 x 10 km area (10 m grid, every band + SCL) from the pack over HTTP and compares
 * what went over the wire with the compressed size and count of the tiles it intersects.
 */
export async function cogWindowBytes(
  packsDir: string,
  pack: string,
  quick: boolean,
): Promise<[BenchEntry, BenchEntry]> {
  const { server, url } = await startStacServer({ packsDir });
  try {
    // 10 x 10 km centred in the tile, not aligned with its 512 px (5.12 km) tiles.
    const side = quick ? 5_000 : 10_000;
    const cx = 600_000 + (quick ? 6_000 : 13_725);
    const cy = 5_200_020 - (quick ? 6_000 : 13_725);
    const toWgs = converter(32632, 4326);
    const [w, s] = toWgs([cx - side / 2, cy - side / 2]);
    const [e, n] = toWgs([cx + side / 2, cy + side / 2]);
    const area: BBox = [w, s, e, n];
    const t0 = performance.now();
    const scene = await loadScene(
      { kind: 'pack', catalogUrl: `${url}/packs/${pack}/catalog.json`, area },
      () => undefined,
    );
    const ms = performance.now() - t0;
    const stats = scene.stats!;
    let bytes = 0;
    let tiles = 0;
    const dir = `${packsDir}/${pack}/S2A_32TQS_SYNTH`;
    for (const b of ['B02', 'B03', 'B04', 'B08', 'B05', 'B06', 'B07', 'B8A', 'B11', 'B12', 'SCL']) {
      const t = await intersectingTiles(`${dir}/${b}.tif`, scene.grid, b === 'SCL' ? 0 : 1);
      bytes += t.bytes;
      tiles += t.tiles;
    }
    const notes = `${scene.grid.width} x ${scene.grid.height} px at 10 m, 10 bands + SCL, synthetic tile served on 127.0.0.1 (bench/data-groups.ts); read in ${Math.round(ms)} ms`;
    return [
      {
        unit: 'bytes',
        value: stats.bytes,
        baseline: { name: 'summed byte counts of the intersecting COG tiles', value: bytes, unit: 'bytes' },
        ratio: stats.bytes / bytes,
        ratio_meaning: 'bytes fetched / bytes of intersecting tiles (goal <= 1.1; headers included)',
        runs: 1,
        notes,
      },
      {
        unit: 'requests',
        value: stats.requests,
        baseline: { name: 'COG tiles intersecting the area', value: tiles, unit: 'tiles' },
        ratio: stats.requests / tiles,
        ratio_meaning: 'HTTP requests / tiles intersected (goal <= 1.0; adjacent tiles merged)',
        runs: 1,
        notes,
      },
    ];
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
