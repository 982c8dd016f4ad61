import { createReadContext, type ReadContext } from '../../cog/index.ts';
import { createEmbeddingGrid } from '../../embeddings/index.ts';
import { AppError, isAborted } from '../../errors.ts';
import type { GridSpec } from '../../geo/index.ts';
import type {
  PrecomputedEstimate,
  PrecomputedProduct,
  PrecomputedReadOptions,
  PrecomputedRequest,
  PrecomputedResult,
} from '../types.ts';
import { fetchItems, isTiffUrl, itemsOfYear, itemWindow, yearsOf } from './collection-items.ts';
import { type EmbeddingsCog, openEmbeddingsCog, readCogInto } from './embeddings-cog.ts';
import type { CollectionItem } from './item-collection.ts';
import { collectionGrid } from './native-grid.ts';

/** Largest embeddings read at once: 2^28 values (1 GiB of float32), refused before allocating. */
export const MAX_EMBEDDING_VALUES = 2 ** 28;
/** The tile size of the project's COG writer, for the byte estimate (an upper bound per touched tile). */
const TILE = 512;
const HEADER_BYTES = 16 * 1024;

/** itemsAt() reads no grid; nativeGrid() asks before there is one. */
const NO_GRID: GridSpec = {
  width: 1,
  height: 1,
  epsg: 4326,
  transform: { originX: 0, originY: 0, resX: 1, resY: 1 },
};

/** The collection as items: a single GeoTIFF URL is one item whose grid comes from its header. */
async function itemsAt(
  req: PrecomputedRequest,
  ctx: ReadContext,
): Promise<{ items: CollectionItem[]; single?: EmbeddingsCog }> {
  if (isTiffUrl(req.baseUrl)) {
    const single = await openCog(req.baseUrl, req.baseUrl, ctx);
    const g = single.georef;
    const item: CollectionItem = {
      id: req.baseUrl.split('/').pop() ?? req.baseUrl,
      href: req.baseUrl,
      grid: { width: g.width, height: g.height, epsg: g.epsg, transform: g.transform },
      bbox: [-180, -90, 180, 90],
      datetime: undefined,
      model: single.model,
      dim: single.dim,
      dataType: single.dataType,
    };
    return { items: [item], single };
  }
  return { items: await fetchItems(req.baseUrl, ctx.signal) };
}

/** Opens one item's COG; a missing file is named as the collection's missing item. */
async function openCog(url: string, id: string, ctx: ReadContext): Promise<EmbeddingsCog> {
  try {
    return await openEmbeddingsCog(url, ctx);
  } catch (error) {
    if (!isAborted(error) && error instanceof AppError && error.code === 'http')
      throw new AppError(
        'not-found',
        `The embeddings file of "${id}" is missing or unreadable (${url}): ${/HTTP \d+/.exec(error.message)?.[0] ?? 'the server refused it'}.`,
      );
    throw error;
  }
}

function touching(items: readonly CollectionItem[], grid: GridSpec): CollectionItem[] {
  const hit = items.filter((i) => itemWindow(i, grid) !== undefined);
  if (hit.length === 0)
    throw new AppError('bad-input', 'No embeddings of this collection cover the chosen area.');
  return hit;
}

function checkSize(grid: GridSpec, dim: number): void {
  const values = grid.width * grid.height * dim;
  if (values > MAX_EMBEDDING_VALUES)
    throw new AppError(
      'too-large',
      `${grid.width} x ${grid.height} pixels of ${dim} dimensions need ${((values * 4) / 2 ** 30).toFixed(1)} GiB; the limit is ${(MAX_EMBEDDING_VALUES * 4) / 2 ** 30} GiB. Choose a smaller area or a coarser resolution.`,
    );
}

