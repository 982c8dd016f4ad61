import { createReadContext, type ReadContext } from '../../cog/index.ts';
import { AppError } from '../../errors.ts';
import { type BBox, type GridSpec, gridBounds, gridCornersWgs84, transformBBox } from '../../geo/index.ts';
import type {
  PrecomputedEstimate,
  PrecomputedProduct,
  PrecomputedReadOptions,
  PrecomputedRequest,
  PrecomputedResult,
} from '../types.ts';
import { type AefTile, findTiles } from './aef-index.ts';
import { AEF_BAND_NAMES, AEF_DEFAULT_BASE_URL, AEF_DIM, AEF_YEARS, normaliseBase } from './aef-layout.ts';
import { mosaic } from './aef-mosaic.ts';
import { blocksOf, byPriority, openTiles, planTile } from './aef-tiles.ts';
import type { FetchCount } from './range-buffer.ts';

/** Largest grid read at once: 4.2 M pixels x 64 float32 = 1 GiB, what a browser tab can hold. */
export const AEF_MAX_PIXELS = 2048 * 2048;

function checkRequest(req: PrecomputedRequest): { base: string; year: number; grid: GridSpec } {
  if (req.family !== 'aef')
    throw new AppError('internal', `The AlphaEarth reader was asked for ${req.family}.`);
  const year = req.year;
  if (year === undefined || !Number.isInteger(year))
    throw new AppError('bad-input', 'AlphaEarth embeddings are annual: choose a year.');
  const { grid } = req;
  if (!(grid.width >= 1 && grid.height >= 1 && Number.isInteger(grid.width) && Number.isInteger(grid.height)))
    throw new AppError(
      'bad-input',
      `The grid must have a whole, positive size (got ${grid.width} x ${grid.height}).`,
    );
  if (grid.width * grid.height > AEF_MAX_PIXELS) {
    throw new AppError(
      'too-large',
      `The area is ${grid.width} x ${grid.height} pixels; AlphaEarth embeddings are read up to ${AEF_MAX_PIXELS.toLocaleString('en')} pixels at once (1 GiB). Choose a smaller area or a coarser resolution.`,
    );
  }
  return { base: normaliseBase(req.baseUrl), year, grid };
}

/** The grid's extent in WGS84, to query the index. */
function gridBoxWgs84(grid: GridSpec): BBox {
  const corners = gridCornersWgs84(grid);
  const lons = corners.map((c) => c[0]);
  const lats = corners.map((c) => c[1]);
  return [Math.min(...lons), Math.min(...lats), Math.max(...lons), Math.max(...lats)];
}

function contextFor(opts: PrecomputedReadOptions): ReadContext {
  return createReadContext(opts.signal, { fetch: opts.fetch });
}

async function tilesFor(
  req: PrecomputedRequest,
  opts: PrecomputedReadOptions,
  count: FetchCount,
): Promise<{ base: string; year: number; grid: GridSpec; tiles: AefTile[] }> {
  const { base, year, grid } = checkRequest(req);
  opts.onProgress?.({ stage: 'index', done: 0, total: 1, bytes: 0 });
  const listed = await findTiles(base, year, gridBoxWgs84(grid), {
    signal: opts.signal,
    fetch: opts.fetch,
    count,
  });
  opts.onProgress?.({ stage: 'index', done: 1, total: 1, bytes: count.bytes });
  // A tile's WGS84 box is wider than its UTM square: test the square in its own CRS, so
  // neighbours the area does not reach are not even opened.
  const tiles = listed.filter((t) => {
    if (!t.utm) return true;
    const [w, s, e, n] = transformBBox(gridBounds(grid), grid.epsg, t.epsg);
    return w < t.utm[2] && e > t.utm[0] && s < t.utm[3] && n > t.utm[1];
  });
  if (tiles.length === 0) {
    const area = gridBoxWgs84(grid)
      .map((v) => v.toFixed(4))
      .join(', ');
    throw new AppError('not-found', `No AlphaEarth tile of ${year} covers the area (${area}).`);
  }
  return { base, year, grid, tiles };
}

/**
 * Before loading: the files the area touches, and the requests and bytes reading it costs,
 * from each file's header (one 16 KiB request per file) and its block byte counts. An upper
 * bound: where tiles of two zones overlap, the read fetches the second zone's blocks only for
 * pixels the first left empty.
 */
async function estimate(
  req: PrecomputedRequest,
  opts: PrecomputedReadOptions = {},
): Promise<PrecomputedEstimate> {
  const count: FetchCount = { requests: 0, bytes: 0 };
  const { grid, tiles } = await tilesFor(req, opts, count);
  const ctx = contextFor(opts);
  const opened = (await openTiles(tiles, ctx)).sort(byPriority(grid));
  let bytes = 0;
  let requests = 0;
  let files = 0;
  for (const o of opened) {
    const plan = planTile(o, grid);
    if (!plan) continue;
    files++;
    const blocks = blocksOf(plan);
    const fd = plan.level.image.getFileDirectory();
    const across = Math.ceil(plan.level.georef.width / plan.level.image.getTileWidth());
    for (const k of blocks) bytes += Number(await fd.loadValueIndexed('TileByteCounts', k));
    // Blocks of one block row are adjacent in the file: one request per row.
    requests += 1 + new Set(blocks.map((k) => Math.floor(k / across))).size;
    bytes += ctx.headerBytes;
  }
  return { pixels: grid.width * grid.height, dim: AEF_DIM, files, bytes, requests };
}

async function read(req: PrecomputedRequest, opts: PrecomputedReadOptions = {}): Promise<PrecomputedResult> {
  const count: FetchCount = { requests: 0, bytes: 0 };
  const { year, grid, tiles } = await tilesFor(req, opts, count);
  const ctx = contextFor(opts);
  const opened = await openTiles(tiles, ctx);
  const { embeddings, sources } = await mosaic(opened, grid, { ctx, onProgress: opts.onProgress });
  return {
    embeddings,
    label: `AlphaEarth ${year}`,
    sources,
    bandNames: [...AEF_BAND_NAMES],
    fetched: { requests: count.requests + ctx.stats.requests, bytes: count.bytes + ctx.stats.bytes },
  };
}

export const aefProduct: PrecomputedProduct = {
  family: 'aef',
  title: 'AlphaEarth Foundations (Satellite Embedding V1)',
  dim: AEF_DIM,
  defaultBaseUrl: AEF_DEFAULT_BASE_URL,
  years: AEF_YEARS,
  estimate,
  read,
};
