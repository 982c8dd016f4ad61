import type * as zarr from 'zarrita';
import { AppError, throwIfAborted } from '../../errors.ts';
import type { TesseraZone } from './metadata.ts';
import type { PixelSources } from './zone-map.ts';

/**
 * Reads the inner chunks a target grid touches and fills it: value = int8 x scale (the
 * store's `geoemb:quantization` "per_pixel_scale"), nearest resampling per `PixelSources`.
 * Only those chunks are fetched (plus each shard's index); chunks of one shard are asked for
 * together so the range-coalescing store merges neighbours into one request.
 */

/**
 * Scales at or above this are nodata: the writer's own rule (geotessera `MAX_VALID_SCALE`:
 * real scales run median 0.064, p99.99 0.137; some published files carry huge finite
 * sentinels). NaN (water) and +inf (no data yet, the array's fill value) fail it too.
 */
export const MAX_VALID_SCALE = 1.0;

/** Inner chunks requested at once: enough for coalescing, bounded memory (64 x 128 KiB). */
const BATCH = 64;

export interface ZoneArrays {
  zone: TesseraZone;
  embeddings: zarr.Array<zarr.DataType, zarr.Readable>;
  scales: zarr.Array<zarr.DataType, zarr.Readable>;
  /** Index of the year on the time axis. */
  t: number;
  /** Shard shape of `embeddings` (t, band, y, x), for naming shards. */
  shard: number[];
  embeddingsName: string;
}

export interface ChunkKey {
  zone: number;
  cr: number;
  cc: number;
}

/** Inner chunks the pixels touch, each with the target pixels it feeds, in shard order. */
export function planChunks(
  sources: PixelSources,
  arrays: ReadonlyMap<number, ZoneArrays>,
): { key: ChunkKey; pixels: number[] }[] {
  const byKey = new Map<number, number[]>();
  for (let p = 0; p < sources.zone.length; p++) {
    const z = sources.zone[p]!;
    const zoneArrays = z === 0 ? undefined : arrays.get(z);
    if (!zoneArrays) continue;
    const [, , ch, cw] = zoneArrays.embeddings.chunks as [number, number, number, number];
    const key = z * 2 ** 32 + Math.floor(sources.row[p]! / ch) * 65536 + Math.floor(sources.col[p]! / cw);
    let list = byKey.get(key);
    if (!list) {
      list = [];
      byKey.set(key, list);
    }
    list.push(p);
  }
  const plan = [...byKey].map(([key, pixels]) => ({
    key: { zone: Math.floor(key / 2 ** 32), cr: Math.floor((key % 2 ** 32) / 65536), cc: key % 65536 },
    pixels,
  }));
  const shardOf = (k: ChunkKey) => {
    const a = arrays.get(k.zone)!;
    const [, , ch, cw] = a.embeddings.chunks as number[];
    const [, , sh, sw] = a.shard;
    return [Math.floor((k.cr * ch!) / sh!), Math.floor((k.cc * cw!) / sw!)] as const;
  };
  plan.sort((a, b) => {
    const [ar, ac] = shardOf(a.key);
    const [br, bc] = shardOf(b.key);
    return a.key.zone - b.key.zone || ar - br || ac - bc || a.key.cr - b.key.cr || a.key.cc - b.key.cc;
  });
  return plan;
}

export function shardUrl(baseUrl: string, a: ZoneArrays, key: ChunkKey): string {
  const [, , ch, cw] = a.embeddings.chunks as number[];
  const [, , sh, sw] = a.shard;
  const sr = Math.floor((key.cr * ch!) / sh!);
  const sc = Math.floor((key.cc * cw!) / sw!);
  return `${baseUrl.replace(/\/+$/, '')}/${a.zone.group}/${a.embeddingsName}/c/${a.t}/0/${sr}/${sc}`;
}

function damaged(baseUrl: string, a: ZoneArrays, key: ChunkKey, year: number, what: string): AppError {
  const [, , ch, cw] = a.embeddings.chunks as number[];
  const r0 = key.cr * ch!;
  const c0 = key.cc * cw!;
  return new AppError(
    'bad-input',
    `The TESSERA chunk of ${a.zone.group} for ${year}, rows ${r0}-${r0 + ch! - 1} and columns ${c0}-${c0 + cw! - 1} of the zone grid (inner chunk ${key.cr},${key.cc} in shard ${shardUrl(baseUrl, a, key)}), is damaged: ${what}. Try again later, or another mirror.`,
  );
}