async function estimate(
  req: PrecomputedRequest,
  opts: PrecomputedReadOptions = {},
): Promise<PrecomputedEstimate> {
  const ctx = createReadContext(opts.signal);
  const { items, single } = await itemsAt(req, ctx);
  const years = yearsOf(items);
  const hit = touching(itemsOfYear(items, req.year), req.grid);
  const dim = single?.dim ?? hit[0]!.dim ?? 0;
  const bytesPerValue = (single?.dataType ?? hit[0]!.dataType) === 'int8' ? 1 : 4;
  let bytes = 0;
  let requests = 0;
  for (const item of hit) {
    const [x0, y0, x1, y1] = itemWindow(item, req.grid)!;
    const tilesX = Math.floor((x1 - 1) / TILE) - Math.floor(x0 / TILE) + 1;
    const tilesY = Math.floor((y1 - 1) / TILE) - Math.floor(y0 / TILE) + 1;
    // Uncompressed tiles: an upper bound (the writer's DEFLATE makes them smaller).
    bytes += HEADER_BYTES + tilesX * tilesY * TILE * TILE * dim * bytesPerValue;
    requests += 1 + tilesY * Math.max(dim, 1);
  }
  return {
    pixels: req.grid.width * req.grid.height,
    dim,
    files: hit.length,
    bytes,
    requests,
    ...(years.length ? { years } : {}),
  };
}

async function read(req: PrecomputedRequest, opts: PrecomputedReadOptions = {}): Promise<PrecomputedResult> {
  const ctx = createReadContext(opts.signal);
  const { items, single } = await itemsAt(req, ctx);
  const hit = touching(itemsOfYear(items, req.year), req.grid);
  const { grid } = req;
  const cogs: EmbeddingsCog[] = [];
  const total = hit.length;
  opts.onProgress?.({ stage: 'index', done: 0, total, bytes: ctx.stats.bytes });
  for (const item of hit) {
    cogs.push(single ?? (await openCog(item.href, item.id, ctx)));
    opts.onProgress?.({ stage: 'index', done: cogs.length, total, bytes: ctx.stats.bytes });
  }
  const first = cogs[0]!;
  const dim = first.dim;
  checkSize(grid, dim);
  const target = {
    grid,
    dim,
    data: new Float32Array(grid.width * grid.height * dim),
    valid: new Uint8Array(grid.width * grid.height),
  };
  const bandsTotal = cogs.length * dim;
  let filled = 0;
  for (const [i, cog] of cogs.entries()) {
    if (cog.dim !== dim)
      throw new AppError(
        'bad-input',
        `The collection mixes embeddings of different sizes: "${hit[0]!.id}" has ${dim} dimensions, "${hit[i]!.id}" ${cog.dim}.`,
      );
    filled += await readCogInto(cog, target, {
      signal: opts.signal,
      onBands: (done) =>
        opts.onProgress?.({ stage: 'read', done: i * dim + done, total: bandsTotal, bytes: ctx.stats.bytes }),
    });
  }
  if (filled === 0)
    throw new AppError('bad-input', 'The embeddings hold no valid pixel in the chosen area (all nodata).');
  const model = hit[0]!.model ?? first.model;
  const year = req.year ?? (yearsOf(hit).length === 1 ? yearsOf(hit)[0] : undefined);
  return {
    embeddings: createEmbeddingGrid(grid.width, grid.height, dim, target.data, target.valid, {
      epsg: grid.epsg,
      transform: grid.transform,
    }),
    label: [model ?? 'Embeddings', year].filter((x) => x !== undefined).join(' '),
    sources: cogs.map((c) => c.url),
    bandNames: first.bandNames,
    fetched: { requests: ctx.stats.requests, bytes: ctx.stats.bytes },
  };
}

/**
 * Any embeddings GeoTIFF, or a STAC ItemCollection of them (the format `collect` writes): the
 * base URL is the file's or the collection's address. Items are mosaicked onto the request's
 * grid by nearest resampling; the first item covering a pixel gives it.
 */
export const collectionProduct: PrecomputedProduct = {
  family: 'collection',
  title: 'Embeddings GeoTIFF or STAC collection',
  // Unknown until read: each file says its own dimension.
  dim: 0,
  defaultBaseUrl: '',
  async nativeGrid(req, opts = {}) {
    const { items } = await itemsAt({ ...req, grid: NO_GRID }, createReadContext(opts.signal));
    return collectionGrid(itemsOfYear(items, req.year), req.area);
  },
  estimate,
  read,
};
