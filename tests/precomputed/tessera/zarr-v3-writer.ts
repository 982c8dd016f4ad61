import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import Blosc from 'numcodecs/blosc';
import { crc32c } from '../../../src/lib/precomputed/tessera/crc32c.ts';

/**
 * A small Zarr v3 writer for test fixtures, writing what zarr-python 3 writes for the arrays
 * geotessera creates (`_create_zone_group`: `create_array(..., chunks=, shards=,
 * compressors=BloscCodec(cname="zstd", clevel=3))`):
 * - array metadata as zarr-python serialises it (default chunk key encoding "/", the
 *   `sharding_indexed` codec with inner codecs [bytes, blosc] and index codecs
 *   [bytes little-endian, crc32c], index at the end; blosc's shuffle as zarr-python picks it
 *   from the dtype: bitshuffle for 1-byte types, byte shuffle otherwise);
 * - shards per the sharding spec: the encoded inner chunks, then the index (C order over the
 *   shard's chunk grid, (offset, nbytes) uint64 little-endian, 2^64-1 twice for a chunk not
 *   stored), then the CRC-32C of the index; chunks laid out in Morton order as zarr-python's
 *   sharding codec writes them (`morton_order_iter`);
 * - chunks equal to the fill value not stored (write_empty_chunks=False), a shard with no
 *   stored chunk not written at all.
 * The one difference: numcodecs' WebAssembly Blosc always writes typesize 4 into the Blosc
 * frame header (zarr-python writes the dtype's size). Readers take the typesize from the
 * frame, so the decoded bytes are the same.
 */

export type Dtype = 'int8' | 'float32' | 'int32' | 'float64';
type Typed = Int8Array | Float32Array | Int32Array | Float64Array;

const ITEM_SIZE: Record<Dtype, number> = { int8: 1, float32: 4, int32: 4, float64: 8 };

export interface ArraySpec {
  shape: number[];
  dtype: Dtype;
  /** The chunk grid: the shard shape for sharded arrays. */
  chunks: number[];
  /** Inner chunk shape: the array is sharded when given. */
  innerChunks?: number[];
  fillValue: number;
  dimensionNames: string[];
  attributes?: Record<string, unknown>;
}

function bloscConfig(dtype: Dtype): Record<string, unknown> {
  return {
    typesize: ITEM_SIZE[dtype],
    cname: 'zstd',
    clevel: 3,
    shuffle: ITEM_SIZE[dtype] === 1 ? 'bitshuffle' : 'shuffle',
    blocksize: 0,
  };
}

function bytesCodec(dtype: Dtype): Record<string, unknown> {
  // zarr-python leaves out the endianness of one-byte types.
  return ITEM_SIZE[dtype] === 1 ? { name: 'bytes' } : { name: 'bytes', configuration: { endian: 'little' } };
}

function fillJson(value: number): number | string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return 'Infinity';
  if (value === Number.NEGATIVE_INFINITY) return '-Infinity';
  return value;
}

/** The array's zarr.json document. */
export function arrayMetadata(spec: ArraySpec): Record<string, unknown> {
  const inner = [bytesCodec(spec.dtype), { name: 'blosc', configuration: bloscConfig(spec.dtype) }];
  const codecs = spec.innerChunks
    ? [
        {
          name: 'sharding_indexed',
          configuration: {
            chunk_shape: spec.innerChunks,
            codecs: inner,
            index_codecs: [{ name: 'bytes', configuration: { endian: 'little' } }, { name: 'crc32c' }],
            index_location: 'end',
          },
        },
      ]
    : inner;
  return {
    shape: spec.shape,
    data_type: spec.dtype,
    chunk_grid: { name: 'regular', configuration: { chunk_shape: spec.chunks } },
    chunk_key_encoding: { name: 'default', configuration: { separator: '/' } },
    fill_value: fillJson(spec.fillValue),
    codecs,
    attributes: spec.attributes ?? {},
    dimension_names: spec.dimensionNames,
    zarr_format: 3,
    node_type: 'array',
    storage_transformers: [],
  };
}

export function groupMetadata(attributes: Record<string, unknown>): Record<string, unknown> {
  return { attributes, zarr_format: 3, consolidated_metadata: null, node_type: 'group' };
}

async function writeBytes(path: string, bytes: Uint8Array | string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, bytes);
}

export async function writeJson(path: string, doc: unknown): Promise<void> {
  await writeBytes(path, JSON.stringify(doc, null, 2));
}

