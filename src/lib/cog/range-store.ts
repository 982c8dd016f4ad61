/**
 * The low "bytes" store the range reader may keep COG byte ranges in across visits. cog/ owns
 * this interface and never imports an implementation: the browser's (cache/scene-cache.ts)
 * sits higher up and is handed in through the ReadContext.
 */

/** Which bytes: the file's URL, the version of the file they came from, and the range. */
export interface TileKey {
  url: string;
  version: string;
  offset: number;
  length: number;
}

/** A byte range of a file kept in the store. */
export interface StoredRange extends TileKey {
  key: string;
  /** Size of the whole file the range came from (a read past its end is served short). */
  size: number;
  lastUsed: number;
}

/** What the range reader asks of a store. A store that fails turns itself off (active false). */
export interface RangeStore {
  readonly active: boolean;
  /** The ranges stored for a file (any version); none when the store is off or fails. */
  ranges(url: string): Promise<StoredRange[]>;
  /** A stored range's bytes; undefined when it was evicted meanwhile or storage failed. */
  read(range: StoredRange): Promise<Uint8Array | undefined>;
  /** Keeps fetched bytes, in the background. */
  write(url: string, version: string, size: number, offset: number, data: Uint8Array): void;
  /** Forgets ranges of an older version of a file. */
  drop(ranges: readonly StoredRange[]): void;
  /** Records a storage failure met while reading; the store is off from then on. */
  fail(error: unknown): void;
}

/** The version of a remote file: its validators as the server sent them, and its size. */
export function fileVersion(etag: string | null, lastModified: string | null, size: number): string {
  // JSON escapes any control character, so the version never contains a key's separator.
  return JSON.stringify([etag, lastModified, size]);
}

/** A response's file version: `size` is the whole file's (Content-Range total, or the body's). */
export function versionOfResponse(headers: Headers, size: number): string {
  return fileVersion(headers.get('ETag'), headers.get('Last-Modified'), size);
}
