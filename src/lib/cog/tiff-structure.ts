import { AppError } from '../errors.ts';
import { notATiff } from './tiff-error.ts';

/** Bytes per value of each TIFF field type (1..18, BigTIFF's 16..18 included). */
const TYPE_SIZE: Record<number, number> = {
  1: 1,
  2: 1,
  3: 2,
  4: 4,
  5: 8,
  6: 1,
  7: 1,
  8: 2,
  9: 4,
  10: 8,
  11: 4,
  12: 8,
  13: 4,
  16: 8,
  17: 8,
  18: 8,
};

/** No tag of a real GeoTIFF holds more values than this (tile arrays of a 10^6 px image). */
const MAX_TAG_BYTES = 64 * 2 ** 20;

/**
 * Walks the IFD chain of a classic TIFF held in `bytes` (the start of the file) and refuses
 * a header whose tags claim more data than the file has, before geotiff.js parses it:
 * geotiff.js allocates a tag's array from its claimed count, so one corrupt count would
 * allocate gigabytes. IFDs beyond `bytes` are not checked here (geotiff.js reads them
 * later through the same size limits of the range source). BigTIFF is left to geotiff.js.
 */
export function checkTiffStructure(bytes: Uint8Array, fileSize: number | null, what: string): void {
  if (bytes.length < 8)
    throw new AppError('bad-input', `${what} is too short to be a TIFF (${bytes.length} bytes).`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const order = view.getUint16(0, false);
  if (order !== 0x4949 && order !== 0x4d4d) throw notATiff(what);
  const le = order === 0x4949;
  const magic = view.getUint16(2, le);
  if (magic === 43) return;
  if (magic !== 42) throw notATiff(what);
  const limit = Math.min(MAX_TAG_BYTES, fileSize ?? Number.POSITIVE_INFINITY);
  const seen = new Set<number>();
  let ifd = view.getUint32(4, le);
  while (ifd !== 0 && ifd + 2 <= bytes.length) {
    if (seen.has(ifd)) throw new AppError('bad-input', `${what} is corrupt: its IFD chain loops.`);
    seen.add(ifd);
    if (fileSize !== null && ifd >= fileSize)
      throw new AppError('bad-input', `${what} is corrupt: an IFD lies past the end of the file.`);
    const count = view.getUint16(ifd, le);
    if (ifd + 2 + count * 12 + 4 > bytes.length) return;
    for (let i = 0; i < count; i++) {
      const entry = ifd + 2 + i * 12;
      const tag = view.getUint16(entry, le);
      const size = (TYPE_SIZE[view.getUint16(entry + 2, le)] ?? 1) * view.getUint32(entry + 4, le);
      const at = size > 4 ? view.getUint32(entry + 8, le) : 0;
      if (size > limit || (fileSize !== null && size > 4 && at + size > fileSize)) {
        throw new AppError(
          'bad-input',
          `${what} is corrupt: TIFF tag ${tag} claims ${size.toLocaleString('en')} bytes of values${fileSize === null ? '' : ` in a file of ${fileSize.toLocaleString('en')} bytes`}.`,
        );
      }
    }
    ifd = view.getUint32(ifd + 2 + count * 12, le);
  }
}
