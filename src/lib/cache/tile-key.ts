/**
 * Keys of cached COG byte ranges: the file's URL, the version of the file the bytes came
 * from, and the range. A file that changes on the server (new ETag, Last-Modified or size)
 * gets new keys, so its old bytes are never served for it.
 */

import type { TileKey } from '../cog/index.ts';

/** '\n' cannot occur in a parsed URL nor in an HTTP header value, so it separates the parts. */
const SEP = '\n';

/** Prefix of every key of one file, whatever its version. */
export function tilePrefix(url: string): string {
  return `tile${SEP}${url}${SEP}`;
}

export function tileKey(key: TileKey): string {
  return `${tilePrefix(key.url)}${key.version}${SEP}${key.offset}${SEP}${key.length}`;
}

export function parseTileKey(key: string): TileKey | undefined {
  const parts = key.split(SEP);
  if (parts.length !== 5 || parts[0] !== 'tile') return undefined;
  const [, url = '', version = '', offset, length] = parts;
  const o = Number(offset);
  const n = Number(length);
  if (!Number.isSafeInteger(o) || o < 0 || !Number.isSafeInteger(n) || n <= 0) return undefined;
  return { url, version, offset: o, length: n };
}
