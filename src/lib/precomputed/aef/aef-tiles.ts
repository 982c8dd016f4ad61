import type { GeoTIFF, GeoTIFFImage } from 'geotiff';
import type { ReadContext } from '../../cog/index.ts';
import { chooseLevel, type ImageGeoref, imagePyramid, openTiff } from '../../cog/index.ts';
import { AppError, serializeError } from '../../errors.ts';
import { converter, type GridSpec, gridBounds, transformBBox } from '../../geo/index.ts';
import type { AefTile } from './aef-index.ts';
import { AEF_DIM } from './aef-layout.ts';

/** A tile whose header was read: its images, full resolution first. */
export interface OpenedTile {
  tile: AefTile;
  tiff: GeoTIFF;
  levels: { image: GeoTIFFImage; georef: ImageGeoref }[];
}

/**
 * Which source pixels one tile gives the target grid: the overview level matching the grid's
 * resolution, and for each target pixel of the rectangle the tile may cover, the stored
 * pixel (row-major in the file's own row order) or -1.
 */
export interface TilePlan {
  opened: OpenedTile;
  level: { image: GeoTIFFImage; georef: ImageGeoref };
  /** Target pixels [col0, row0, col1, row1) the tile's extent meets. */
  rect: [number, number, number, number];
  /** Per target pixel of `rect` (row-major): index into the level's stored pixels, or -1. */
  source: Int32Array;
  /**
   * Tiles in another CRS only: per target pixel, 3 more stored pixels (the rest of the 2 x 2
   * around the point, nearest first, -1 outside), tried when the nearest one is masked. A
   * zone's file holds only the pixels whose centres lie in the zone, so along a zone boundary
   * the nearest pixel of either zone can be masked; without this the boundary shows a seam.
   */
  alternates?: Int32Array;
}

function checkShape(opened: OpenedTile): void {
  const image = opened.levels[0]!.image;
  const bands = image.getSamplesPerPixel();
  if (bands !== AEF_DIM || image.getSampleFormat() !== 2 || image.getBitsPerSample() !== 8) {
    throw new AppError(
      'unsupported',
      `${opened.tile.name} has ${bands} band(s) of ${image.getBitsPerSample()}-bit samples; an AlphaEarth tile has ${AEF_DIM} int8 bands.`,
    );
  }
}

/**
 * Opens every tile's header (in parallel, through the context's per-origin limit). Any tile that
 * is missing or damaged fails the whole read, and the message lists every such tile, not just
 * the first: a mosaic with a silent hole would pass for water or masked land.
 */
export async function openTiles(tiles: readonly AefTile[], ctx: ReadContext): Promise<OpenedTile[]> {
  const settled = await Promise.allSettled(
    tiles.map(async (tile): Promise<OpenedTile> => {
      const tiff = await openTiff({ kind: 'url', url: tile.url }, ctx.signal, ctx);
      const opened = { tile, tiff, levels: await imagePyramid(tiff, tile.name) };
      checkShape(opened);
      return opened;
    }),
  );
  if (ctx.signal?.aborted) throw new AppError('aborted', 'Reading AlphaEarth embeddings was cancelled.');
  const failed = settled.flatMap((s, i) =>
    s.status === 'rejected' ? [{ tile: tiles[i]!, error: serializeError(s.reason) }] : [],
  );
  if (failed.length) throw tilesFailed(failed, tiles.length);
  return settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
}

/** One error that names every tile that failed and why, in words. */
export function tilesFailed(
  failed: { tile: AefTile; error: { code: string; message: string } }[],
  total: number,
): AppError {
  const why = (code: string, message: string) =>
    code === 'http' && /HTTP 404/.test(message) ? 'missing on the server (HTTP 404)' : message;
  const list = failed.map((f) => `${f.tile.name}: ${why(f.error.code, f.error.message)}`).join('; ');
  const allMissing = failed.every((f) => f.error.code === 'http' && /HTTP 404/.test(f.error.message));
  const aborted = failed.find((f) => f.error.code === 'aborted');
  if (aborted) return new AppError('aborted', 'Reading AlphaEarth embeddings was cancelled.');
  return new AppError(
    allMissing ? 'not-found' : failed[0]!.error.code === 'network' ? 'network' : 'bad-input',
    `${failed.length} of ${total} AlphaEarth tile(s) could not be read, so nothing was loaded: ${list}.`,
  );
}

/** Resolution of the target grid as seen in `epsg` (chooses the overview level). */
function resolutionIn(grid: GridSpec, epsg: number): number {
  if (grid.epsg === epsg) return grid.transform.resX;
  const [minX, , maxX] = transformBBox(gridBounds(grid), grid.epsg, epsg);
  return (maxX - minX) / grid.width;
}

