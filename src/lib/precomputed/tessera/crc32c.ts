/**
 * CRC-32C (Castagnoli), the checksum the Zarr v3 `crc32c` codec appends to every shard index
 * (https://zarr-specs.readthedocs.io/en/latest/v3/codecs/crc32c/index.html): reflected
 * polynomial 0x82F63B78, initial value and final XOR 0xFFFFFFFF, stored little-endian.
 * zarrita drops these 4 bytes without checking them, so the reader checks them here.
 */

const TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32c(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = TABLE[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
