import * as zarr from 'zarrita';
import { createEmbeddingGrid } from '../../embeddings/index.ts';
import { AppError, throwIfAborted } from '../../errors.ts';
import { type GridSpec, gridBounds, transformBBox } from '../../geo/index.ts';
import type {
  PrecomputedEstimate,
  PrecomputedProduct,
  PrecomputedReadOptions,
  PrecomputedRequest,
  PrecomputedResult,
} from '../types.ts';
import { TesseraHttpStore } from './http-store.ts';
import {
  openTesseraStore,
  openZone,
  shardShapeOf,
  type TesseraStoreInfo,
  type TesseraZone,
  zoneYears,
} from './metadata.ts';
import { planChunks, readChunks, type ZoneArrays } from './read-chunks.ts';
import { shardIndexBytes } from './shard-index.ts';
import { mapToZones, zoneOfLongitude } from './zone-map.ts';

/** The public store (Source Cooperative), TESSERA v1 embeddings. */
export const TESSERA_DEFAULT_BASE_URL = 'https://data.source.coop/tessera/tessera/zarr/v1';
/** Years TESSERA publishes (geotessera: 2017 to 2025); what a store holds is read from its `time` arrays. */
export const TESSERA_YEARS: readonly number[] = [2017, 2018, 2019, 2020, 2021, 2022, 2023, 2024, 2025];
export const TESSERA_DIM = 128;

/** Band names of the embeddings: T000..T127 (the store's `band` coordinate is just 0..127). */
export function tesseraBandNames(dim = TESSERA_DIM): string[] {
  return Array.from({ length: dim }, (_, i) => `T${String(i).padStart(3, '0')}`);
}

/** UTM zones whose longitudes an area spans. */
function zonesOf(grid: GridSpec): number[] {
  const [west, , east] = transformBBox(gridBounds(grid), grid.epsg, 4326);
  const zones: number[] = [];
  for (let z = zoneOfLongitude(west); z <= zoneOfLongitude(east); z++) zones.push(z);
  return zones;
}

function isHttpUrl(text: string): boolean {
  try {
    return /^https?:$/.test(new URL(text).protocol);
  } catch {
    return false;
  }
}

interface OpenedRead {
  store: TesseraHttpStore;
  info: TesseraStoreInfo;
  arrays: Map<number, ZoneArrays>;
  year: number;
  dim: number;
}

export interface TesseraReadOptions extends PrecomputedReadOptions {
  /**
   * Leading dimensions to read: v2 stores publish 4 and 16 (Matryoshka prefixes, their own
   * arrays `embeddings_d4`/`_d16`, far fewer bytes) besides the full 128. Default: all.
   */
  dimensions?: number;
}

