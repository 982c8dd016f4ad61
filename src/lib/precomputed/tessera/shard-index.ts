import { AppError } from '../../errors.ts';
import { crc32c } from './crc32c.ts';

/**
 * The shard index of the Zarr v3 `sharding_indexed` codec as TESSERA writes it (zarr-python's
 * defaults, index_location "end"; https://zarr-specs.readthedocs.io/en/latest/v3/codecs/sharding-indexed/):
 * one (offset, nbytes) pair of little-endian uint64 per inner chunk, in C order over the
 * shard's chunk grid, followed by the CRC-32C of those bytes (the `crc32c` index codec).
 * An inner chunk that equals the fill value is not stored: both numbers are 2^64 - 1.
 */

/** Both numbers of an index entry for a chunk that is not stored. */
export const EMPTY_ENTRY = 0xffff_ffff_ffff_ffffn;

/** Bytes of the index of a shard of `chunks` inner chunks, checksum included. */
export function shardIndexBytes(chunks: number): number {
  return chunks * 16 + 4;
}

/**
 * Checks an index read from the end of a shard of `objectBytes` bytes: its checksum, and that
 * every stored chunk lies inside the shard before the index. A damaged index is refused with
 * the shard named; following it would read garbage or ask for bytes past the end.
 */
export function checkShardIndex(index: Uint8Array, objectBytes: number, shardUrl: string): void {
  const body = index.subarray(0, index.length - 4);
  if (index.length < 20 || body.length % 16 !== 0) {
    throw new AppError(
      'bad-input',
      `The TESSERA shard ${shardUrl} is damaged: its chunk index has ${index.length} bytes, not 16 per chunk plus a 4-byte checksum.`,
    );
  }
  const view = new DataView(index.buffer, index.byteOffset, index.byteLength);
  const stored = view.getUint32(body.length, true);
  const actual = crc32c(body);
  if (stored !== actual) {
    throw new AppError(
      'bad-input',
      `The TESSERA shard ${shardUrl} is damaged: its chunk index fails its CRC-32C check (stored ${stored.toString(16)}, computed ${actual.toString(16)}). The file may have been cut short or altered; try again later, or a different mirror.`,
    );
  }
  const dataEnd = BigInt(objectBytes - index.length);
  for (let i = 0; i < body.length / 16; i++) {
    const offset = view.getBigUint64(i * 16, true);
    const nbytes = view.getBigUint64(i * 16 + 8, true);
    if (offset === EMPTY_ENTRY && nbytes === EMPTY_ENTRY) continue;
    if (offset + nbytes > dataEnd) {
      throw new AppError(
        'bad-input',
        `The TESSERA shard ${shardUrl} is damaged: its index places inner chunk ${i} at bytes ${offset}-${offset + nbytes}, past the ${dataEnd} bytes of chunk data.`,
      );
    }
  }
}

/** Decodes an index (checksum already checked) into offset/length pairs; -1 marks a chunk not stored. */
export function readShardIndex(index: Uint8Array): { offsets: Float64Array; lengths: Float64Array } {
  const n = (index.length - 4) / 16;
  const view = new DataView(index.buffer, index.byteOffset, index.byteLength);
  const offsets = new Float64Array(n);
  const lengths = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const offset = view.getBigUint64(i * 16, true);
    const nbytes = view.getBigUint64(i * 16 + 8, true);
    const empty = offset === EMPTY_ENTRY && nbytes === EMPTY_ENTRY;
    offsets[i] = empty ? -1 : Number(offset);
    lengths[i] = empty ? -1 : Number(nbytes);
  }
  return { offsets, lengths };
}
