/**
 * Encoder for classic (32-bit offset) little-endian TIFF image file directories.
 * Only the field types the COG writer needs are supported.
 */
import { AppError } from '../../errors.ts';

export const TIFF_ASCII = 2;
export const TIFF_SHORT = 3;
export const TIFF_LONG = 4;
export const TIFF_DOUBLE = 12;

export type TiffFieldType = typeof TIFF_ASCII | typeof TIFF_SHORT | typeof TIFF_LONG | typeof TIFF_DOUBLE;

export type TiffTag =
  | { tag: number; type: typeof TIFF_ASCII; value: string }
  | {
      tag: number;
      type: typeof TIFF_SHORT | typeof TIFF_LONG | typeof TIFF_DOUBLE;
      value: readonly number[];
    };

const TYPE_SIZE: Record<TiffFieldType, number> = { 2: 1, 3: 2, 4: 4, 12: 8 };
const ENTRY_SIZE = 12;

/** Bytes of an ASCII value: UTF-8 (readers such as geotiff.js decode it so) plus the NUL terminator. */
function asciiBytes(text: string): Uint8Array {
  if (text.includes('\0'))
    throw new AppError('bad-input', 'TIFF ASCII values cannot contain NUL characters.');
  const encoded = new TextEncoder().encode(text);
  const out = new Uint8Array(encoded.length + 1);
  out.set(encoded);
  return out;
}

function count(tag: TiffTag): number {
  return tag.type === TIFF_ASCII ? asciiBytes(tag.value).length : tag.value.length;
}

function valueBytes(tag: TiffTag): number {
  return count(tag) * TYPE_SIZE[tag.type];
}

/** Out-of-line values start on a word boundary, as the TIFF spec requires. */
function padded(n: number): number {
  return n + (n % 2);
}

function sorted(tags: readonly TiffTag[]): TiffTag[] {
  const out = [...tags].sort((a, b) => a.tag - b.tag);
  for (let i = 1; i < out.length; i++) {
    if (out[i]?.tag === out[i - 1]?.tag) throw new AppError('internal', `Duplicate TIFF tag ${out[i]?.tag}.`);
  }
  return out;
}

/** Total bytes an IFD takes: entry count, entries, next-IFD pointer and out-of-line values. */
export function ifdByteLength(tags: readonly TiffTag[]): number {
  let size = 2 + tags.length * ENTRY_SIZE + 4;
  for (const tag of tags) {
    const bytes = valueBytes(tag);
    if (bytes > 4) size += padded(bytes);
  }
  return size;
}

function writeValues(view: DataView, at: number, tag: TiffTag): void {
  if (tag.type === TIFF_ASCII) {
    new Uint8Array(view.buffer, view.byteOffset + at).set(asciiBytes(tag.value));
    return;
  }
  const size = TYPE_SIZE[tag.type];
  tag.value.forEach((v, i) => {
    const pos = at + i * size;
    if (tag.type === TIFF_SHORT) view.setUint16(pos, v, true);
    else if (tag.type === TIFF_LONG) view.setUint32(pos, v, true);
    else view.setFloat64(pos, v, true);
  });
}

function checkRange(tag: TiffTag): void {
  if (tag.type === TIFF_ASCII || tag.type === TIFF_DOUBLE) return;
  const max = tag.type === TIFF_SHORT ? 0xffff : 0xffffffff;
  for (const v of tag.value) {
    if (!Number.isInteger(v) || v < 0 || v > max) {
      throw new AppError('bad-input', `TIFF tag ${tag.tag}: value ${v} does not fit its field type.`);
    }
  }
}

/**
 * Writes one IFD at `offset` (tags sorted as the spec requires), its out-of-line values
 * right after it. Returns the offset just past everything written.
 */
export function writeIfd(
  view: DataView,
  offset: number,
  tags: readonly TiffTag[],
  nextIfdOffset: number,
): number {
  const entries = sorted(tags);
  view.setUint16(offset, entries.length, true);
  let extra = offset + 2 + entries.length * ENTRY_SIZE + 4;
  entries.forEach((tag, i) => {
    checkRange(tag);
    const entry = offset + 2 + i * ENTRY_SIZE;
    view.setUint16(entry, tag.tag, true);
    view.setUint16(entry + 2, tag.type, true);
    view.setUint32(entry + 4, count(tag), true);
    const bytes = valueBytes(tag);
    if (bytes <= 4) {
      // Values that fit in 4 bytes live in the entry itself, left-justified.
      writeValues(view, entry + 8, tag);
    } else {
      view.setUint32(entry + 8, extra, true);
      writeValues(view, extra, tag);
      extra += padded(bytes);
    }
  });
  view.setUint32(offset + 2 + entries.length * ENTRY_SIZE, nextIfdOffset, true);
  return extra;
}