const blosc = new Map<number, ReturnType<typeof Blosc.fromConfig>>();
async function compress(dtype: Dtype, bytes: Uint8Array): Promise<Uint8Array> {
  const shuffle = ITEM_SIZE[dtype] === 1 ? 2 : 1;
  let codec = blosc.get(shuffle);
  if (!codec) {
    codec = Blosc.fromConfig({ id: 'blosc', cname: 'zstd', clevel: 3, shuffle });
    blosc.set(shuffle, codec);
  }
  return codec.encode(bytes);
}

function isFill(data: Typed, fill: number): boolean {
  if (Number.isNaN(fill)) return data.every((v) => Number.isNaN(v));
  return data.every((v) => v === fill);
}

function bytesOf(data: Typed): Uint8Array {
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** zarr-python's `decode_morton`: bit i of the Morton code goes to the next dimension that still has bits. */
export function decodeMorton(z: number, shape: readonly number[]): number[] {
  const bits = shape.map((n) => Math.ceil(Math.log2(n)));
  const out = shape.map(() => 0);
  let input = 0;
  for (let bit = 0; bit < Math.max(0, ...bits); bit++) {
    for (let d = 0; d < shape.length; d++) {
      if (bit < bits[d]!) {
        out[d]! |= ((z >> input) & 1) << bit;
        input++;
      }
    }
  }
  return out;
}

/** Chunk coordinates of a grid in zarr-python's write order (`morton_order_iter`). */
export function mortonOrder(shape: readonly number[]): number[][] {
  const total = shape.reduce((a, b) => a * b, 1);
  const out: number[][] = [];
  for (let z = 0; out.length < total; z++) {
    const coords = decodeMorton(z, shape);
    if (coords.every((c, d) => c < shape[d]!)) out.push(coords);
  }
  return out;
}

/**
 * Writes one shard of a sharded array from `chunkAt(global inner chunk coords)` (undefined: all
 * fill value, not stored); returns the
 * bytes written, or 0 when every chunk equals the fill value (no object, as zarr-python).
 */
export async function writeShard(
  root: string,
  arrayPath: string,
  spec: ArraySpec,
  shardCoords: number[],
  chunkAt: (chunk: number[]) => Typed | undefined,
): Promise<number> {
  const inner = spec.innerChunks!;
  const grid = spec.chunks.map((s, d) => s / inner[d]!);
  const count = grid.reduce((a, b) => a * b, 1);
  const index = new DataView(new ArrayBuffer(count * 16));
  for (let i = 0; i < count; i++) {
    index.setBigUint64(i * 16, 0xffff_ffff_ffff_ffffn, true);
    index.setBigUint64(i * 16 + 8, 0xffff_ffff_ffff_ffffn, true);
  }
  const parts: Uint8Array[] = [];
  let offset = 0;
  for (const local of mortonOrder(grid)) {
    const data = chunkAt(local.map((c, d) => shardCoords[d]! * grid[d]! + c));
    if (!data || isFill(data, spec.fillValue)) continue;
    const encoded = await compress(spec.dtype, bytesOf(data));
    const linear = local.reduce((acc, c, d) => acc * grid[d]! + c, 0);
    index.setBigUint64(linear * 16, BigInt(offset), true);
    index.setBigUint64(linear * 16 + 8, BigInt(encoded.length), true);
    parts.push(encoded);
    offset += encoded.length;
  }
  if (parts.length === 0) return 0;
  const indexBytes = new Uint8Array(index.buffer);
  const crc = new DataView(new ArrayBuffer(4));
  crc.setUint32(0, crc32c(indexBytes), true);
  const shard = new Uint8Array(offset + indexBytes.length + 4);
  let at = 0;
  for (const part of parts) {
    shard.set(part, at);
    at += part.length;
  }
  shard.set(indexBytes, at);
  shard.set(new Uint8Array(crc.buffer), at + indexBytes.length);
  await writeBytes(join(root, arrayPath, 'c', ...shardCoords.map(String)), shard);
  return shard.length;
}

/** Writes a small unsharded array held in one chunk (the coordinate arrays: time, x, y, band). */
export async function writeSmallArray(
  root: string,
  arrayPath: string,
  spec: ArraySpec,
  data: Typed,
): Promise<void> {
  await writeJson(join(root, arrayPath, 'zarr.json'), arrayMetadata(spec));
  const encoded = await compress(spec.dtype, bytesOf(data));
  await writeBytes(join(root, arrayPath, 'c', ...spec.shape.map(() => '0')), encoded);
}
