/**
 * Mutations of a TIFF's header: random bytes anywhere in it, or one field of one IFD entry
 * (tag, type, count, value/offset) set to a random or extreme value. The second kind reaches
 * the decoder's field parsing ("Invalid field type", counts of billions), which random bytes
 * alone rarely hit.
 */

interface EntryField {
  at: number;
  bytes: 2 | 4;
}

/** Byte positions of every IFD entry field of a little-endian classic TIFF (all IFDs). */
export function ifdFields(bytes: Uint8Array): EntryField[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const fields: EntryField[] = [];
  const seen = new Set<number>();
  let ifd = view.getUint32(4, true);
  while (ifd !== 0 && ifd + 2 <= bytes.length && !seen.has(ifd)) {
    seen.add(ifd);
    const count = view.getUint16(ifd, true);
    for (let i = 0; i < count; i++) {
      const entry = ifd + 2 + i * 12;
      if (entry + 12 > bytes.length) break;
      fields.push({ at: entry, bytes: 2 }, { at: entry + 2, bytes: 2 }, { at: entry + 4, bytes: 4 });
      fields.push({ at: entry + 8, bytes: 4 });
    }
    const next = ifd + 2 + count * 12;
    if (next + 4 > bytes.length) break;
    ifd = view.getUint32(next, true);
  }
  return fields;
}

const EXTREMES = [0, 1, 0xff, 0xffff, 0x7fffffff, 0xffffffff, 0x10000];

/** A mutated copy of `original`: 1..4 changes, each random bytes or one IFD field. */
export function mutateTiff(
  original: Uint8Array,
  fields: EntryField[],
  headerEnd: number,
  random: () => number,
): Uint8Array {
  const bytes = original.slice();
  const view = new DataView(bytes.buffer);
  const changes = 1 + Math.floor(random() * 4);
  for (let k = 0; k < changes; k++) {
    const field = fields[Math.floor(random() * fields.length)];
    if (random() < 0.5 || !field) {
      bytes[Math.floor(random() * headerEnd)] = Math.floor(random() * 256);
      continue;
    }
    const extreme = random() < 0.4;
    const value = extreme
      ? EXTREMES[Math.floor(random() * EXTREMES.length)]!
      : Math.floor(random() * 2 ** (field.bytes * 8));
    if (field.bytes === 2) view.setUint16(field.at, value & 0xffff, true);
    else view.setUint32(field.at, value >>> 0, true);
  }
  // Sometimes the file is also cut short: a truncated download.
  if (random() < 0.1) return bytes.slice(0, Math.floor(random() * bytes.length));
  return bytes;
}
