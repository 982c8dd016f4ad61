/**
 * Keys of cached COG byte ranges: the file's URL, the version of the file the bytes came
 * from, and the range. A file that changes on the server (new ETag, Last-Modified or size)
 * gets new keys, so its old bytes are never served for it.
 */

/** '\n' cannot occur in a parsed URL nor in an HTTP header value, so it separates the parts. */
const SEP = '\n';

export interface TileKey {
  url: string;
  version: string;
  offset: number;
  length: number;
}

/** The version of a remote file: its validators as the server sent them, and its size. */
export function fileVersion(etag: string | null, lastModified: string | null, size: number): string {
  // JSON escapes any control character, so the version never contains SEP.
  return JSON.stringify([etag, lastModified, size]);
}

/** A response's file version: `size` is the whole file's (Content-Range total, or the body's). */
export function versionOfResponse(headers: Headers, size: number): string {
  return fileVersion(headers.get('ETag'), headers.get('Last-Modified'), size);
}

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