/** Opens the store, the zones the area touches and their arrays for the year; clear errors otherwise. */
async function openForRead(req: PrecomputedRequest, opts: TesseraReadOptions): Promise<OpenedRead> {
  const year = req.year;
  if (year === undefined || !Number.isInteger(year)) {
    throw new AppError(
      'bad-input',
      'Choose a year for TESSERA embeddings (the store holds one map per year).',
    );
  }
  const baseUrl = (req.baseUrl || TESSERA_DEFAULT_BASE_URL).trim().replace(/\/+$/, '');
  if (!isHttpUrl(baseUrl)) {
    throw new AppError(
      'bad-input',
      `The TESSERA base URL "${baseUrl}" is not an http(s) address (the default is ${TESSERA_DEFAULT_BASE_URL}).`,
    );
  }
  const store = new TesseraHttpStore(baseUrl, { fetch: opts.fetch, signal: opts.signal });
  const info = await openTesseraStore(store);
  const wantedDims = opts.dimensions ?? info.dimensions;
  const full = info.depths.find((d) => d.dimensions === wantedDims);
  if (!full) {
    const have = info.depths.map((d) => d.dimensions).sort((a, b) => a - b);
    throw new AppError(
      'bad-input',
      `This TESSERA store has embeddings of ${have.join(', ')} dimensions, not ${wantedDims}${have.length === 1 ? ' (prefixes of 4 and 16 come with the v2 stores)' : ''}.`,
    );
  }
  const wanted = zonesOf(req.grid);
  const zones: TesseraZone[] = [];
  for (const z of wanted) {
    throwIfAborted(opts.signal, 'Reading TESSERA embeddings');
    const zone = await openZone(info, z);
    if (zone) zones.push(zone);
  }
  if (zones.length === 0) {
    const names = wanted.map((z) => `utm${String(z).padStart(2, '0')}`).join(', ');
    throw new AppError(
      'not-found',
      `TESSERA has no embeddings for this area: the store at ${baseUrl} has no group ${names} (the area lies outside its coverage).`,
    );
  }
  const arrays = new Map<number, ZoneArrays>();
  const held = new Set<number>();
  for (const zone of zones) {
    const years = await zoneYears(info, zone);
    for (const y of years) held.add(y);
    const t = years.indexOf(year);
    if (t < 0) continue;
    const open = (name: string) =>
      zarr.open.v3(info.root.resolve(`${zone.group}/${name}`), { kind: 'array' });
    const [embeddings, scales, shard] = await Promise.all([
      open(full.array),
      open('scales'),
      shardShapeOf(info, `${zone.group}/${full.array}`),
    ]);
    if (embeddings.dtype !== 'int8' || scales.dtype !== 'float32' || embeddings.shape.length !== 4) {
      throw new AppError(
        'unsupported',
        `The TESSERA arrays of ${zone.group} are ${embeddings.dtype} ${embeddings.shape.join('x')} and ${scales.dtype}; int8 (time, band, y, x) embeddings with float32 scales were expected.`,
      );
    }
    arrays.set(zone.zone, { zone, embeddings, scales, t, shard, embeddingsName: full.array });
  }
  if (arrays.size === 0) {
    const list = [...held].sort((a, b) => a - b).join(', ');
    throw new AppError(
      'not-found',
      `TESSERA has no embeddings for ${year} here; the store holds the years ${list || '(none)'}.`,
    );
  }
  return { store, info, arrays, year, dim: full.dimensions };
}

function arraysByZone(arrays: Map<number, ZoneArrays>): Map<number, TesseraZone> {
  return new Map([...arrays].map(([z, a]) => [z, a.zone]));
}

/** Past this many pixels (2^28: 128 GiB of 128-d float32) an estimate refuses instead of mapping them. */
const MAX_ESTIMATE_PIXELS = 2 ** 28;

/** What a read will cost: pixels, shards and an upper bound of bytes and requests. */
export async function estimateTessera(
  req: PrecomputedRequest,
  opts: TesseraReadOptions = {},
): Promise<PrecomputedEstimate> {
  opts.onProgress?.({ stage: 'index', done: 0, total: 1, bytes: 0 });
  const { store, arrays, dim } = await openForRead(req, opts);
  const pixels = req.grid.width * req.grid.height;
  if (pixels > MAX_ESTIMATE_PIXELS) {
    throw new AppError(
      'too-large',
      `The area has ${pixels.toLocaleString('en')} pixels, far more than a device can hold as ${dim}-dimensional embeddings; choose a smaller area or a coarser resolution.`,
    );
  }
  const sources = mapToZones(req.grid, arraysByZone(arrays));
  const plan = planChunks(sources, arrays);
  const shards = new Set(plan.map(({ key }) => `${key.zone}:${shardKey(arrays.get(key.zone)!, key)}`));
  let bytes = 0;
  let requests = 2 * shards.size;
  for (const { key } of plan) {
    const a = arrays.get(key.zone)!;
    const embChunk = (a.embeddings.chunks as number[]).reduce((x, y) => x * y, 1);
    const scaleChunk = (a.scales.chunks as number[]).reduce((x, y) => x * y, 4);
    const [, , ch, cw] = a.embeddings.chunks as number[];
    const [, sh, sw] = a.scales.chunks as number[];
    const scaleChunks = Math.ceil(ch! / sh!) * Math.ceil(cw! / sw!);
    // Blosc adds a 16-byte header and stores incompressible blocks raw: an upper bound.
    bytes += embChunk + 16 + scaleChunks * (scaleChunk + 16);
    requests += 1 + scaleChunks;
  }
  for (const shard of shards) {
    const a = arrays.get(Number(shard.split(':')[0]))!;
    bytes += 2 * shardIndexBytes(chunksPerShard(a));
  }
  opts.onProgress?.({ stage: 'index', done: 1, total: 1, bytes: store.counts.bytes });
  return {
    pixels: req.grid.width * req.grid.height,
    dim,
    files: shards.size,
    bytes,
    requests: store.counts.requests + requests,
  };
}