async function chunkOf(
  array: zarr.Array<zarr.DataType, zarr.Readable>,
  coords: number[],
  signal: AbortSignal | undefined,
  fail: (what: string) => AppError,
): Promise<zarr.Chunk<zarr.DataType>> {
  const name = array.path.split('/').pop();
  const shape = array.chunks as number[];
  const what = `its ${name} bytes do not decode (blosc/zstd) to a ${shape.join(' x ')} chunk`;
  let chunk: zarr.Chunk<zarr.DataType>;
  try {
    chunk = await array.getChunk(coords, signal ? { signal } : undefined);
  } catch (error) {
    // The store's own errors (HTTP, a damaged shard index, cancel) already say what and where.
    if (error instanceof AppError) throw error;
    throw fail(what);
  }
  if ((chunk.data as ArrayLike<unknown>).length !== shape.reduce((a, b) => a * b, 1)) throw fail(what);
  return chunk;
}

export interface FillTarget {
  data: Float32Array;
  valid: Uint8Array;
  dim: number;
}

/** Fetches every planned chunk and fills `out`; returns the URLs of the shards read. */
export async function readChunks(
  baseUrl: string,
  year: number,
  plan: readonly { key: ChunkKey; pixels: number[] }[],
  arrays: ReadonlyMap<number, ZoneArrays>,
  sources: PixelSources,
  out: FillTarget,
  opts: { signal?: AbortSignal | undefined; onChunks?: (done: number) => void },
): Promise<string[]> {
  const shards = new Set<string>();
  const { dim } = out;
  let done = 0;
  for (let start = 0; start < plan.length; start += BATCH) {
    throwIfAborted(opts.signal, 'Reading TESSERA embeddings');
    const batch = plan.slice(start, start + BATCH);
    // Scales chunks may be smaller than embeddings chunks (v2's depth arrays: 64 or 128 px
    // against the scales' 32 px): each embeddings chunk takes every scales chunk its pixels use.
    const decoded = await Promise.all(
      batch.map(async ({ key, pixels }) => {
        const a = arrays.get(key.zone)!;
        const fail = (what: string) => damaged(baseUrl, a, key, year, what);
        const [, sh, sw] = a.scales.chunks as [number, number, number];
        const scaleKeys = new Map<number, [number, number]>();
        for (const p of pixels) {
          const sr = Math.floor(sources.row[p]! / sh);
          const sc = Math.floor(sources.col[p]! / sw);
          scaleKeys.set(sr * 65536 + sc, [sr, sc]);
        }
        const [emb, ...scales] = await Promise.all([
          chunkOf(a.embeddings, [a.t, 0, key.cr, key.cc], opts.signal, fail),
          ...[...scaleKeys.values()].map(([sr, sc]) => chunkOf(a.scales, [a.t, sr, sc], opts.signal, fail)),
        ]);
        return { emb: emb!, scales: new Map([...scaleKeys.keys()].map((k, n) => [k, scales[n]!])) };
      }),
    );
    batch.forEach(({ key, pixels }, i) => {
      const a = arrays.get(key.zone)!;
      shards.add(shardUrl(baseUrl, a, key));
      const { emb, scales } = decoded[i]!;
      const values = emb.data as Int8Array;
      const [, bandStride, rowStride, colStride] = emb.stride as [number, number, number, number];
      const [, , ch, cw] = a.embeddings.chunks as [number, number, number, number];
      const [, sh, sw] = a.scales.chunks as [number, number, number];
      const r0 = key.cr * ch;
      const c0 = key.cc * cw;
      for (const p of pixels) {
        const row = sources.row[p]!;
        const col = sources.col[p]!;
        const sr = Math.floor(row / sh);
        const sc = Math.floor(col / sw);
        const scaleChunk = scales.get(sr * 65536 + sc)!;
        const [, sRowStride, sColStride] = scaleChunk.stride as [number, number, number];
        const s = (scaleChunk.data as Float32Array)[
          (row - sr * sh) * sRowStride + (col - sc * sw) * sColStride
        ]!;
        if (!(s > 0 && s < MAX_VALID_SCALE)) continue;
        const base = (row - r0) * rowStride + (col - c0) * colStride;
        let any = 0;
        for (let b = 0; b < dim; b++) {
          const q = values[base + b * bandStride]!;
          any |= q;
          out.data[p * dim + b] = q * s;
        }
        // An all-zero vector (the fill value) has no direction: no embedding.
        out.valid[p] = any !== 0 ? 1 : 0;
      }
    });
    done += batch.length;
    opts.onChunks?.(done);
  }
  return [...shards];
}
