import * as zarr from 'zarrita';
import { AppError } from '../../errors.ts';
import type { GeoTransform } from '../../geo/index.ts';
import type { TesseraHttpStore } from './http-store.ts';

/**
 * The layout of the published TESSERA Zarr v3 store, as its writer makes it (ucam-eo/geotessera,
 * `geotessera/zarr.py`: `init_store`, `_create_zone_group`, `zone_canonical_epsg`):
 *
 *     zarr.json                root group; `geoemb:` attributes; consolidated metadata (inline)
 *     utm{NN}/zarr.json        one group per UTM zone, NN = 01..60, no hemisphere letter:
 *                              `proj:code` "EPSG:326NN", `spatial:transform` [a,b,c,d,e,f]
 *                              (rasterio Affine order), `spatial:shape` [H, W]
 *     utm{NN}/embeddings       int8 (T, 128, H, W), inner chunks (1,128,32,32) in shards
 *                              (1,128,4096,4096), inner codec blosc zstd, fill 0
 *     utm{NN}/scales           float32 (T, H, W), chunks (1,32,32) in (1,4096,4096), fill +inf
 *     utm{NN}/time             int32 (T,): the years
 *     utm{NN}/embeddings_d4, _d16   v2 stores only: the first 4 / 16 dimensions, listed in the
 *                              root's `geoemb:depths` [{dimensions, array}]
 *
 * Both hemispheres of a zone share its group and the northern code: southern pixels sit at
 * negative northings (the southern false northing of 10,000,000 m is subtracted).
 */

/** The false northing of the southern UTM zones (EPSG:327NN). */
export const SOUTH_FALSE_NORTHING = 10_000_000;

export interface TesseraZone {
  zone: number;
  group: string;
  /** EPSG of the zone's grid: 32600 + zone for both hemispheres (see above). */
  epsg: number;
  transform: GeoTransform;
  width: number;
  height: number;
}

export interface TesseraDepth {
  dimensions: number;
  array: string;
}

export interface TesseraStoreInfo {
  baseUrl: string;
  /** Full embedding length (`geoemb:dimensions`, 128). */
  dimensions: number;
  depths: TesseraDepth[];
  /** `geoemb:model`, e.g. "https://geotessera.org/model/1.0", when the store names it. */
  model: string | undefined;
  /** Zone groups the root's consolidated metadata lists; undefined without consolidated metadata. */
  listedZones: Set<number> | undefined;
  root: zarr.Group<zarr.Readable>;
  /** Array/group metadata documents by path ("utm31/embeddings"), from the consolidated metadata. */
  consolidated: Record<string, unknown>;
  store: TesseraHttpStore;
}