function chunksPerShard(a: ZoneArrays): number {
  const inner = a.embeddings.chunks as number[];
  return a.shard.reduce((n, s, i) => n * Math.ceil(s / inner[i]!), 1);
}

function shardKey(a: ZoneArrays, key: { cr: number; cc: number }): string {
  const [, , ch, cw] = a.embeddings.chunks as number[];
  const [, , sh, sw] = a.shard;
  return `${Math.floor((key.cr * ch!) / sh!)}/${Math.floor((key.cc * cw!) / sw!)}`;
}

/** The output buffers, or a clear 'too-large' error instead of the engine's RangeError. */
function allocate(grid: GridSpec, dim: number): { data: Float32Array; valid: Uint8Array } {
  const pixels = grid.width * grid.height;
  const gb = (pixels * dim * 4) / 2 ** 30;
  const refuse = () =>
    new AppError(
      'too-large',
      `${grid.width} x ${grid.height} pixels of ${dim} dimensions need ${gb.toFixed(1)} GiB of memory, more than this device can give; choose a smaller area or a coarser resolution.`,
    );
  if (pixels * dim > 2 ** 32 - 1) throw refuse();
  try {
    return { data: new Float32Array(pixels * dim), valid: new Uint8Array(pixels) };
  } catch {
    throw refuse();
  }
}

/** Reads an area: the product's `read`, plus the choice of leading dimensions (v2 stores). */
export async function readTessera(
  req: PrecomputedRequest,
  opts: TesseraReadOptions = {},
): Promise<PrecomputedResult> {
  opts.onProgress?.({ stage: 'index', done: 0, total: 1, bytes: 0 });
  const { store, info, arrays, year, dim } = await openForRead(req, opts);
  const { grid } = req;
  // Allocated first: an area too large for memory is refused before any chunk is fetched.
  const { data, valid } = allocate(grid, dim);
  const sources = mapToZones(grid, arraysByZone(arrays));
  const plan = planChunks(sources, arrays);
  opts.onProgress?.({ stage: 'read', done: 0, total: plan.length, bytes: store.counts.bytes });
  const shards = await readChunks(
    info.baseUrl,
    year,
    plan,
    arrays,
    sources,
    { data, valid, dim },
    {
      signal: opts.signal,
      onChunks: (done) =>
        opts.onProgress?.({ stage: 'read', done, total: plan.length, bytes: store.counts.bytes }),
    },
  );
  if (!valid.some((v) => v !== 0)) {
    throw new AppError(
      'not-found',
      `TESSERA has no ${year} embeddings in this area: every pixel is water or has no data yet.`,
    );
  }
  return {
    embeddings: createEmbeddingGrid(grid.width, grid.height, dim, data, valid, {
      epsg: grid.epsg,
      transform: grid.transform,
    }),
    label: dim === info.dimensions ? `TESSERA ${year}` : `TESSERA ${year} (${dim} dimensions)`,
    sources: shards,
    bandNames: tesseraBandNames(dim),
    fetched: { requests: store.counts.requests, bytes: store.counts.bytes },
  };
}

/** TESSERA (Feng et al. 2025, University of Cambridge): 128-d annual embeddings at 10 m, Zarr v3. */
export const tesseraProduct: PrecomputedProduct = {
  family: 'tessera',
  title: 'TESSERA (annual embeddings, Zarr v3)',
  dim: TESSERA_DIM,
  defaultBaseUrl: TESSERA_DEFAULT_BASE_URL,
  years: TESSERA_YEARS,
  estimate: estimateTessera,
  read: readTessera,
};
