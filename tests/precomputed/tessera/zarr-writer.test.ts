import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import FileSystemStore from '@zarrita/storage/fs';
import { beforeAll, describe, expect, it } from 'vitest';
import * as zarr from 'zarrita';
import { crc32c } from '../../../src/lib/precomputed/tessera/crc32c.ts';
import { EMPTY_ENTRY } from '../../../src/lib/precomputed/tessera/shard-index.ts';
import { cachedTesseraFixture, DIM, type TesseraFixture } from './tessera-fixture.ts';
import { decodeMorton, mortonOrder } from './zarr-v3-writer.ts';

/**
 * The fixture writer against the specs it claims to follow: zarrita (an independent Zarr v3
 * implementation) reads back exactly what was written, and the shard layout is checked byte
 * by byte against the Zarr v3 sharding spec (index at the end, (offset, nbytes) uint64 LE in C
 * order, 2^64-1 for absent chunks, CRC-32C of the index after it).
 */

let fixture: TesseraFixture;
beforeAll(async () => {
  fixture = await cachedTesseraFixture();
}, 300_000);

describe('CRC-32C and Morton order', () => {
  it('computes the Castagnoli check value of "123456789" (RFC 3720 B.4)', () => {
    expect(crc32c(new TextEncoder().encode('123456789'))).toBe(0xe3069283);
    expect(crc32c(new Uint8Array(32))).toBe(0x8a9136aa);
  });

  it("orders a 4x4 chunk grid as zarr-python's morton_order_iter (first axis on the lowest bit)", () => {
    const order = mortonOrder([1, 1, 4, 4]).map((c) => `${c[2]},${c[3]}`);
    expect(order.slice(0, 8)).toEqual(['0,0', '1,0', '0,1', '1,1', '2,0', '3,0', '2,1', '3,1']);
    expect(new Set(order).size).toBe(16);
    expect(decodeMorton(5, [4, 4])).toEqual([3, 0]);
  });
});

describe('the fixture store read back by zarrita', () => {
  it('holds the consolidated metadata and geoemb: attributes of the real root', async () => {
    const root = JSON.parse(await readFile(join(fixture.dir, 'zarr.json'), 'utf8')) as {
      attributes: Record<string, unknown>;
      consolidated_metadata: { kind: string; metadata: Record<string, unknown> };
    };
    expect(root.attributes['geoemb:dimensions']).toBe(128);
    expect(root.consolidated_metadata.kind).toBe('inline');
    expect(Object.keys(root.consolidated_metadata.metadata)).toEqual(
      expect.arrayContaining(['utm31', 'utm31/embeddings', 'utm31/scales', 'utm31/time', 'utm36/embeddings']),
    );
  });

  it('reads every value of a zone back through zarrita (sharding, blosc zstd, fill values)', async () => {
    const store = new FileSystemStore(fixture.dir);
    const group = await zarr.open(store, { kind: 'group' });
    const emb = await zarr.open(group.resolve('utm31/embeddings'), { kind: 'array' });
    const scales = await zarr.open(group.resolve('utm31/scales'), { kind: 'array' });
    const time = await zarr.open(group.resolve('utm31/time'), { kind: 'array' });
    expect(emb.dtype).toBe('int8');
    expect(emb.chunks).toEqual([1, DIM, 32, 32]);
    expect(Array.from((await zarr.get(time)).data as Int32Array)).toEqual([2023, 2024]);
    const z = fixture.zone(31);
    const e = await zarr.get(emb, [1, null, null, null]);
    const s = await zarr.get(scales, [1, null, null]);
    const values = e.data as Int8Array;
    const scale = s.data as Float32Array;
    let checked = 0;
    for (let r = 0; r < z.height; r += 3) {
      for (let c = 0; c < z.width; c += 5) {
        const truth = fixture.truth(31, 1, r, c);
        expect(Object.is(scale[r * z.width + c], Math.fround(truth.scale))).toBe(true);
        for (let b = 0; b < DIM; b += 17) {
          expect(values[(b * z.height + r) * z.width + c]).toBe(truth.q[b]);
        }
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(2000);
  });
});

async function shardLayout(path: string, chunksPerShard: number) {
  const bytes = new Uint8Array(await readFile(path));
  const indexLength = chunksPerShard * 16;
  const index = bytes.subarray(bytes.length - indexLength - 4, bytes.length - 4);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const entries = Array.from({ length: chunksPerShard }, (_, i) => ({
    offset: view.getBigUint64(bytes.length - indexLength - 4 + i * 16, true),
    nbytes: view.getBigUint64(bytes.length - indexLength - 4 + i * 16 + 8, true),
  }));
  return { bytes, index, crc: view.getUint32(bytes.length - 4, true), entries };
}

describe('shard layout per the Zarr v3 sharding spec', () => {
  it('ends with the index and its CRC-32C; stored chunks tile the data in Morton order, no gap, no overlap', async () => {
    const { bytes, index, crc, entries } = await shardLayout(
      join(fixture.dir, 'utm31/embeddings/c/0/0/0/1'),
      16,
    );
    expect(crc).toBe(crc32c(index));
    const stored = entries
      .map((e, linear) => ({ ...e, linear }))
      .filter((e) => !(e.offset === EMPTY_ENTRY && e.nbytes === EMPTY_ENTRY));
    // Byte order of the stored chunks = Morton order of their (row, col) in the 4x4 grid.
    const byOffset = [...stored].sort((a, b) => Number(a.offset - b.offset));
    const morton = mortonOrder([4, 4]).map(([r, c]) => r! * 4 + c!);
    expect(byOffset.map((e) => e.linear)).toEqual(morton.filter((m) => stored.some((e) => e.linear === m)));
    let end = 0n;
    for (const e of byOffset) {
      expect(e.offset).toBe(end);
      end += e.nbytes;
    }
    expect(Number(end)).toBe(bytes.length - 16 * 16 - 4);
    // Each stored chunk is a Blosc frame (version 2) whose header says 32*32*128 bytes.
    const first = byOffset[0]!;
    const frame = new DataView(bytes.buffer, bytes.byteOffset + Number(first.offset), 16);
    expect(frame.getUint8(0)).toBe(2);
    expect(frame.getUint32(4, true)).toBe(DIM * 32 * 32);
    expect(frame.getUint32(12, true)).toBe(Number(first.nbytes));
  });

  it('leaves a chunk equal to the fill value out (index entry 2^64-1 twice) and writes no all-empty shard', async () => {
    const { entries } = await shardLayout(join(fixture.dir, 'utm31/embeddings/c/0/0/0/0'), 16);
    // EMPTY_CHUNK is inner chunk (3, 1) of zone 31: shard (0, 0), local (3, 1) → linear 13.
    expect(entries[3 * 4 + 1]).toEqual({ offset: EMPTY_ENTRY, nbytes: EMPTY_ENTRY });
    expect(entries.filter((e) => e.offset === EMPTY_ENTRY)).toHaveLength(1);
    await expect(stat(join(fixture.dir, 'utm32/embeddings/c/0/0/1/1'))).rejects.toThrow(/ENOENT/);
    await expect(stat(join(fixture.dir, 'utm32/scales/c/0/1/1'))).rejects.toThrow(/ENOENT/);
  });
});