/**
 * The plan of one tile on the grid, for the target pixels where `wanted` is true (all when
 * omitted). Undefined when the tile gives none of them.
 */
export function planTile(opened: OpenedTile, grid: GridSpec, wanted?: Uint8Array): TilePlan | undefined {
  const full = opened.levels[0]!.georef;
  const level =
    opened.levels[
      chooseLevel(
        opened.levels.map((l) => l.georef.transform.resX),
        resolutionIn(grid, full.epsg),
      )
    ]!;
  const g = level.georef;
  const t = g.transform;
  const tileBox = transformBBox(
    [t.originX, t.originY - g.height * t.resY, t.originX + g.width * t.resX, t.originY],
    full.epsg,
    grid.epsg,
  );
  const gt = grid.transform;
  const c0 = Math.max(0, Math.floor((tileBox[0] - gt.originX) / gt.resX));
  const c1 = Math.min(grid.width, Math.ceil((tileBox[2] - gt.originX) / gt.resX));
  const r0 = Math.max(0, Math.floor((gt.originY - tileBox[3]) / gt.resY));
  const r1 = Math.min(grid.height, Math.ceil((gt.originY - tileBox[1]) / gt.resY));
  if (c1 <= c0 || r1 <= r0) return undefined;
  const w = c1 - c0;
  const n = w * (r1 - r0);
  const source = new Int32Array(n).fill(-1);
  const toSource = converter(grid.epsg, full.epsg);
  const same = grid.epsg === full.epsg;
  const alternates = same ? undefined : new Int32Array(n * 3).fill(-1);
  // Bottom-up files store picture row `row` as stored row height - 1 - row.
  const stored = (col: number, row: number) =>
    col < 0 || row < 0 || col >= g.width || row >= g.height
      ? -1
      : (g.rowsUp ? g.height - 1 - row : row) * g.width + col;
  let any = false;
  for (let r = r0; r < r1; r++) {
    const y = gt.originY - (r + 0.5) * gt.resY;
    for (let c = c0; c < c1; c++) {
      if (wanted && wanted[r * grid.width + c] === 0) continue;
      const x = gt.originX + (c + 0.5) * gt.resX;
      let sx = x;
      let sy = y;
      if (!same) [sx, sy] = toSource([x, y]);
      const fx = (sx - t.originX) / t.resX;
      const fy = (t.originY - sy) / t.resY;
      const nearest = stored(Math.floor(fx), Math.floor(fy));
      if (nearest < 0) continue;
      const i = (r - r0) * w + (c - c0);
      source[i] = nearest;
      any = true;
      if (!alternates) continue;
      const x0 = Math.floor(fx - 0.5);
      const y0 = Math.floor(fy - 0.5);
      const around = [
        [x0, y0],
        [x0 + 1, y0],
        [x0, y0 + 1],
        [x0 + 1, y0 + 1],
      ]
        .map(([px, py]) => ({ s: stored(px!, py!), d: (px! + 0.5 - fx) ** 2 + (py! + 0.5 - fy) ** 2 }))
        .filter((p) => p.s !== nearest)
        .sort((a, b) => a.d - b.d);
      around.slice(0, 3).forEach((p, k) => {
        alternates[i * 3 + k] = p.s;
      });
    }
  }
  if (!any) return undefined;
  return alternates
    ? { opened, level, rect: [c0, r0, c1, r1], source, alternates }
    : { opened, level, rect: [c0, r0, c1, r1], source };
}

/** Blocks (TIFF tiles, all 64 bands each) a plan needs, as sorted block indexes. */
export function blocksOf(plan: TilePlan): number[] {
  const { image, georef } = plan.level;
  const tw = image.getTileWidth();
  const th = image.getTileHeight();
  const across = Math.ceil(georef.width / tw);
  const blocks = new Set<number>();
  for (const list of plan.alternates ? [plan.source, plan.alternates] : [plan.source]) {
    for (let i = 0; i < list.length; i++) {
      const s = list[i]!;
      if (s < 0) continue;
      const row = (s / georef.width) | 0;
      blocks.add(((row / th) | 0) * across + (((s - row * georef.width) / tw) | 0));
    }
  }
  return [...blocks].sort((a, b) => a - b);
}

/** The order tiles fill the grid: tiles in the grid's own zone first, then by name (stable, area-independent). */
export function byPriority(grid: GridSpec): (a: OpenedTile, b: OpenedTile) => number {
  const rank = (o: OpenedTile) => (o.levels[0]!.georef.epsg === grid.epsg ? 0 : 1);
  return (a, b) => rank(a) - rank(b) || a.tile.name.localeCompare(b.tile.name);
}