export function zoneGroupName(zone: number): string {
  return `utm${String(zone).padStart(2, '0')}`;
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function numbers(value: unknown, length: number): number[] | undefined {
  if (!Array.isArray(value) || value.length < length) return undefined;
  const out = value.slice(0, length).map(Number);
  return out.every(Number.isFinite) ? out : undefined;
}

/**
 * Root documents kept per base URL for a few minutes: the real one (consolidated metadata of
 * 60 zones) is about a megabyte, and an estimate is followed by a read of the same store.
 */
const ROOT_KEPT_MS = 5 * 60_000;
const roots = new Map<string, { until: number; bytes: Uint8Array }>();

/**
 * Opens the store's root. One request: the root `zarr.json`, whose consolidated metadata then
 * answers every group and array of the store without further requests. A store that is not
 * there (404) is a clear error naming the URL and the setting.
 */
export async function openTesseraStore(store: TesseraHttpStore): Promise<TesseraStoreInfo> {
  const kept = roots.get(store.baseUrl);
  if (kept && kept.until > Date.now()) store.remember('/zarr.json', kept.bytes);
  const rootBytes = await store.get('/zarr.json');
  if (!rootBytes) {
    throw new AppError(
      'not-found',
      `No TESSERA store at ${store.baseUrl} (${store.urlOf('/zarr.json')} answered 404). Check the TESSERA base URL setting.`,
    );
  }
  let rootJson: Record<string, unknown>;
  try {
    rootJson = record(JSON.parse(new TextDecoder().decode(rootBytes)));
  } catch {
    throw new AppError(
      'bad-input',
      `${store.urlOf('/zarr.json')} is not valid JSON: is ${store.baseUrl} a Zarr v3 store?`,
    );
  }
  if (rootJson.zarr_format !== 3 || rootJson.node_type !== 'group') {
    throw new AppError(
      'bad-input',
      `${store.urlOf('/zarr.json')} is not the root group of a Zarr v3 store; is ${store.baseUrl} the TESSERA store?`,
    );
  }
  roots.set(store.baseUrl, { until: Date.now() + ROOT_KEPT_MS, bytes: rootBytes });
  const consolidated = record(record(rootJson.consolidated_metadata).metadata);
  const hasConsolidated = Object.keys(consolidated).length > 0;
  // Range coalescing with no gap: neighbouring inner chunks (zarr-python lays a shard's chunks
  // out in Morton order, so spatial neighbours are often byte neighbours) become one request,
  // and no byte between them that the area does not need is fetched.
  const coalesced = zarr.withRangeCoalescing(store, { coalesceSize: 0 });
  const readable = hasConsolidated
    ? await zarr.withConsolidatedMetadata(coalesced, { format: 'v3' })
    : coalesced;
  const root = await zarr.open.v3(readable, { kind: 'group' });
  const attrs = record(root.attrs);
  const dimensions = Number(attrs['geoemb:dimensions'] ?? 128);
  const depths: TesseraDepth[] = Array.isArray(attrs['geoemb:depths'])
    ? attrs['geoemb:depths'].map((d) => ({
        dimensions: Number(record(d).dimensions),
        array: String(record(d).array),
      }))
    : [];
  if (!depths.some((d) => d.dimensions === dimensions)) depths.push({ dimensions, array: 'embeddings' });
  let listedZones: Set<number> | undefined;
  if (hasConsolidated) {
    listedZones = new Set();
    for (const [path, node] of Object.entries(consolidated)) {
      const match = /^utm(\d\d)$/.exec(path);
      if (match && record(node).node_type === 'group') listedZones.add(Number(match[1]));
    }
  }
  const model = typeof attrs['geoemb:model'] === 'string' ? attrs['geoemb:model'] : undefined;
  return { baseUrl: store.baseUrl, dimensions, depths, model, listedZones, root, consolidated, store };
}

/**
 * A zone's group and grid, or undefined when the store has no such zone (the area lies outside
 * TESSERA's coverage). Attributes that are missing or malformed are a clear error.
 */
export async function openZone(info: TesseraStoreInfo, zone: number): Promise<TesseraZone | undefined> {
  const group = zoneGroupName(zone);
  if (info.listedZones && !info.listedZones.has(zone)) return undefined;
  let node: zarr.Group<zarr.Readable>;
  try {
    node = await zarr.open.v3(info.root.resolve(group), { kind: 'group' });
  } catch (error) {
    if (zarr.isZarritaError(error, 'NotFoundError')) return undefined;
    throw error;
  }
  const attrs = record(node.attrs);
  const where = `${info.baseUrl}/${group}/zarr.json`;
  const code = /^EPSG:(\d+)$/i.exec(String(attrs['proj:code'] ?? ''));
  const t = numbers(attrs['spatial:transform'], 6);
  const shape = numbers(attrs['spatial:shape'], 2);
  if (!code || !t || !shape) {
    throw new AppError(
      'bad-input',
      `The TESSERA zone group ${where} lacks proj:code, spatial:transform or spatial:shape; the store is not in the expected layout.`,
    );
  }
  const [a, b, c, d, e, f] = t as [number, number, number, number, number, number];
  const epsg = Number(code[1]);
  if (b !== 0 || d !== 0 || !(a > 0) || !(e < 0) || (epsg !== 32600 + zone && epsg !== 32700 + zone)) {
    throw new AppError(
      'unsupported',
      `The TESSERA zone group ${where} has a grid this app cannot read (EPSG:${epsg}, transform ${t.join(', ')}): a north-up UTM grid of zone ${zone} was expected.`,
    );
  }
  return {
    zone,
    group,
    epsg,
    transform: { originX: c, originY: f, resX: a, resY: -e },
    height: shape[0]!,
    width: shape[1]!,
  };
}

/** The years a zone holds, from its `time` array (one small chunk). */
export async function zoneYears(info: TesseraStoreInfo, zone: TesseraZone): Promise<number[]> {
  let time: zarr.Array<zarr.DataType, zarr.Readable>;
  try {
    time = await zarr.open.v3(info.root.resolve(`${zone.group}/time`), { kind: 'array' });
  } catch (error) {
    if (zarr.isZarritaError(error, 'NotFoundError')) {
      throw new AppError(
        'bad-input',
        `The TESSERA zone ${zone.group} has no time array; which years it holds is unknown.`,
      );
    }
    throw error;
  }
  const values = await zarr.get(time);
  return Array.from(values.data as ArrayLike<number | bigint>, (v) => Number(v));
}

/**
 * The shard shape of an array ("utm31/embeddings"), for naming shards in messages and counting
 * them in estimates: zarrita reads shards without telling which. From the consolidated
 * metadata, else the array's own zarr.json (fetched once: the store keeps metadata documents).
 */
export async function shardShapeOf(info: TesseraStoreInfo, path: string): Promise<number[]> {
  let meta = info.consolidated[path];
  if (meta === undefined) {
    const bytes = await info.store.get(`/${path}/zarr.json`);
    meta = bytes ? (JSON.parse(new TextDecoder().decode(bytes)) as unknown) : undefined;
  }
  const shape = record(record(record(meta).chunk_grid).configuration).chunk_shape;
  if (!Array.isArray(shape) || !shape.every((n) => Number.isInteger(n) && n > 0)) {
    throw new AppError('bad-input', `The TESSERA array ${info.baseUrl}/${path} has no regular chunk grid.`);
  }
  return shape as number[];
}
