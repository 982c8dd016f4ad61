/** Rewrites a tag's value in every IFD of a little-endian classic TIFF (test fixtures only). */
export function patchTag(bytes: Uint8Array, tag: number, value: number, firstOnly = false): Uint8Array {
  const out = bytes.slice();
  const view = new DataView(out.buffer);
  let ifd = view.getUint32(4, true);
  while (ifd !== 0) {
    const count = view.getUint16(ifd, true);
    for (let i = 0; i < count; i++) {
      const entry = ifd + 2 + i * 12;
      if (view.getUint16(entry, true) !== tag) continue;
      const type = view.getUint16(entry + 2, true);
      if (type === 3) view.setUint16(entry + 8, value, true);
      else view.setUint32(entry + 8, value, true);
    }
    if (firstOnly) break;
    ifd = view.getUint32(ifd + 2 + count * 12, true);
  }
  return out;
}

/** Offsets and byte counts of the tiles of the first IFD (TileOffsets 324, TileByteCounts 325). */
export function firstIfdTiles(bytes: Uint8Array): { offsets: number[]; counts: number[] } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const ifd = view.getUint32(4, true);
  const count = view.getUint16(ifd, true);
  const read = (tag: number): number[] => {
    for (let i = 0; i < count; i++) {
      const entry = ifd + 2 + i * 12;
      if (view.getUint16(entry, true) !== tag) continue;
      const n = view.getUint32(entry + 4, true);
      const at = n === 1 ? entry + 8 : view.getUint32(entry + 8, true);
      return Array.from({ length: n }, (_, k) => view.getUint32(at + k * 4, true));
    }
    return [];
  };
  return { offsets: read(324), counts: read(325) };
}

/** Sets entry `index` of the first IFD's TileByteCounts array. */
export function patchTileByteCount(bytes: Uint8Array, index: number, value: number): Uint8Array {
  const out = bytes.slice();
  const view = new DataView(out.buffer);
  const ifd = view.getUint32(4, true);
  const count = view.getUint16(ifd, true);
  for (let i = 0; i < count; i++) {
    const entry = ifd + 2 + i * 12;
    if (view.getUint16(entry, true) !== 325) continue;
    const n = view.getUint32(entry + 4, true);
    const at = n === 1 ? entry + 8 : view.getUint32(entry + 8, true);
    view.setUint32(at + index * 4, value, true);
  }
  return out;
}

/** Replaces the EPSG code of the ProjectedCSTypeGeoKey (3072) in the GeoKey directory. */
export function patchProjectedEpsg(bytes: Uint8Array, from: number, to: number): Uint8Array {
  const out = bytes.slice();
  const view = new DataView(out.buffer);
  for (let i = 0; i + 8 <= out.length; i += 2) {
    if (
      view.getUint16(i, true) === 3072 &&
      view.getUint16(i + 2, true) === 0 &&
      view.getUint16(i + 6, true) === from
    ) {
      view.setUint16(i + 6, to, true);
      return out;
    }
  }
  throw new Error('ProjectedCSTypeGeoKey not found');
}
